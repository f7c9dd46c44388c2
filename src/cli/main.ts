/**
 * The CLI: yargs commands over the library. Exit codes: 0 clean, 1 lint errors, 2 usage/config/I-O, 3 remote API.
 * main() never calls process.exit and never lets a stack trace reach the user (set TUNELINT_DEBUG=1 to see one).
 */
import yargs from "yargs";
import { hideBin } from "yargs/helpers";
import { UsageError } from "../errors.js";
import { VERSION } from "../version.js";
import { checkCommand } from "./commands/check.js";
import { rulesCommand } from "./commands/rules.js";
import { uploadCommand } from "./commands/upload.js";
import { hookCommand } from "./commands/hook.js";
import { modelsCommand } from "./commands/models.js";
import { fixCommand } from "./commands/fix.js";
import { convertCommand } from "./commands/convert.js";
import { deferred, STDIN } from "./command.js";

export async function main(args: string[] = hideBin(process.argv)): Promise<number> {
  let usage: string | null = null;
  const parser = yargs(args.map((a) => (a === "-" ? STDIN : a)))
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
  let argv: Record<string, unknown>;
  try {
    argv = (await parser.parseAsync()) as Record<string, unknown>;
  } catch (e) {
    return reportError(e);
  }
  if (usage !== null) {
    process.stderr.write(`tunelint: ${usage}\nRun 'tunelint --help' for usage.\n`);
    return 2;
  }
  const run = deferred(argv);
  if (!run) return 0; // --help / --version
  try {
    const r = await run();
    if (r.stdout) process.stdout.write(r.stdout);
    for (const m of r.stderr ?? []) process.stderr.write(m.endsWith("\n") ? m : m + "\n");
    return r.code;
  } catch (e) {
    return reportError(e);
  }
}

/** Exit code and message for an error that escaped a command: never a stack trace unless TUNELINT_DEBUG is set. */
export function reportError(e: unknown): number {
  const err = e as Error & { exitCode?: number };
  if (process.env.TUNELINT_DEBUG) process.stderr.write(`${err?.stack ?? String(e)}\n`);
  if (err instanceof UsageError || err?.name === "UsageError") {
    process.stderr.write(`tunelint: ${err.message}\n`);
    return 2;
  }
  if (typeof err?.exitCode === "number") {
    process.stderr.write(`tunelint: ${err.message}\n`);
    return err.exitCode;
  }
  if (err?.name === "AbortError") {
    process.stderr.write("tunelint: aborted.\n");
    return 130;
  }
  process.stderr.write(
    `tunelint: internal error: ${err?.message ?? String(e)}\n(set TUNELINT_DEBUG=1 for details, and please report it)\n`,
  );
  return 2;
}
