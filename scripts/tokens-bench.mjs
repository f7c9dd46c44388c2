#!/usr/bin/env node
/**
 * Token-counting benchmark (short: about 1 MB of text per engine and family). Build first: `npm run build`.
 *   node scripts/tokens-bench.mjs [families...]   (default: llama3.1 qwen2.5)
 * Reports: cold load (read + gunzip + parse + build), MB/s and tokens/s of the engine tunelint counts with (the
 * count-only BPE engine for byte-level families, else @huggingface/tokenizers; TUNELINT_ENGINE=reference forces the
 * latter), and of the Rust reference (npm `tokenizers`, devDependency) when installed, plus
 * records/s of TokenCounter.count on chat records. Text: synthetic words drawn from a 30,000-word vocabulary with a
 * Zipf distribution (like natural language), numbers, code lines and CJK runs; `--uniform` draws words uniformly
 * (low repetition: the engines' word caches help much less); `--readmes`: real English and code, the Markdown files
 * found under node_modules (1 MB).
 */
import { performance } from "node:perf_hooks";

const FILES = {
  "llama3.1": ["llama3", "llama3.1"],
  llama3: ["llama3"],
  "qwen2.5": ["qwen3", "qwen2.5"],
  qwen3: ["qwen3"],
  "mistral-v1": ["mistral-v1"],
  llama2: ["llama2"],
  "deepseek-v3": ["deepseek-v3"],
  gemma3: ["gemma3"],
  "gpt-oss": ["gpt-oss"],
};
const MODELS = {
  "llama3.1": "meta-llama/Meta-Llama-3.1-8B-Instruct-Reference",
  "qwen2.5": "Qwen/Qwen2.5-7B-Instruct",
  qwen3: "Qwen/Qwen3-8B",
  "mistral-v1": "mistralai/Mistral-7B-Instruct-v0.2",
  llama2: "togethercomputer/llama-2-7b-chat",
  "deepseek-v3": "deepseek-ai/DeepSeek-V3",
  gemma3: "google/gemma-3-4b-it",
  "gpt-oss": "openai/gpt-oss-20b",
  llama3: "meta-llama/Meta-Llama-3-8B-Instruct",
};

function rng(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), s | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
function makeDocs(totalBytes, seed = 5) {
  const r = rng(seed);
  const syl = [
    "ka",
    "to",
    "ri",
    "men",
    "sa",
    "lo",
    "pre",
    "tion",
    "ing",
    "er",
    "an",
    "the",
    "qu",
    "ex",
    "str",
    "ph",
    "ou",
    "ly",
    "al",
    "con",
    "de",
    "un",
    "is",
    "or",
  ];
  const mkWord = () => Array.from({ length: 1 + Math.floor(r() * 4) }, () => syl[Math.floor(r() * syl.length)]).join("");
  const VOCAB = Array.from({ length: 30000 }, mkWord);
  // Zipf(s=1.07) by inverse CDF over ranks
  const H = [];
  let acc = 0;
  for (let k = 1; k <= VOCAB.length; k++) H.push((acc += 1 / k ** 1.07));
  const zipf = () => {
    const x = r() * acc;
    let lo = 0,
      hi = H.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (H[mid] < x) lo = mid + 1;
      else hi = mid;
    }
    return VOCAB[lo];
  };
  const word = UNIFORM ? mkWord : zipf;
  const docs = [];
  let bytes = 0;
  while (bytes < totalBytes) {
    const parts = [];
    const n = 20 + Math.floor(r() * 200);
    for (let i = 0; i < n; i++) {
      const k = r();
      if (k < 0.75) parts.push((r() < 0.1 ? word()[0].toUpperCase() : "") + word() + (r() < 0.1 ? "," : r() < 0.08 ? "." : ""));
      else if (k < 0.85) parts.push(String(Math.floor(r() * 100000)));
      else if (k < 0.93) parts.push(`\n    ${word()}_${word()}(${word()}, ${Math.floor(r() * 99)}) {\n`);
      else
        parts.push(Array.from({ length: 2 + Math.floor(r() * 8) }, () => String.fromCodePoint(0x4e00 + Math.floor(r() * 5000))).join(""));
    }
    const d = parts.join(" ");
    docs.push(d);
    bytes += Buffer.byteLength(d);
  }
  return { docs, bytes };
}

const UNIFORM = process.argv.includes("--uniform");
const args = process.argv.slice(2).filter((a) => !a.startsWith("--"));
const families = args.length ? args : ["llama3.1", "qwen2.5"];
/** --readmes: real English + code: the Markdown files under node_modules, split in paragraphs-sized documents. */
async function readmeDocs(totalBytes) {
  const { readdirSync, readFileSync, statSync } = await import("node:fs");
  const { join } = await import("node:path");
  const docs = [];
  let bytes = 0;
  const walk = (dir, depth) => {
    if (bytes >= totalBytes || depth > 4) return;
    let names = [];
    try {
      names = readdirSync(dir).sort();
    } catch {
      return;
    }
    for (const n of names) {
      if (bytes >= totalBytes) return;
      const p = join(dir, n);
      let st;
      try {
        st = statSync(p);
      } catch {
        continue;
      }
      if (st.isDirectory()) walk(p, depth + 1);
      else if (/\.md$/i.test(n) && st.size > 2000) {
        const text = readFileSync(p, "utf8");
        for (let i = 0; i < text.length && bytes < totalBytes; i += 4000) {
          const d = text.slice(i, i + 4000);
          docs.push(d);
          bytes += Buffer.byteLength(d);
        }
      }
    }
  };
  walk(new URL("../node_modules", import.meta.url).pathname, 0);
  return { docs, bytes };
}
const { docs, bytes } = process.argv.includes("--readmes") ? await readmeDocs(1_000_000) : makeDocs(1_000_000);
const eng = await import("../dist/tokens/tokenizer.js");
let Rust = null;
try {
  ({ Tokenizer: Rust } = await import("tokenizers"));
} catch {}
const { resolveModel } = await import("../dist/models/index.js");
const { loadCounter } = await import("../dist/tokens/load.js");
const mb = bytes / 1e6;
console.log(
  `text (${process.argv.includes("--readmes") ? "node_modules Markdown" : UNIFORM ? "uniform words" : "Zipf words"}): ${docs.length} documents, ${mb.toFixed(2)} MB; node ${process.version}`,
);
for (const fam of families) {
  const [file, variant] = FILES[fam];
  let t = performance.now();
  const json = eng.loadTokenizerJson(file, variant);
  const tParse = performance.now() - t;
  t = performance.now();
  const e = eng.createCountingEngine(json, () => json);
  const tBuild = performance.now() - t;
  let tokens = 0;
  t = performance.now();
  for (const d of docs) tokens += e.count(d);
  const tJs = (performance.now() - t) / 1000;
  let rustLine = "";
  if (Rust) {
    const rt = Rust.fromString(JSON.stringify(json));
    t = performance.now();
    let rtok = 0;
    for (const d of docs) rtok += (await rt.encode(d, null, { addSpecialTokens: false })).getIds().length;
    const tR = (performance.now() - t) / 1000;
    rustLine = `; Rust reference (napi, one call per document) ${(mb / tR).toFixed(2)} MB/s${rtok === tokens ? ", same total" : `, TOTAL DIFFERS ${rtok}`}`;
  }
  // count() on chat records: template render + tokenize, including the promptTokens render
  const counter = await loadCounter(resolveModel(MODELS[fam]));
  const recs = docs.slice(0, 300).map((d) => ({
    messages: [
      { role: "user", content: d.slice(0, d.length >> 1) },
      { role: "assistant", content: d.slice(d.length >> 1) || "x" },
    ],
  }));
  const recBytes = recs.reduce((s, r) => s + Buffer.byteLength(r.messages[0].content) + Buffer.byteLength(r.messages[1].content), 0);
  t = performance.now();
  for (const r of recs) counter.count(r, "conversation");
  const tRec = (performance.now() - t) / 1000;
  t = performance.now();
  for (const r of recs) void counter.count(r, "conversation").promptTokens;
  const tRecP = (performance.now() - t) / 1000;
  console.log(
    `${fam}: cold load ${(tParse + tBuild).toFixed(0)} ms (read+gunzip+parse ${tParse.toFixed(0)}, build ${tBuild.toFixed(0)}); ` +
      `engine (${e.kind ?? "reference"}) ${(mb / tJs).toFixed(2)} MB/s, ${(tokens / tJs / 1000).toFixed(0)}k tokens/s${rustLine}; ` +
      `count(): ${(recs.length / tRec).toFixed(0)} records/s, ${(recBytes / 1e6 / tRec).toFixed(2)} MB/s of content ` +
      `(reading promptTokens too: ${(recs.length / tRecP).toFixed(0)} records/s)`,
  );
}
