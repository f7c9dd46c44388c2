#!/usr/bin/env node
/**
 * Measures near-duplicate findings on real datasets (not shipped: pass their paths). For each file: records, findings
 * (normalised copies, near copies), how many reported near pairs really have a word 3-shingle Jaccard similarity at
 * or above the threshold (computed exactly, independently of the MinHash estimate), and how many pairs at or above it
 * the rule missed (all pairs compared, so keep files to a few thousand records).
 *   npm run build && node scripts/near-dup-fp.mjs data/*.jsonl
 * Prints a Markdown table (the one in docs/rules/near-duplicate.md came from this script).
 */
import { readFileSync } from "node:fs";
import { basename } from "node:path";

const { lintFile, prepareLint } = await import(new URL("../dist/index.js", import.meta.url).href);
const { exampleText } = await import(new URL("../dist/rules/utils/example-text.js", import.meta.url).href);
const { detectFormat } = await import(new URL("../dist/dataset-formats/detect.js", import.meta.url).href);

const THRESHOLD = 0.8;
const MIN_WORDS = 10;
const { wordList } = await import(new URL("../dist/rules/utils/minhash.js", import.meta.url).href);

function shingles(record) {
  const t = exampleText(record, detectFormat(record));
  if (!t) return null;
  const w = wordList(t.body);
  if (w.length < MIN_WORDS) return null;
  const s = new Set();
  for (let i = 0; i + 3 <= w.length; i++) s.add(w.slice(i, i + 3).join("\u0001"));
  return s;
}
function jaccard(a, b) {
  let inter = 0;
  for (const x of a) if (b.has(x)) inter++;
  return inter / (a.size + b.size - inter);
}

const rows = [];
const prepared = await prepareLint({ config: false, jobs: 1 });
for (const path of process.argv.slice(2)) {
  const r = await lintFile(path, prepared);
  const lines = readFileSync(path, "utf8").split("\n");
  const recs = lines.map((l) => {
    try {
      const v = JSON.parse(l);
      return v && typeof v === "object" && !Array.isArray(v) && detectFormat(v) ? v : null;
    } catch {
      return null;
    }
  });
  const sh = recs.map((v) => (v ? shingles(v) : null));
  const nd = r.diagnostics.filter((d) => d.ruleId === "near-duplicate");
  const near = nd.filter((d) => d.messageId === "near");
  let confirmed = 0;
  const reported = new Set();
  for (const d of near) {
    const a = sh[d.data.firstLine - 1];
    const b = sh[d.line - 1];
    reported.add(d.line);
    if (a && b && jaccard(a, b) >= THRESHOLD) confirmed++;
  }
  // Later lines with an earlier partner at or above the threshold that no finding (of either kind) names.
  const flagged = new Set(
    r.diagnostics.filter((d) => d.ruleId === "near-duplicate" || d.ruleId === "duplicate-example").map((d) => d.line),
  );
  let missed = 0;
  for (let j = 0; j < sh.length; j++) {
    if (!sh[j] || flagged.has(j + 1)) continue;
    for (let i = 0; i < j; i++) {
      if (sh[i] && jaccard(sh[i], sh[j]) >= THRESHOLD) {
        missed++;
        break;
      }
    }
  }
  rows.push({
    file: basename(path),
    records: r.records,
    normalized: nd.length - near.length,
    near: near.length,
    confirmed,
    missed,
  });
}
console.log(
  `| file | records | normalised copies | near copies | near pairs with exact J >= ${THRESHOLD} | later lines at J >= ${THRESHOLD} not reported |`,
);
console.log("|---|---|---|---|---|---|");
for (const r of rows) console.log(`| ${r.file} | ${r.records} | ${r.normalized} | ${r.near} | ${r.confirmed} | ${r.missed} |`);
