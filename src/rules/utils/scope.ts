/** A rule's scope, read from what it hooks into (so `meta.scope` cannot disagree with what the rule does). */
import type { Rule, RuleHooks, RuleScope } from "../types.js";

/** Hooks that need the whole file (its end, other records, its head as a JSON document, a Parquet schema). */
const FILE_HOOKS: (keyof RuleHooks)[] = ["end", "key", "merge", "readFailure", "document", "columns"];
/** Hooks that see a record (a JSON object of a detected, or undetectable, format; a Parquet row). */
const RECORD_HOOKS: (keyof RuleHooks)[] = ["record", "unknownFormat", "row"];

/** The hooks a rule installs for a file (with its default options). */
export function hookNames(rule: Rule): (keyof RuleHooks)[] {
  const hooks = rule.create?.({ options: { ...(rule.meta.defaultOptions ?? {}) }, path: "<scope>" }) ?? {};
  return Object.keys(hooks) as (keyof RuleHooks)[];
}

/**
 * "file" when the rule judges the file as a whole or records against each other; "record" when it judges records
 * (its hooks, or ajv errors of the format's schema); "line" when it only sees raw lines, their text or parsed value.
 */
export function ruleScope(rule: Rule): RuleScope {
  const names = hookNames(rule);
  if (names.some((n) => FILE_HOOKS.includes(n))) return "file";
  if (rule.fromSchema || names.some((n) => RECORD_HOOKS.includes(n))) return "record";
  return "line";
}
