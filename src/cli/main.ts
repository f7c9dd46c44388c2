/**
 * The CLI: yargs commands over the library. Exit codes: 0 clean, 1 lint errors, 2 usage/config/I-O, 3 remote API.
 * main() never calls process.exit and never lets a stack trace reach the user (set TUNELINT_DEBUG=1 to see one).
 */
import { UsageError } from "../errors.js";
import { runCheck } from "./commands/check.js";
import { deferred, type CommandResult } from "./command.js";
import { fastCheckArgs } from "./fast-check.js";
import { pairOutputArgs } from "./output.js";

// Commands whose -o is not a report file: fix and convert write the dataset there.
const OTHER_COMMANDS = new Set(["rules", "upload", "hook", "models", "fix", "convert"]);

export async function main(args: string[] = process.argv.slice(2)): Promise<number> {
  try {
    // check: each --output-file binds to the --format before it (see pairOutputArgs).
    const command = args.find((a) => !a.startsWith("-"));
    if (!command || !OTHER_COMMANDS.has(command)) args = pairOutputArgs(args);
  } catch (e) {
    return reportError(e);
  }
  // A plain `check` (the hot path: pre-commit hooks, CI, editors) is read without yargs; anything else, and any
  // argument the fast reader does not know for certain, goes through yargs (its behaviour, help and messages).
  const fast = fastCheckArgs(args);
  if (fast) return execute(() => runCheck(fast));
  let parsed: Awaited<ReturnType<typeof import("./yargs-cli.js").parseWithYargs>>;
  try {
    const { parseWithYargs } = await import("./yargs-cli.js");
    parsed = await parseWithYargs(args);
  } catch (e) {
    return reportError(e);
  }
  if ("usage" in parsed) {
    process.stderr.write(`tunelint: ${parsed.usage}\nRun 'tunelint --help' for usage.\n`);
    return 2;
  }
  const run = deferred(parsed.argv);
  if (!run) return 0; // --help / --version
  return execute(run);
}

async function execute(run: () => Promise<CommandResult>): Promise<number> {
  try {
    const r = await run();
    if (r.stdout) process.stdout.write(r.stdout);
    for (const m of r.stderr ?? []) process.stderr.write(m.endsWith("\n") ? m : m + "\n");
    return r.code;
  } catch (e) {
    return reportError(e);
  }
}

/**
 * Errors that mean the user's input or environment is wrong (not a bug): exit 2 with their message. Every error class
 * tunelint throws is listed here, handled where it is thrown, or an internal invariant (test/hardening/errors.test.ts).
 */
export const USER_ERRORS = new Set([
  "UsageError",
  "GitError",
  "HookError",
  "TokenizerLoadError",
  "TemplateError",
  "UnknownModelError",
  "InputError",
]);

/** Exit code and message for an error that escaped a command: never a stack trace unless TUNELINT_DEBUG is set. */
export function reportError(e: unknown): number {
  const err = e as Error & { exitCode?: number };
  if (process.env.TUNELINT_DEBUG) process.stderr.write(`${err?.stack ?? String(e)}\n`);
  if (err instanceof UsageError || USER_ERRORS.has(err?.name)) {
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
