/**
 * GitHub Actions workflow commands (`::error file=...::message`): the one home of their escaping, used by the github
 * formatter and the Action.
 */

/** Escape the message part of a workflow command (`%`, CR, LF). */
export function escapeData(value: string): string {
  return value.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

/** Escape a property value of a workflow command (data escaping plus `:` and `,`). */
export function escapeProperty(value: string): string {
  return escapeData(value).replace(/:/g, "%3A").replace(/,/g, "%2C");
}
