/**
 * The fingerprint words of one example (see NearIndex): a 64-bit hash of its normalised text, 16 bits of the raw
 * line's hash, and a MinHash sketch of its non-system text when it has at least `minWords` words.
 */
import type { RecordContext } from "../types.js";
import { exampleText, hash64, lineHash32 } from "./example-text.js";
import { HAS_SKETCH } from "./line-index.js";
import { sketch } from "./minhash.js";

/** Writes the 7 fingerprint words of the record into `out`; false when the record has no text to compare. */
export function fingerprint(ctx: RecordContext, minWords: number, out: Uint32Array): boolean {
  const t = exampleText(ctx.record, ctx.format);
  if (!t) return false;
  hash64(t.whole, out, 0);
  let flags = lineHash32(ctx.bytes) & 0x7ff;
  if (sketch(t.body, minWords, out, 3) > 0) flags |= HAS_SKETCH;
  out[2] = flags;
  return true;
}
