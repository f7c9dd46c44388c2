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
