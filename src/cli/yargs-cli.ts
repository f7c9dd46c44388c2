/**
 * The full command line (yargs): every command, --help, --version, strict validation and its messages. main() loads
 * this module only when the arguments are not a plain `check` (see fast-check.ts), so a `check` never parses or runs
 * yargs; anything unusual still comes here and gets yargs' behaviour and messages.
 */
import yargs from "yargs";
import { VERSION } from "../version.js";
import { checkCommand } from "./commands/check.js";
import { rulesCommand } from "./commands/rules.js";
import { uploadCommand } from "./commands/upload.js";
import { hookCommand } from "./commands/hook.js";
import { modelsCommand } from "./commands/models.js";
import { fixCommand } from "./commands/fix.js";
import { convertCommand } from "./commands/convert.js";
import { STDIN } from "./command.js";

/** The arguments as yargs parses them (with "-" swapped for STDIN), or the usage message of a failed validation. */
export async function parseWithYargs(args: string[]): Promise<{ argv: Record<string, unknown> } | { usage: string }> {
  let usage: string | null = null;
  const parser = yargs(args.map((a) => (a === "-" ? STDIN : a)))
    // `-f json data.jsonl`: an array option takes one value per flag, never the file names after it.
    // `--` ends the options: what follows is file names, also when they start with '-' (argv["--"]).
    .parserConfiguration({ "greedy-arrays": false, "populate--": true })
    .scriptName("tunelint")
    .usage("$0 <command> [options]\n\nLint fine-tune datasets before they leave the machine.")
    .command(checkCommand)
    .command(rulesCommand)
    .command(uploadCommand)
    .command(hookCommand)
    .command(modelsCommand)
    .command(fixCommand)
    .command(convertCommand)
    .version(VERSION)
    .help()
    .alias("h", "help")
    .alias("v", "version")
    .strict()
    .exitProcess(false)
    .fail((msg, err) => {
      if (err) throw err;
      usage = msg;
    });
  // yargs renders the whole help text of a named command after its handler, only to keep it for a later showHelp()
  // (about 50 ms of cliui/string-width on every `tunelint check ...`). Handlers here never show help: skip it.
  const usageInstance = (parser as unknown as { getInternalMethods?: () => { getUsageInstance(): { cacheHelpMessage?: () => void } } })
    .getInternalMethods?.()
    .getUsageInstance();
  if (usageInstance?.cacheHelpMessage) usageInstance.cacheHelpMessage = () => {};
  const argv = (await parser.parseAsync()) as Record<string, unknown>;
  return usage !== null ? { usage } : { argv };
}
