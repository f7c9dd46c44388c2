import type { DatasetFormat } from "../types.js";

/** Top-level keys each format defines (its required keys first). */
export const FORMAT_KEYS: Record<DatasetFormat, string[]> = {
  conversation: ["messages", "tools"],
  instruction: ["prompt", "completion"],
  general: ["text"],
  preference: ["input", "preferred_output", "non_preferred_output"],
};

/**
 * The format of one record, from its keys. A record with keys of several formats is given the first match
 * in this order (conversation, preference, instruction, general); the other keys are then unknown keys.
 * Partial matches count (a record with only `prompt` is an instruction record missing `completion`).
 */
export function detectFormat(record: Record<string, unknown>): DatasetFormat | null {
  if ("messages" in record) return "conversation";
  if ("input" in record || "preferred_output" in record || "non_preferred_output" in record) return "preference";
  if ("prompt" in record || "completion" in record) return "instruction";
  if ("text" in record) return "general";
  return null;
}
