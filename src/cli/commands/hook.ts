/**
 * `tunelint hook install|uninstall`: a plain git pre-commit hook (for repositories that don't use the
 * pre-commit framework) running `tunelint check --staged`.
 *
 * The hook runs the project's own tunelint (node_modules/.bin/tunelint) when there is one, else the tunelint that
 * installed it (its absolute path is written into the hook), else it stops the commit and says what to do. It never
 * falls back to `npx tunelint`, which downloads (or, with --no-install, fails with an npm 404) where tunelint is not
 * installed.
 *
 * The hook goes where git looks for hooks (`git rev-parse --git-path hooks`, which honours
 * `core.hooksPath`). A hook that tunelint did not write (no marker line) is never overwritten unless
 * `--force` is given (the old one is then kept as `pre-commit.tunelint-backup`, and `uninstall` puts it back), and
 * never removed.
 */
import { execFile } from "node:child_process";
import { existsSync, realpathSync } from "node:fs";
import { chmod, mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import type { ArgumentsCamelCase, Argv, CommandModule } from "yargs";
import { defer, type CommandResult } from "../command.js";

export const HOOK_MARKER = "# tunelint-managed-hook";

/** A single-quoted shell word. */
function shq(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** The hook for a tunelint whose bin is at `bin` (absolute), run by `node` (or `nodePath` when node is not on PATH). */
export function hookScript(bin: string | null, nodePath = process.execPath): string {
  const fallback = bin
    ? `# Else the tunelint that installed this hook.
TUNELINT_BIN=${shq(bin)}
if [ -f "$TUNELINT_BIN" ]; then
  if command -v node >/dev/null 2>&1; then exec node "$TUNELINT_BIN" check --staged; fi
  exec ${shq(nodePath)} "$TUNELINT_BIN" check --staged
fi
`
    : "";
  return `#!/bin/sh
${HOOK_MARKER}: written by \`tunelint hook install\`; remove it with \`tunelint hook uninstall\`.
# Lints the staged (index) content of the JSONL datasets in this commit. Skip once with: git commit --no-verify
# Git runs hooks from the top of the work tree: use the project's own tunelint when it is there.
if [ -x node_modules/.bin/tunelint ]; then
  exec node_modules/.bin/tunelint check --staged
fi
${fallback}echo "tunelint pre-commit hook: tunelint is not installed here${bin ? ` (and ${bin.replace(/["\\$`]/g, "")} is gone)` : ""}." >&2
echo "  Install it in this project: npm install --save-dev tunelint" >&2
echo "  Or remove the hook: npx tunelint hook uninstall   (skip it once: git commit --no-verify)" >&2
exit 1
`;
}

/** The bin of the tunelint running now (the one `hook install` writes into the hook), or null when unknown. */
export function currentBin(): string | null {
  const argv1 = process.argv[1];
  if (!argv1) return null;
  try {
    const p = realpathSync(argv1);
    return /tunelint(\.mjs|\.js)?$/.test(p) && existsSync(p) ? p : null;
  } catch {
    return null;
  }
}

/** The hook as written for the tunelint running now (kept for callers of the old constant). */
export const HOOK_SCRIPT = hookScript(null);

export type HookStatus = "installed" | "updated" | "replaced" | "removed" | "restored" | "absent" | "foreign";

export interface HookResult {
  status: HookStatus;
  /** Absolute path of the hook file. */
  hookPath: string;
  /** Where a replaced foreign hook was moved (install --force). */
  backupPath?: string;
}

export class HookError extends Error {
  constructor(
    message: string,
    readonly hookPath?: string,
  ) {
    super(message);
    this.name = "HookError";
  }
}

function gitOut(args: string[], cwd: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile("git", args, { cwd, encoding: "utf8" }, (err, stdout, stderr) => {
      if (err) {
        const code = (err as NodeJS.ErrnoException).code;
        reject(
          new HookError(
            code === "ENOENT"
              ? "git is not installed or not on PATH"
              : `not a git repository (or git failed): ${String(stderr).trim() || err.message}`,
          ),
        );
      } else resolve(stdout.trim());
    });
  });
}

/** Absolute path of the pre-commit hook git would run for the repository containing `cwd`. */
export async function preCommitHookPath(cwd = process.cwd()): Promise<string> {
  const hooksDir = await gitOut(["rev-parse", "--git-path", "hooks"], cwd);
  return path.resolve(cwd, hooksDir, "pre-commit");
}

async function readIfExists(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw e;
  }
}

export async function installHook(options: { cwd?: string; force?: boolean; bin?: string | null } = {}): Promise<HookResult> {
  const hookPath = await preCommitHookPath(options.cwd);
  const existing = await readIfExists(hookPath);
  let status: HookStatus = "installed";
  let backupPath: string | undefined;
  if (existing !== undefined) {
    if (existing.includes(HOOK_MARKER)) status = "updated";
    else if (!options.force) {
      throw new HookError(
        `${hookPath} already exists and was not written by tunelint; add \`tunelint check --staged\` to it yourself, or run \`tunelint hook install --force\` to replace it (it is kept as pre-commit.tunelint-backup)`,
        hookPath,
      );
    } else {
      backupPath = `${hookPath}.tunelint-backup`;
      await rename(hookPath, backupPath);
      status = "replaced";
    }
  }
  await mkdir(path.dirname(hookPath), { recursive: true });
  const bin = options.bin === undefined ? currentBin() : options.bin;
  await writeFile(hookPath, hookScript(bin ? path.resolve(bin) : null), { mode: 0o755 });
  await chmod(hookPath, 0o755); // writeFile's mode only applies to new files
  return { status, hookPath, backupPath };
}

export async function uninstallHook(options: { cwd?: string } = {}): Promise<HookResult> {
  const hookPath = await preCommitHookPath(options.cwd);
  const existing = await readIfExists(hookPath);
  if (existing === undefined) return { status: "absent", hookPath };
  if (!existing.includes(HOOK_MARKER)) {
    throw new HookError(`${hookPath} was not written by tunelint; leaving it alone`, hookPath);
  }
  await rm(hookPath);
  // install --force kept the user's own hook: put it back.
  const backupPath = `${hookPath}.tunelint-backup`;
  if (existsSync(backupPath)) {
    await rename(backupPath, hookPath);
    return { status: "restored", hookPath, backupPath };
  }
  return { status: "removed", hookPath };
}

interface HookArgs {
  action: "install" | "uninstall";
  force: boolean;
}

const MESSAGES: Record<HookStatus, (r: HookResult) => string> = {
  installed: (r) => `tunelint: pre-commit hook installed at ${r.hookPath}`,
  updated: (r) => `tunelint: pre-commit hook updated at ${r.hookPath}`,
  replaced: (r) => `tunelint: pre-commit hook installed at ${r.hookPath} (the previous hook was moved to ${r.backupPath})`,
  removed: (r) => `tunelint: pre-commit hook removed from ${r.hookPath}`,
  restored: (r) => `tunelint: pre-commit hook removed; your previous hook (${r.backupPath}) is back at ${r.hookPath}`,
  absent: (r) => `tunelint: no pre-commit hook at ${r.hookPath}; nothing to remove`,
  foreign: (r) => `tunelint: ${r.hookPath} was not written by tunelint`,
};

export const hookCommand: CommandModule<object, HookArgs> = {
  command: "hook <action>",
  describe: "Install or remove a git pre-commit hook that lints staged JSONL files",
  builder: (yargs: Argv<object>) =>
    yargs
      .positional("action", { choices: ["install", "uninstall"] as const, demandOption: true, describe: "install or uninstall" })
      .option("force", {
        type: "boolean",
        default: false,
        describe: "Replace a pre-commit hook that tunelint did not write",
      }) as unknown as Argv<HookArgs>,
  handler: (argv: ArgumentsCamelCase<HookArgs>) => {
    // main() runs the deferred work and does the printing (see src/cli/command.ts).
    defer(argv, () => runHook(argv.action, { force: argv.force }));
  },
};

/** The command's work, as a CommandResult: 0 done, 2 not a repository or a foreign hook in the way. */
export async function runHook(action: "install" | "uninstall", options: { cwd?: string; force?: boolean } = {}): Promise<CommandResult> {
  try {
    const result = action === "install" ? await installHook(options) : await uninstallHook(options);
    return { code: 0, stdout: MESSAGES[result.status](result) + "\n" };
  } catch (e) {
    if (!(e instanceof HookError)) throw e;
    return { code: 2, stderr: [`tunelint: ${e.message}`] };
  }
}

export default hookCommand;
