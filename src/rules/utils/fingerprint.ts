/**
 * The fingerprint words of one example (see NearIndex): a 64-bit hash of its normalised text, 11 bits of the raw
 * line's hash, and a MinHash sketch of its non-system text when it has at least `minWords` words.
 */
import type { RecordContext } from "../types.js";
import { exampleDigest, lineHash32 } from "./example-text.js";
import { HAS_SKETCH } from "./line-index.js";
import { sketchWords } from "./minhash.js";

/** Writes the fingerprint words of the record into `out`; false when the record has no text to compare. */
export function fingerprint(
  ctx: Pick<RecordContext, "record" | "format" | "bytes" | "latin1">,
  minWords: number,
  out: Uint32Array,
): boolean {
  const d = exampleDigest(ctx.record, ctx.format, ctx.latin1);
  if (!d) return false;
  out[0] = d.hashes[0]!;
  out[1] = d.hashes[1]!;
  let flags = lineHash32(ctx.bytes) & 0x7ff;
  // The word buffer holds this record's words: whichever rule digested the record first filled it.
  if (sketchWords(d.wordCount, minWords, out, 3) > 0) flags |= HAS_SKETCH;
  out[2] = flags;
  return true;
}
