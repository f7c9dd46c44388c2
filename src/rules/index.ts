/**
 * The ordered rule registry. Order matters twice: findings on one line are reported in this order,
 * and ajv errors are offered to `fromSchema` in this order (specific rules before the catch-alls).
 * Rule ids are never reused: a retired rule stays here as a comment.
 */
import type { Rule } from "./types.js";
import readError from "./read-error.js";
import emptyFile from "./empty-file.js";
import fileTooLarge from "./file-too-large.js";
import fileExtension from "./file-extension.js";
import jsonDocument from "./json-document.js";
import utf8Bom from "./utf8-bom.js";
import invalidUtf8 from "./invalid-utf8.js";
import lineTooLong from "./line-too-long.js";
import blankLine from "./blank-line.js";
import controlCharacter from "./control-character.js";
import invalidJson from "./invalid-json.js";
import nestingTooDeep from "./nesting-too-deep.js";
import notAnObject from "./not-an-object.js";
import unknownFormat from "./unknown-format.js";
import mixedFormats from "./mixed-formats.js";
import ambiguousFormat from "./ambiguous-format.js";
import unknownKey from "./unknown-key.js";
import messagesNotArray from "./messages-not-array.js";
import messagesEmpty from "./messages-empty.js";
import messageNotObject from "./message-not-object.js";
import roleMissing from "./role-missing.js";
import roleNotString from "./role-not-string.js";
import dpoOutputRole from "./dpo-output-role.js";
import roleUnknown from "./role-unknown.js";
import contentMissing from "./content-missing.js";
import contentNull from "./content-null.js";
import contentType from "./content-type.js";
import contentEmpty from "./content-empty.js";
import contentPartInvalid from "./content-part-invalid.js";
import contentMixedKinds from "./content-mixed-kinds.js";
import imageInvalid from "./image-invalid.js";
import imageNotInUserMessage from "./image-not-in-user-message.js";
import tooManyImages from "./too-many-images.js";
import imageTooLarge from "./image-too-large.js";
import unknownMessageKey from "./unknown-message-key.js";
import weightInvalid from "./weight-invalid.js";
import weightWithImage from "./weight-with-image.js";
import toolCallInvalid from "./tool-call-invalid.js";
import toolsInvalid from "./tools-invalid.js";
import toolArgumentsInvalid from "./tool-arguments-invalid.js";
import toolUndeclared from "./tool-undeclared.js";
import toolArgumentsSchema from "./tool-arguments-schema.js";
import toolCallIdDuplicate from "./tool-call-id-duplicate.js";
import toolResultOrphan from "./tool-result-orphan.js";
import toolCallUnanswered from "./tool-call-unanswered.js";
import specialTokenInContent from "./special-token-in-content.js";
import templatedContent from "./templated-content.js";
import assistantMissing from "./assistant-missing.js";
import consecutiveRoles from "./consecutive-roles.js";
import systemNotFirst from "./system-not-first.js";
import lastNotAssistant from "./last-not-assistant.js";
import fieldMissing from "./field-missing.js";
import fieldType from "./field-type.js";
import fieldEmpty from "./field-empty.js";
import dpoOutputCount from "./dpo-output-count.js";
import dpoInputEndsWithAssistant from "./dpo-input-ends-with-assistant.js";
import dpoIdenticalOutputs from "./dpo-identical-outputs.js";
import parquetColumns from "./parquet-columns.js";
import parquetRowShape from "./parquet-row-shape.js";
import attentionMaskInvalid from "./attention-mask-invalid.js";
import labelsInvalid from "./labels-invalid.js";
import labelsNoneTrained from "./labels-none-trained.js";
import tokenIdOutOfRange from "./token-id-out-of-range.js";
import tokenLimit from "./token-limit.js";
import tokenLimitNear from "./token-limit-near.js";
import assistantTruncated from "./assistant-truncated.js";
import noTrainedTokens from "./no-trained-tokens.js";
import tokenCountEstimate from "./token-count-estimate.js";
import methodFormatMismatch from "./method-format-mismatch.js";
import duplicateExample from "./duplicate-example.js";
import nearDuplicate from "./near-duplicate.js";
import conflictingAnswers from "./conflicting-answers.js";
import validationLeak from "./validation-leak.js";
import credentialFound from "./credential-found.js";
import personalData from "./personal-data.js";
import tooFewExamples from "./too-few-examples.js";
import schemaViolation from "./schema-violation.js";

export const rules: readonly Rule[] = [
  readError,
  emptyFile,
  fileTooLarge,
  fileExtension,
  jsonDocument,
  utf8Bom,
  invalidUtf8,
  lineTooLong,
  blankLine,
  controlCharacter,
  invalidJson,
  nestingTooDeep,
  notAnObject,
  unknownFormat,
  mixedFormats,
  ambiguousFormat,
  unknownKey,
  messagesNotArray,
  messagesEmpty,
  messageNotObject,
  roleMissing,
  roleNotString,
  dpoOutputRole,
  roleUnknown,
  contentMissing,
  contentNull,
  contentType,
  contentEmpty,
  contentPartInvalid,
  contentMixedKinds,
  imageInvalid,
  imageNotInUserMessage,
  tooManyImages,
  imageTooLarge,
  unknownMessageKey,
  weightInvalid,
  weightWithImage,
  toolCallInvalid,
  toolsInvalid,
  toolArgumentsInvalid,
  toolUndeclared,
  toolArgumentsSchema,
  toolCallIdDuplicate,
  toolResultOrphan,
  toolCallUnanswered,
  specialTokenInContent,
  templatedContent,
  assistantMissing,
  consecutiveRoles,
  systemNotFirst,
  lastNotAssistant,
  fieldMissing,
  fieldType,
  fieldEmpty,
  dpoOutputCount,
  dpoInputEndsWithAssistant,
  dpoIdenticalOutputs,
  parquetColumns,
  parquetRowShape,
  attentionMaskInvalid,
  labelsInvalid,
  labelsNoneTrained,
  tokenIdOutOfRange,
  tokenLimit,
  tokenLimitNear,
  assistantTruncated,
  noTrainedTokens,
  tokenCountEstimate,
  methodFormatMismatch,
  duplicateExample,
  nearDuplicate,
  conflictingAnswers,
  validationLeak,
  credentialFound,
  personalData,
  tooFewExamples,
  schemaViolation,
];

export const ruleById: ReadonlyMap<string, Rule> = new Map(rules.map((r) => [r.meta.id, r]));
