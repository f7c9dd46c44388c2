/** Constants of the Together API shared by the uploader and `models --refresh` (the one home of the default base URL). */
export const DEFAULT_BASE_URL = "https://api.together.xyz/v1";
/** Files above this size go through the multipart flow. */
export const MULTIPART_THRESHOLD = 5 * 1024 ** 3;
/** Target size of one multipart part. */
export const MULTIPART_PART_SIZE = 250 * 1024 ** 2;
export const MULTIPART_CONCURRENCY = 4;
/** Default time-out of one API request (and idle time-out of an upload), ms. */
export const DEFAULT_TIMEOUT_MS = 60_000;
