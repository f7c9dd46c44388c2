/** fix and convert, as the library exports them. */
export { fixRecord, fixLine, fixStream } from "./fix.js";
export type { FixChange, FixOptions, FixRecordResult, FixedLine } from "./fix.js";
export { convertRecord, convertStream, detectSource, SOURCE_FORMATS } from "./convert.js";
export type {
  ConvertOptions,
  ConvertRecordResult,
  ConvertedItem,
  ConvertIssue,
  ConvertChange,
  SourceFormat,
  TargetFormat,
} from "./convert.js";
export { readRecords } from "./json-stream.js";
export type { SourceItem, Container } from "./json-stream.js";
export { executeFix, executeConvert, InputError } from "./run.js";
export type { FixOutcome, ConvertOutcome, OutputDiagnostic } from "./run.js";
export type { ByteSource } from "./source.js";
