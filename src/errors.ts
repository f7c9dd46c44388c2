/** Errors every layer may throw. */

/** A usage, configuration or input problem: the CLI exits 2 and prints the message (no stack trace). */
export class UsageError extends Error {
  override name = "UsageError";
}
