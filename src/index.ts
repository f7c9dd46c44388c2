/**
 * tunelint's public library API. ESM, typed, no global state, no console output, no process.exit.
 *
 *   import { lintFile, lintRecord } from "tunelint";
 */
export {
  lintFile,
  lintFiles,
  lintStream,
  lintRecord,
  createRecordLinter,
  diagnostics,
  prepareLint,
  PreparedLint,
  expandPatterns,
  summarize,
} from "./lint/lint.js";
export type { LintOptions, RecordResult, RecordLinter, ExpandResult } from "./lint/lint.js";
export { UsageError } from "./errors.js";
export { resolveRules, loadConfig, findConfig, CONFIG_FILE } from "./lint/config.js";
export type { TunelintConfig, RuleConfigValue, ResolvedRule } from "./lint/config.js";
export { readLines, LineSplitter, DEFAULT_MAX_LINE_BYTES } from "./io/reader.js";
export type { RawLine, ReadSummary } from "./io/reader.js";
export { detectFormat, FORMAT_KEYS } from "./dataset-formats/detect.js";
export { validateRecord, SCHEMA_DIR } from "./dataset-formats/validate.js";
export { rules, ruleById } from "./rules/index.js";
export type { Rule, RuleMeta } from "./rules/types.js";
export { formatters, ruleDocs, formatContext } from "./report/formatters.js";
export { VERSION } from "./version.js";
export { loadCounter, isExactCount, TokenizerLoadError } from "./tokens/load.js";
export type { TokenCounter, AddedToken, LoadCounterOptions } from "./tokens/load.js";
export { resolveHubTokenizer, hubSettings, HubError, MAX_TOKENIZER_BYTES } from "./tokens/hub.js";
export type { HubFiles, HubSettings, HubErrorKind } from "./tokens/hub.js";
export type * from "./types.js";
export { DATASET_FORMATS } from "./types.js";
// The uploader's home is the "tunelint/upload" subpath; re-exported here for code written before it existed.
export * from "./upload/index.js";
export * from "./convert/index.js";
