import { lintFile, prepareLint, type LintOptions } from "../../src/lint/lint.js";
import type { FileResult } from "../../src/types.js";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("../../", import.meta.url));
export const FIXTURES = `${ROOT}test/fixtures/`;
/** The bin users run (package.json "bin"): the bundled CLI. */
export const CLI = `${ROOT}dist/bundle/tunelint.mjs`;

/** Lints a file with no config file lookup (tests must not depend on the machine). */
export async function lint(path: string, options: LintOptions = {}): Promise<FileResult> {
  return lintFile(path, await prepareLint({ config: false, ...options }));
}

export function ids(result: FileResult): string[] {
  return result.diagnostics.map((d) => d.ruleId);
}
