/** Shared walk over the image parts of a record, for the image rules. */
import type { DatasetFormat } from "../../types.js";
import { allMessages, anyMessage, isObject } from "./record.js";

export interface ImagePart {
  url: string;
  pointer: string;
  messagePointer: string;
  role: unknown;
  message: Record<string, unknown>;
  /** Instruction format (VLM instruction): the field holding the part, not a message. */
  field?: "prompt" | "completion";
}

const cache = new WeakMap<object, ImagePart[]>();
const NONE: ImagePart[] = [];

/**
 * The image parts of a record, computed once per record for all image rules. Records without any list content
 * (nearly all of a text dataset) cost a look at each message, not a scan of the line.
 */
export function imageParts(record: Record<string, unknown>, format: DatasetFormat): ImagePart[] {
  if (!hasPartLists(record, format)) return NONE;
  let parts = cache.get(record);
  if (!parts) {
    parts = [...walkImageParts(record, format)];
    cache.set(record, parts);
  }
  return parts;
}

function* walkImageParts(record: Record<string, unknown>, format: DatasetFormat): Generator<ImagePart> {
  if (format === "instruction") {
    for (const field of ["prompt", "completion"] as const) {
      for (const [i, url] of imageUrls(record[field])) {
        yield { url, pointer: `/${field}/${i}/image_url/url`, messagePointer: `/${field}`, role: field, message: record, field };
      }
    }
    return;
  }
  for (const { message, pointer } of allMessages(record, format)) {
    for (const [i, url] of imageUrls(message.content)) {
      yield { url, pointer: `${pointer}/content/${i}/image_url/url`, messagePointer: pointer, role: message.role, message };
    }
  }
}

function* imageUrls(c: unknown): Generator<[number, string]> {
  if (!Array.isArray(c)) return;
  for (let i = 0; i < c.length; i++) {
    const part = c[i];
    if (!isObject(part) || part.type !== "image_url" || !isObject(part.image_url)) continue;
    const url = part.image_url.url;
    if (typeof url === "string") yield [i, url];
  }
}

/** Decoded byte size of a base64 payload, without decoding it. */
export function base64Bytes(payload: string): number {
  let len = payload.length;
  while (len > 0 && payload.charCodeAt(len - 1) === 0x3d) len--;
  return Math.floor((len * 3) / 4);
}

export const DATA_URI = /^data:(image\/[a-z0-9.+-]+)?(;[^,;]*=[^,;]*)*(;base64)?,/i;

function hasPartLists(record: Record<string, unknown>, format: DatasetFormat): boolean {
  if (format === "instruction") return Array.isArray(record.prompt) || Array.isArray(record.completion);
  return anyMessage(record, format, (m) => Array.isArray(m.content));
}
