import { spawnSync } from "node:child_process";
import { CLI } from "./lint.js";

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI the way a user does (node dist/bundle/tunelint.mjs, the package bin), without colour. */
export function tunelint(args: string[], opts: { cwd?: string; input?: string | Buffer; env?: Record<string, string> } = {}): Run {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    cwd: opts.cwd,
    input: opts.input,
    env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0", ...opts.env },
    encoding: "utf8",
    maxBuffer: 256 * 1024 * 1024,
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}
