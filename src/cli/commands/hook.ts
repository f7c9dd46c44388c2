/**
 * `tunelint hook install|uninstall`: a plain git pre-commit hook (for repositories that don't use the
 * pre-commit framework) running `npx --no-install tunelint check --staged`.
 *
 * The hook goes where git looks for hooks (`git rev-parse --git-path hooks`, which honours
 * `core.hooksPath`). A hook that tunelint did not write (no marker line) is never overwritten unless
 * `--force` is given (the old one is then kept as `pre-commit.tunelint-backup`), and never removed.
 */
import { execFile } from "node:child_process";
import { chmod, mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import type { ArgumentsCamelCase, Argv, CommandModule } from "yargs";
import { defer, type CommandResult } from "../command.js";

export const HOOK_MARKER = "# tunelint-managed-hook";

export const HOOK_SCRIPT = `#!/bin/sh
${HOOK_MARKER}: written by \`tunelint hook install\`; remove it with \`tunelint hook uninstall\`.
# Lints the staged (index) content of the JSONL datasets in this commit. Skip once with: git commit --no-verify
# Git runs hooks from the top of the work tree: use the project's own tunelint directly when it is there
# (npx costs about a second), else let npx find it.
if [ -x node_modules/.bin/tunelint ]; then
  exec node_modules/.bin/tunelint check --staged
fi
exec npx --no-install tunelint check --staged
`;

export type HookStatus = "installed" | "updated" | "replaced" | "removed" | "absent" | "foreign";

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

export async function installHook(options: { cwd?: string; force?: boolean } = {}): Promise<HookResult> {
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
  await writeFile(hookPath, HOOK_SCRIPT, { mode: 0o755 });
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
