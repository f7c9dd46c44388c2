/**
 * One measured run, in its own process so peak RSS is its own: prints {seconds, maxRssMiB, records} as JSON on stdout.
 *   node scripts/bench-child.mjs <mode> <file> [args...]
 * modes: readline (node readline + JSON.parse, the floor), parse-view (chunked read + split + JSON.parse of each line's
 *   Latin-1 view: the least a JSON.parse-based check does), check (tunelint's library; --jobs N, --model ID),
 *   render-count (readline + JSON.parse + the model's chat template rendered by tunelint's template code, then the
 *   rendered string counted by --engine tunelint (the engine tunelint counts with) or --engine napi (the Hugging Face
 *   Rust tokenizer, npm `tokenizers`, one `await encode()` at a time: one tokenizer call in flight, so one thread;
 *   a forced collection every 200 records keeps its native memory bounded). --max-mb N stops after N MB of lines.
 *   Also prints tokSeconds (time inside the counting calls only) and the total token count (equal for both engines).
 */
import { createReadStream } from "node:fs";
import { createInterface } from "node:readline";

const [mode, file, ...rest] = process.argv.slice(2);
const t0 = performance.now();
const cpu0 = process.cpuUsage();
let records = 0;
const extraOut = {};
if (mode === "readline") {
  const rl = createInterface({ input: createReadStream(file, { highWaterMark: 1 << 20 }), crlfDelay: Infinity });
  for await (const line of rl) {
    if (line.length === 0) continue;
    JSON.parse(line);
    records++;
  }
} else if (mode === "parse-view") {
  // The least a JSON.parse-based check does: read in 1 MiB chunks, split on newlines, parse each line's Latin-1 view
  // (exact for structure: all JSON syntax is ASCII; a strict check would still validate UTF-8 and the schema).
  const { openSync, readSync, closeSync } = await import("node:fs");
  const fd = openSync(file, "r");
  const buf = Buffer.allocUnsafe(1 << 20);
  let carry = null;
  for (;;) {
    const n = readSync(fd, buf, 0, buf.length, null);
    if (n === 0) break;
    const chunk = carry ? Buffer.concat([carry, buf.subarray(0, n)]) : buf.subarray(0, n);
    let s = 0;
    for (let e = chunk.indexOf(10, s); e !== -1; e = chunk.indexOf(10, s)) {
      if (e > s) {
        JSON.parse(chunk.latin1Slice(s, e));
        records++;
      }
      s = e + 1;
    }
    carry = s < chunk.length ? Buffer.from(chunk.subarray(s)) : null;
  }
  if (carry && carry.length) {
    JSON.parse(carry.latin1Slice(0, carry.length));
    records++;
  }
  closeSync(fd);
} else if (mode === "check") {
  const { lintFile, prepareLint } = await import("../dist/index.js");
  // As the CLI's check runs it: no SHA-256, tokenizer loaded only where records are counted.
  const opts = { config: false, hash: false, lazyTokenizer: true };
  for (let i = 0; i < rest.length; i += 2) {
    if (rest[i] === "--model") opts.model = rest[i + 1];
    if (rest[i] === "--jobs") opts.jobs = Number(rest[i + 1]);
    if (rest[i] === "--max-seq-length") opts.maxSeqLength = Number(rest[i + 1]);
    if (rest[i] === "--text-rules-off") opts.rules = { "near-duplicate": "off", "conflicting-answers": "off", "credential-found": "off" };
    // --rules-off a,b,c: those rules off (bench.mjs --rule-costs: what each rule costs).
    if (rest[i] === "--rules-off") opts.rules = Object.fromEntries(rest[i + 1].split(",").map((id) => [id, "off"]));
    if (rest[i] === "--decoded") process.env.TUNELINT_LATIN1_VIEW = "0";
  }
  const r = await lintFile(file, await prepareLint(opts));
  records = r.records;
  if (r.errorCount) {
    console.error(`unexpected errors: ${JSON.stringify(r.diagnostics.slice(0, 3))}`);
    process.exitCode = 1;
  }
} else if (mode === "render-count") {
  const opt = (name, def) => {
    const i = rest.indexOf(`--${name}`);
    return i >= 0 ? rest[i + 1] : def;
  };
  const modelId = opt("model", "meta-llama/Meta-Llama-3.1-8B-Instruct-Reference");
  const engineName = opt("engine", "tunelint");
  const maxBytes = Number(opt("max-mb", Infinity)) * 1e6;
  const { readFileSync } = await import("node:fs");
  const { gunzipSync } = await import("node:zlib");
  const { resolveModel } = await import("../dist/models/index.js");
  const { getProfile } = await import("../dist/tokens/profiles.js");
  const { ChatTemplate } = await import("../dist/tokens/jinja.js");
  const { SkeletonRenderer, CONTRACTS } = await import("../dist/tokens/skeleton.js");
  const { loadTokenizerJson, getShippedEngine, shippedTokenizerPath } = await import("../dist/tokens/tokenizer.js");
  const model = resolveModel(modelId);
  const p = getProfile(model.family);
  const template = new ChatTemplate(readFileSync(new URL(`../data/templates/${p.template}.jinja`, import.meta.url), "utf8"));
  const jinja = (messages, addGen) =>
    template.render({ messages, tools: null, addGenerationPrompt: addGen, bosToken: p.bosToken, eosToken: p.eosToken });
  const skeleton = CONTRACTS[p.template] ? new SkeletonRenderer(CONTRACTS[p.template], jinja) : null;
  const render = (messages) => skeleton?.tryRender(messages, null, false) ?? jinja(messages, false);
  let count;
  const tl0 = performance.now();
  if (engineName === "napi") {
    const { Tokenizer } = await import("tokenizers");
    const raw = p.variant
      ? JSON.stringify(loadTokenizerJson(p.tokenizer, p.variant))
      : gunzipSync(readFileSync(shippedTokenizerPath(p.tokenizer))).toString("utf8");
    const tok = Tokenizer.fromString(raw);
    let k = 0;
    count = async (text) => {
      const n = (await tok.encode(text, null, { addSpecialTokens: false })).getIds().length;
      if (++k % 200 === 0) globalThis.gc?.();
      return n;
    };
  } else {
    const e = getShippedEngine(p.tokenizer, p.variant);
    e.count("a"); // shipped engines build on first use: build it here, inside loadSeconds
    count = (text) => e.count(text);
  }
  const loadSeconds = (performance.now() - tl0) / 1000;
  let tokSeconds = 0;
  let renderSeconds = 0;
  let tokens = 0;
  let bytes = 0;
  const rl = createInterface({ input: createReadStream(file, { highWaterMark: 1 << 20 }), crlfDelay: Infinity });
  for await (const line of rl) {
    if (line.length === 0) continue;
    bytes += Buffer.byteLength(line) + 1;
    if (bytes > maxBytes) break;
    const rec = JSON.parse(line);
    const r0 = performance.now();
    const text = render(rec.messages);
    const t0 = performance.now();
    tokens += await count(text);
    tokSeconds += (performance.now() - t0) / 1000;
    renderSeconds += (t0 - r0) / 1000;
    records++;
  }
  rl.close();
  Object.assign(extraOut, { tokSeconds, renderSeconds, loadSeconds, tokens, bytes: Math.min(bytes, maxBytes) });
} else {
  throw new Error(`unknown mode ${mode}`);
}
const seconds = (performance.now() - t0) / 1000;
const ru = process.resourceUsage();
const cpu = process.cpuUsage(cpu0); // all threads (workers included), from this module's start
process.stdout.write(
  JSON.stringify({ seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, maxRssMiB: ru.maxRSS / 1024, records, ...extraOut }) + "\n",
);
