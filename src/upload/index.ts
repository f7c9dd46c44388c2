/**
 * The uploader's public surface (re-exported from the package root).
 */
export { uploadDataset, lintBlocks } from "./dataset.js";
export { uploadFile, waitForProcessing, describeValidationReport } from "./files.js";
export { createFineTune, estimatePrice, getModelLimits, nearestModelIds, checkAgainstLimits, buildFineTuneRequest } from "./finetune.js";
export {
  classifyTogetherError,
  TogetherApiError,
  FileChangedError,
  UploadAbortedError,
  redactUrl,
  redactText,
  redactDeep,
  retryAfterMsFrom,
} from "./errors.js";
export type { TogetherErrorCategory, TogetherErrorCode, TogetherErrorInfo } from "./errors.js";
export { TogetherClient, MissingApiKeyError, resolveApiKey, resolveBaseUrl } from "./client.js";
export { defaultRetryPolicy } from "./retry.js";
export { JOB_OPTIONS, parseJobSettings } from "./job-options.js";
export type { JobOption } from "./job-options.js";
export { refreshModels } from "./models-refresh.js";
export type { RefreshOptions } from "./models-refresh.js";
export * from "./types.js";
