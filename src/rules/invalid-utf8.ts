import { isUtf8 } from "node:buffer";
import { defineRule } from "./types.js";

/** 0-based byte offset of the first invalid UTF-8 sequence, and the valid prefix length in UTF-16 units. */
export function firstInvalidUtf8(b: Buffer): { byte: number; column: number } {
  let i = 0;
  let units = 0;
  const n = b.length;
  while (i < n) {
    const c = b[i]!;
    let len = 0;
    let min = 0;
    if (c < 0x80) {
      i++;
      units++;
      continue;
    } else if (c >= 0xc2 && c <= 0xdf) {
      len = 2;
      min = 0x80;
    } else if (c >= 0xe0 && c <= 0xef) {
      len = 3;
      min = 0x800;
    } else if (c >= 0xf0 && c <= 0xf4) {
      len = 4;
      min = 0x10000;
    } else return { byte: i, column: units + 1 };
    if (i + len > n) return { byte: i, column: units + 1 };
    let cp = c & (0xff >> (len + 1));
    for (let k = 1; k < len; k++) {
      const d = b[i + k]!;
      if ((d & 0xc0) !== 0x80) return { byte: i, column: units + 1 };
      cp = (cp << 6) | (d & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return { byte: i, column: units + 1 };
    i += len;
    units += cp >= 0x10000 ? 2 : 1;
  }
  return { byte: -1, column: -1 };
}

export default defineRule({
  meta: {
    id: "invalid-utf8",
    severity: "error",
    description: "Require every line to be valid UTF-8.",
    messages: {
      invalid:
        "Invalid UTF-8 at byte {{byte}} of the line (0x{{hex}}); Together requires UTF-8. Re-encode the file (e.g. `iconv -f latin1 -t utf-8`).",
    },
    scope: "line",
    docs:
      "Together decodes the file as strict UTF-8 and fails on the first invalid byte. Common causes: a Latin-1 or Windows-1252 export, " +
      "a truncated multi-byte character where a tool cut a string by bytes, or binary data pasted into a field. " +
      "tunelint reports the first invalid byte of each line with its column and goes on judging the line as if the bytes were U+FFFD.",
    since: "0.1.0",
  },
  create: () => ({
    raw(ctx, report) {
      if (ctx.oversized || isUtf8(ctx.bytes)) return;
      const { byte, column } = firstInvalidUtf8(ctx.bytes);
      if (byte < 0) return;
      report({
        messageId: "invalid",
        column,
        data: { byte: byte + 1, hex: ctx.bytes[byte]!.toString(16).toUpperCase().padStart(2, "0") },
      });
    },
  }),
});
