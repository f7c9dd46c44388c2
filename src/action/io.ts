/**
 * The few GitHub Actions runner interfaces the action needs, without @actions/core:
 * inputs from INPUT_* variables, outputs to $GITHUB_OUTPUT, the step summary file, workflow commands.
 * Everything takes the environment as a parameter so it can be tested without touching process.env.
 */
import { randomUUID } from "node:crypto";
import { appendFileSync } from "node:fs";
import { EOL } from "node:os";
import { escapeData } from "../report/workflow-commands.js";

export type Env = Record<string, string | undefined>;

/**
 * An input as the runner passes it: `INPUT_<NAME>` with the name uppercased and spaces replaced by `_`
 * (dashes are kept: `max-warnings` -> `INPUT_MAX-WARNINGS`). Trimmed; "" when unset.
 */
export function getInput(env: Env, name: string): string {
  return (env[`INPUT_${name.replace(/ /g, "_").toUpperCase()}`] ?? "").trim();
}

/** Split a list input on newlines and spaces (globs with spaces are not supported; quote-free by design). */
export function getListInput(env: Env, name: string): string[] {
  return getInput(env, name)
    .split(/[\s]+/)
    .map((s) => s.trim())
    .filter(Boolean);
}

/** `name=value` for one-line values, the heredoc form with a random delimiter otherwise. */
export function formatOutput(name: string, value: string): string {
  if (!/[\r\n]/.test(value)) return `${name}=${value}${EOL}`;
  let delimiter = `ghadelimiter_${randomUUID()}`;
  while (value.includes(delimiter)) delimiter = `ghadelimiter_${randomUUID()}`;
  return `${name}<<${delimiter}${EOL}${value}${EOL}${delimiter}${EOL}`;
}

/** Write an output to $GITHUB_OUTPUT (or the deprecated ::set-output when that file is missing). */
export function setOutput(env: Env, name: string, value: string | number, write: (s: string) => void): void {
  const file = env.GITHUB_OUTPUT;
  if (file) appendFileSync(file, formatOutput(name, String(value)), "utf8");
  else write(`::set-output name=${name}::${escapeData(String(value))}\n`);
}

/** Append Markdown to the step summary ($GITHUB_STEP_SUMMARY); false when there is none. */
export function appendSummary(env: Env, markdown: string): boolean {
  const file = env.GITHUB_STEP_SUMMARY;
  if (!file) return false;
  appendFileSync(file, markdown.endsWith("\n") ? markdown : markdown + "\n", "utf8");
  return true;
}

/** `::error::message` and friends, not tied to a file. */
export function command(kind: "error" | "warning" | "notice" | "debug", message: string): string {
  return `::${kind}::${escapeData(message)}\n`;
}
