#!/usr/bin/env node
/**
 * Writes the compact tables of each shipped byte-level tokenizer (run by `npm run build`, after tsc):
 * dist/tables/<file>.tables, from data/tokenizers/<file>.json.gz, in the format of src/tokens/bpe-tables.ts. A
 * check loads them in a few tens of milliseconds instead of parsing the tokenizer.json and building the merge table
 * (0.4 to 1 s), once per run, and shares them with its worker threads. Each file names the SHA-256 of the tokenizer
 * file it was made from: at run time a file made from other bytes, or in another format, is ignored (the tables are
 * then built from the tokenizer.json, as without this step), and test/tokens/shared-tables.test.ts checks that the
 * built files are byte for byte what the tokenizer.json gives. A file already up to date is not rewritten.
 *   node scripts/build-tables.mjs [--force]
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../", import.meta.url));
const { compileBpe } = await import(`${root}dist/tokens/bpe.js`);
const { toCompact, compactHeader, TABLES_FORMAT } = await import(`${root}dist/tokens/bpe-tables.js`);
const { readTokenizerJson, shippedTokenizerPath, TABLES_DIR } = await import(`${root}dist/tokens/tokenizer.js`);
const { PROFILES } = await import(`${root}dist/tokens/profiles.js`);

const force = process.argv.includes("--force");
const outDir = fileURLToPath(TABLES_DIR);
mkdirSync(outDir, { recursive: true });
const files = [
  ...new Set(
    Object.values(PROFILES)
      .map((p) => p.tokenizer)
      .filter(Boolean),
  ),
];
const t0 = performance.now();
const wrote = [];
for (const file of files) {
  const src = shippedTokenizerPath(file);
  const sha256 = createHash("sha256").update(readFileSync(src)).digest("hex");
  const out = `${outDir}${file}.tables`;
  // a tokenizer the fast engine does not take (SentencePiece style): marked, so that later builds skip its parse
  const none = `${outDir}${file}.none`;
  if (!force && existsSync(none) && readFileSync(none, "utf8") === sha256) continue;
  if (!force && existsSync(out)) {
    const h = compactHeader(readFileSync(out));
    if (h && h.header.format === TABLES_FORMAT && h.header.source.sha256 === sha256) continue;
  }
  const json = readTokenizerJson(src);
  const compiled = compileBpe(json);
  if (!compiled) {
    writeFileSync(none, sha256);
    continue;
  }
  const { vocab: _v, merges: _m, ...model } = json.model;
  const bytes = toCompact(compiled.tables, { source: { sha256 }, tokenizer: { ...json, model } });
  writeFileSync(out, bytes);
  wrote.push(file);
}
if (wrote.length) console.error(`tables: ${wrote.join(", ")} (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
