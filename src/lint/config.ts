/**
 * Configuration: `tunelint.config.json` (validated by schemas/config.schema.json) merged with options given in code
 * or on the command line. Errors here are usage errors (exit 2).
 */
import { homedir } from "node:os";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve, sep } from "node:path";
import { validateConfigSchema } from "../dataset-formats/validate.js";
import { ruleById, rules } from "../rules/index.js";
import { nearest } from "../util/nearest.js";
import { UsageError } from "../errors.js";
import type { RuleSetting, Severity, TrainingMethod, TrainOnInputs } from "../types.js";

/** Re-exported for importers written before src/errors.ts existed. */
export { UsageError } from "../errors.js";

export const CONFIG_FILE = "tunelint.config.json";

export type RuleConfigValue = RuleSetting | [RuleSetting] | [RuleSetting, Record<string, number | string | boolean>];

/** The contents of tunelint.config.json (all optional). */
export interface TunelintConfig {
  rules?: Record<string, RuleConfigValue>;
  model?: string;
  method?: TrainingMethod;
  maxLineBytes?: number;
  maxSeqLength?: number;
  tokenizer?: string;
  chatTemplate?: string;
  /** Together's train_on_inputs: "auto" (default), true or false. */
  trainOnInputs?: TrainOnInputs;
}

/** Parses a train_on_inputs setting ("auto", "true", "false", or a boolean); a UsageError for anything else. */
export function parseTrainOnInputs(value: unknown, where = "--train-on-inputs"): TrainOnInputs {
  if (value === "auto" || value === true || value === false) return value;
  if (value === "true") return true;
  if (value === "false") return false;
  throw new UsageError(`Invalid ${where} ${JSON.stringify(value)}: use auto, true or false.`);
}

export interface ResolvedRule {
  severity: Severity;
  options: Record<string, number | string | boolean>;
}

/**
 * Finds tunelint.config.json in `cwd` or the nearest parent directory, never above a boundary (as eslint's flat config
 * lookup stops at the project): the repository root (the nearest directory holding `.git`), else the home directory
 * when `cwd` is under it, else `cwd` itself. A config left in /tmp or / never changes the runs below it.
 */
export function findConfig(cwd: string, opts: { home?: string } = {}): string | null {
  const start = resolve(cwd);
  const home = resolve(opts.home ?? homedir());
  let boundary = start;
  for (let dir = start; ;) {
    if (existsSync(join(dir, ".git"))) {
      boundary = dir;
      break;
    }
    const up = dirname(dir);
    if (up === dir) {
      boundary = start === home || start.startsWith(home.endsWith(sep) ? home : home + sep) ? home : start;
      break;
    }
    dir = up;
  }
  for (let dir = start; ;) {
    const p = join(dir, CONFIG_FILE);
    if (existsSync(p)) return p;
    const up = dirname(dir);
    if (dir === boundary || up === dir) return null;
    dir = up;
  }
}

/** Reads and validates a config file. */
export function loadConfig(file: string): TunelintConfig {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, "utf8"));
  } catch (e) {
    throw new UsageError(`Cannot read config ${file}: ${(e as Error).message}`);
  }
  validateConfig(data, file);
  return data as TunelintConfig;
}

export function validateConfig(data: unknown, source = "config"): asserts data is TunelintConfig {
  const errors = validateConfigSchema(data);
  if (errors) {
    // The most specific errors only: a rule's wrong option type, not also "must be one of the severities" for the rule.
    const specific = errors.filter(
      (e) =>
        e.keyword !== "oneOf" && !errors.some((o) => o !== e && o.keyword !== "oneOf" && o.instancePath.startsWith(`${e.instancePath}/`)),
    );
    const msgs = specific.map((e) => `${e.instancePath || "(root)"} ${e.message ?? e.keyword}`);
    throw new UsageError(`Invalid ${source}: ${msgs.join("; ")}`);
  }
  const rulesCfg = (data as TunelintConfig).rules ?? {};
  for (const id of Object.keys(rulesCfg)) assertRuleId(id, source);
}

export function assertRuleId(id: string, source = "options"): void {
  if (ruleById.has(id)) return;
  const near = nearest(
    id,
    rules.map((r) => r.meta.id),
    1,
    6,
  );
  throw new UsageError(
    `Unknown rule "${id}" in ${source}.${near.length ? ` Did you mean "${near[0]}"?` : ""} Run \`tunelint rules\` for the list.`,
  );
}

/** Parses `--rule id=severity` values. */
export function parseRuleFlags(flags: readonly string[]): Record<string, RuleSetting> {
  const out: Record<string, RuleSetting> = {};
  for (const f of flags) {
    const m = /^([a-z0-9-]+)\s*[=:]\s*(off|info|warning|warn|error)$/.exec(f.trim());
    if (!m) throw new UsageError(`Invalid --rule "${f}": expected id=off|info|warning|error (e.g. --rule content-empty=off).`);
    assertRuleId(m[1]!, "--rule");
    out[m[1]!] = (m[2] === "warn" ? "warning" : m[2]) as RuleSetting;
  }
  return out;
}

/** Every rule's effective severity and options; rules set to "off" are absent. */
export function resolveRules(...layers: (Record<string, RuleConfigValue> | undefined)[]): Map<string, ResolvedRule> {
  const out = new Map<string, ResolvedRule>();
  for (const r of rules) {
    if (!r.meta.defaultOff) out.set(r.meta.id, { severity: r.meta.severity, options: { ...(r.meta.defaultOptions ?? {}) } });
  }
  for (const layer of layers) {
    if (!layer) continue;
    for (const [id, value] of Object.entries(layer)) {
      assertRuleId(id);
      const [setting, opts] = Array.isArray(value) ? value : [value, undefined];
      const cur = out.get(id) ?? {
        severity: ruleById.get(id)!.meta.severity,
        options: { ...(ruleById.get(id)!.meta.defaultOptions ?? {}) },
      };
      if (opts) {
        const allowed = Object.keys(ruleById.get(id)!.meta.defaultOptions ?? {});
        for (const k of Object.keys(opts)) {
          if (!allowed.includes(k))
            throw new UsageError(`Rule "${id}" has no option "${k}"${allowed.length ? ` (options: ${allowed.join(", ")})` : ""}.`);
        }
        cur.options = { ...cur.options, ...opts };
      }
      if (setting === "off") out.delete(id);
      else out.set(id, { ...cur, severity: setting });
    }
  }
  return out;
}
