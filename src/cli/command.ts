/** What a command hands back to main(): an exit code and text; main() does the printing. */
export interface CommandResult {
  code: number;
  stdout?: string;
  stderr?: string[];
}

export function useColor(flag: boolean | undefined): boolean {
  if (flag !== undefined) return flag;
  if (process.env.NO_COLOR) return false;
  if (process.env.FORCE_COLOR && process.env.FORCE_COLOR !== "0") return true;
  return Boolean(process.stdout.isTTY);
}

/** yargs drops a lone "-" from positionals: main() swaps it for this token before parsing. */
export const STDIN = "\u0000stdin";

const RUN = Symbol.for("tunelint.run");

/**
 * Commands never start work inside the yargs handler (yargs runs handlers even when strict validation fails):
 * they leave a thunk that main() runs only when parsing succeeded.
 */
export function defer(argv: object, run: () => Promise<CommandResult>): void {
  (argv as Record<symbol, unknown>)[RUN] = run;
}

export function deferred(argv: object): (() => Promise<CommandResult>) | undefined {
  return (argv as Record<symbol, (() => Promise<CommandResult>) | undefined>)[RUN];
}
