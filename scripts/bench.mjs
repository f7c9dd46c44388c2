#!/usr/bin/env node
/**
 * npm run bench [-- --size-mb 250 | --big] [--runs 3] [--napi-mb 20] [--together-src DIR] [--structural-only | --tokens-only]
 * [--families | --families-only] [--family-mb 20] [--rule-costs] [--data-only: generate the file, print its path, stop] : generates a valid chat JSONL file (once, in bench-data/;
 * --big = 2 GB), then measures in one run, each in its own process (medians of --runs, default 3):
 * - the readline + JSON.parse floor;
 * - Together's own Python checker (`check_file`, together-python's src/together/utils/files.py) through
 *   scripts/together-check.py, when --together-src names a checkout/export of that repository's src/ directory
 *   (their code is not part of tunelint); without it the row says "not run";
 * - the shipped CLI (dist/bundle/tunelint.mjs check --format json) with the default jobs, peak RSS and CPU time by
 *   /usr/bin/time; its JSON document is compared byte for byte with --jobs 1 and with the Latin-1 view off;
 * - --jobs 1 with the Latin-1 view off (every line decoded), and with --rule-costs each costly rule (or group) off;
 * CPU seconds (all threads) are printed beside wall seconds: on a shared machine they move much less than wall time.
 * - tunelint structural check at --jobs 1 and --jobs 2, and at --jobs 1 without the cross-record text rules
 *   (near-duplicate, conflicting-answers, credential-found: their cost, and the check as it was before them);
 * - tunelint check with exact Llama 3.1 counts at --jobs 1 and with the default jobs, and with exact Qwen 2.5 counts;
 * - on the first --napi-mb MB of the same file: the same records rendered by tunelint's template code and counted by
 *   the Hugging Face Rust tokenizer (npm `tokenizers`, one await encode() at a time = one thread) and by tunelint's
 *   engine (one thread); both must give the same token total.
 * Prints one Markdown table (MB/s, lines/s, peak RSS, ratio to the floor), the ratios, the load average (the machine
 * may be shared) and the start-up time on a 1 KB file.
 *
 * Per family (--families, or --families-only to skip the rows above): `check --jobs 1 --model ID` on a --family-mb MB
 * file (default 20) for one model of each shipped tokenizer family, and one bring-your-own-model row whose tokenizer
 * comes from a Hugging Face cache (the shipped Qwen 3 files laid out in huggingface_hub's cache format under another
 * repository name, HF_HUB_OFFLINE=1: no request), to show the Hub path counts at the shipped speed.
 */
import { spawnSync } from "node:child_process";
import {
  copyFileSync,
  createWriteStream,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { cpus, loadavg, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../", import.meta.url));
const arg = (name, def) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : def;
};
const sizeMb = process.argv.includes("--big") ? 2000 : Number(arg("size-mb", 250));
const napiMb = Number(arg("napi-mb", 20));
const LLAMA = "meta-llama/Meta-Llama-3.1-8B-Instruct-Reference";
const QWEN = "Qwen/Qwen2.5-7B-Instruct";
const runs = Number(arg("runs", 3));
const togetherSrc = arg("together-src", null);
const dataDir = `${root}bench-data/`;
mkdirSync(dataDir, { recursive: true });

function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The corpus (version 2): 3 of 4 records non-ASCII (French, German, Russian, Arabic, Japanese, Chinese, code), with
 * emoji in about 1 word of 40 (some of them ZWJ sequences and flags), like the file issue 15 was measured on. Each
 * language has a vocabulary of about 2,000 words (its common words plus words built from its syllables, drawn with a
 * Zipf-like bias), so examples differ the way real ones do: version 1 drew from 18 words per language, and its
 * Japanese and Chinese records were near-duplicates of each other by the hundred.
 */
const BASE = {
  en: "the model should answer clearly and cite the relevant section of the manual before suggesting a fix for the customer account billing server network restart password invoice region storage".split(
    " ",
  ),
  fr: "le modèle doit répondre clairement et citer la section concernée du manuel avant de proposer une solution pour client facture réseau serveur mot de passe région stockage".split(
    " ",
  ),
  de: "das Modell soll klar antworten und den passenden Abschnitt des Handbuchs nennen bevor es eine Lösung vorschlägt für Kunden Rechnung Netzwerk Server Passwort Region Speicher".split(
    " ",
  ),
  ru: "модель должна отвечать ясно и ссылаться на нужный раздел руководства прежде чем предлагать решение для клиента счёт сеть сервер пароль регион хранилище".split(
    " ",
  ),
  ar: "يجب أن يجيب النموذج بوضوح ويستشهد بالقسم المناسب من الدليل قبل اقتراح حل للعميل الفاتورة الشبكة الخادم كلمة المرور المنطقة التخزين".split(
    " ",
  ),
  ja: "モデルは 明確に 回答し 修正を 提案する 前に マニュアルの 該当 セクションを 引用する 必要が あります お客様 請求書 ネットワーク サーバー パスワード 地域 ストレージ".split(
    " ",
  ),
  zh: "模型 应该 清楚地 回答 并在 提出 修复 建议 之前 引用 手册 的 相关 章节 客户 账单 网络 服务器 密码 区域 存储".split(" "),
  code: "def handler ( event , context ) : return { 'status' : 200 , 'body' : json.dumps ( event ) } # retry import os sys for in range if else None True False".split(
    " ",
  ),
};
const SYLLABLES = {
  en: "ba be con de di en er ex for in ing ion ma ment mi mo na ne no pa per pre pro re ri ro sa se so ta te ter ti to tion un ver".split(
    " ",
  ),
  fr: "la le de re ment tion é è on an en ou eu ai au con pré pro dé par pour sé té ré ca co ma mi mo na ni pa po sa si ta ti vo".split(
    " ",
  ),
  de: "ge be ver er ung keit heit lich isch en ein aus an ab zu ver ant bei ma me mi na ne ni ra re ri sa se ta te ti ka ke ku ä ö ü".split(
    " ",
  ),
  ru: "ка ко на не но по ра ре ро та те то ва ве во ли ло ла ми ма мо ст пр ов ен ни ть ся ие ый ая ое ых ого ему ция ств".split(" "),
  ar: "ال م ت ن ي و ا ب ل ك ر س ع د ق ف ح ج ه ة ات ين ون ية مع من في على إلى عن كان".split(" "),
  code: "get set is to from id key val map list str num buf err ctx req res cfg opt tmp idx len cnt obj arr fn cb db io".split(" "),
};
const EMOJI = ["🙂", "👍", "🚀", "✅", "⚠️", "🔥", "💡", "📦", "🇯🇵", "🇩🇪", "👩‍💻", "🧑‍🔧", "❤️", "🎉", "🤔"];
const LANGS = Object.keys(BASE);

function vocabulary(r, lang) {
  const words = [...BASE[lang]];
  if (lang === "ja" || lang === "zh") {
    // Words of 1 to 3 characters from 2,500 ideographs (plus kana for Japanese).
    while (words.length < 2000) {
      let w = "";
      const n = 1 + Math.floor(r() * 3);
      for (let i = 0; i < n; i++)
        w += String.fromCharCode(lang === "ja" && r() < 0.5 ? 0x3041 + Math.floor(r() * 0x55) : 0x4e00 + Math.floor(r() * 2500) * 7);
      words.push(w);
    }
    return words;
  }
  const syl = SYLLABLES[lang];
  while (words.length < 2000) {
    let w = "";
    const n = 1 + Math.floor(r() * 4);
    for (let i = 0; i < n; i++) w += syl[Math.floor(r() * syl.length)];
    words.push(w);
  }
  return words;
}

const VOCAB = (() => {
  const r = rng(7);
  return Object.fromEntries(LANGS.map((l) => [l, vocabulary(r, l)]));
})();

function sentence(r, lang, n) {
  const w = VOCAB[lang];
  const out = [];
  for (let i = 0; i < n; i++) {
    // Zipf-like: small indexes (the common words) far more often than the tail.
    let word = w[Math.floor(w.length * r() ** 3)];
    if (r() < 0.025) word += EMOJI[Math.floor(r() * EMOJI.length)];
    out.push(word);
  }
  return out.join(lang === "ja" || lang === "zh" ? "" : " ");
}

/** A chat record of about 5 KB, 3 of 4 non-ASCII (like the corpus in ../shared/reference/performance.md). */
function record(r) {
  const lang = r() < 0.25 ? "en" : LANGS[1 + Math.floor(r() * (LANGS.length - 1))];
  const turns = 1 + Math.floor(r() * 3);
  const messages = [{ role: "system", content: "You are a helpful support assistant for Acme Cloud. Answer in the user's language." }];
  for (let t = 0; t < turns; t++) {
    messages.push({ role: "user", content: sentence(r, lang, 20 + Math.floor(r() * 60)) });
    messages.push({ role: "assistant", content: sentence(r, lang, 80 + Math.floor(r() * 250)) });
  }
  return JSON.stringify({ messages });
}

export async function generate(file, bytes, seed = 1) {
  if (existsSync(file) && statSync(file).size >= bytes) return;
  const r = rng(seed);
  const out = createWriteStream(file);
  let written = 0;
  while (written < bytes) {
    const lines = [];
    for (let i = 0; i < 200; i++) lines.push(record(r));
    const chunk = lines.join("\n") + "\n";
    written += Buffer.byteLength(chunk);
    if (!out.write(chunk)) await new Promise((res) => out.once("drain", res));
  }
  await new Promise((res) => out.end(res));
}

/** One run of `cmd args`, which prints {seconds, maxRssMiB, records, ...} as its last stdout line. */
function runOnce(label, cmd, args) {
  const p = spawnSync(cmd, args, { encoding: "utf8", maxBuffer: 1 << 24 });
  if (p.status !== 0) throw new Error(`${label} failed (exit ${p.status}): ${p.stderr}`);
  return JSON.parse(p.stdout.trim().split("\n").pop());
}

/** One run of bench-child.mjs: its {seconds, cpuSeconds, maxRssMiB, records, ...}. */
function measureOnce(mode, file, extra = []) {
  return runOnce(mode, process.execPath, [`${root}scripts/bench-child.mjs`, mode, file, ...extra]);
}

/** Runs `cmd args` --runs times (see runOnce): the median run, with the highest peak RSS. */
function measureCommand(label, cmd, args) {
  const results = [];
  for (let i = 0; i < runs; i++) results.push(runOnce(label, cmd, args));
  results.sort((a, b) => a.seconds - b.seconds);
  const med = results[Math.floor(results.length / 2)];
  return { ...med, maxRssMiB: Math.max(...results.map((x) => x.maxRssMiB)) };
}

function measure(mode, file, extra = [], nodeArgs = []) {
  return measureCommand(mode, process.execPath, [...nodeArgs, `${root}scripts/bench-child.mjs`, mode, file, ...extra]);
}

let lastBinStdout = "";

/** The shipped bin as a user runs it (JSON on stdout), timed here; peak RSS (all threads) from GNU time. */
function runBin(file, extra = [], env = {}) {
  return spawnSync(
    "/usr/bin/time",
    ["-f", "%M %U %S", process.execPath, `${root}dist/bundle/tunelint.mjs`, "check", file, "--no-config", "--format", "json", ...extra],
    {
      encoding: "utf8",
      maxBuffer: 1 << 28,
      env: { ...process.env, ...env },
    },
  );
}

function measureBin(file, extra = []) {
  const results = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const p = runBin(file, extra);
    lastBinStdout = p.stdout;
    const seconds = (performance.now() - t0) / 1000;
    if (p.status !== 0) throw new Error(`tunelint bin failed (exit ${p.status}): ${p.stderr.slice(0, 2000)}`);
    const doc = JSON.parse(p.stdout);
    const [rss, user, sys] = p.stderr.trim().split("\n").pop().split(" ").map(Number);
    results.push({ seconds, cpuSeconds: user + sys, maxRssMiB: rss / 1024, records: doc.files?.[0]?.records ?? 0 });
  }
  results.sort((a, b) => a.seconds - b.seconds);
  const med = results[Math.floor(results.length / 2)];
  return { ...med, maxRssMiB: Math.max(...results.map((x) => x.maxRssMiB)) };
}

function startup(file, extra = []) {
  const times = [];
  const files = Array.isArray(file) ? file : [file];
  for (let i = 0; i < 7; i++) {
    const t0 = performance.now();
    const p = spawnSync(process.execPath, [`${root}dist/bundle/tunelint.mjs`, "check", ...files, "--no-config", ...extra], {
      encoding: "utf8",
    });
    times.push(performance.now() - t0);
    if (p.status !== 0) throw new Error(`startup run failed: ${p.stdout}${p.stderr}`);
  }
  times.sort((a, b) => a - b);
  return times[3];
}

/** Bare `node -e 0`, median of 7: the floor start-up is compared with. */
function bareNode() {
  const times = [];
  for (let i = 0; i < 7; i++) {
    const t0 = performance.now();
    spawnSync(process.execPath, ["-e", "0"]);
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[3];
}

/**
 * Where start-up goes: one run under --cpu-prof, self time summed per function (with its file), top entries.
 * Found this way (2026-12-01): yargs' package.json search (escalade readdir up the tree), the first async fs call
 * (thread-pool start), GC of the bundle's parse; with --model, the tokenizer's vocabulary and fast-engine build.
 */
function startupProfile(file, extra = []) {
  const dir = mkdtempSync(join(tmpdir(), "tunelint-prof-"));
  spawnSync(process.execPath, [
    "--cpu-prof",
    `--cpu-prof-dir=${dir}`,
    `${root}dist/bundle/tunelint.mjs`,
    "check",
    file,
    "--no-config",
    ...extra,
  ]);
  const prof = JSON.parse(readFileSync(join(dir, readdirSync(dir)[0]), "utf8"));
  const byId = new Map(prof.nodes.map((n) => [n.id, n]));
  const self = new Map();
  prof.samples.forEach((id, i) => {
    const f = byId.get(id).callFrame;
    const key = `${f.functionName || "(anonymous)"} (${f.url.split("/").pop() || "native"})`;
    self.set(key, (self.get(key) ?? 0) + (prof.timeDeltas[i] ?? 0));
  });
  rmSync(dir, { recursive: true, force: true });
  const total = (prof.endTime - prof.startTime) / 1000;
  const top = [...self]
    .filter(([k]) => !/^\((idle|program|root)\)/.test(k))
    .sort((a, b) => b[1] - a[1])
    .slice(0, 6)
    .map(([k, v]) => `${k} ${(v / 1000).toFixed(0)} ms`);
  return `${total.toFixed(0)} ms profiled; most self time: ${top.join(", ")}`;
}

if (!existsSync(`${root}dist/index.js`)) {
  console.error("Build first: npm run build");
  process.exit(2);
}
const file = `${dataDir}chat-v2-${sizeMb}mb.jsonl`;
const skipMain = process.argv.includes("--families-only");
if (!skipMain) {
  console.error(`generating ${file} (${sizeMb} MB) if needed...`);
  await generate(file, sizeMb * 1e6);
}
if (process.argv.includes("--data-only")) {
  console.log(file);
  process.exit(0);
}
const size = skipMain ? 0 : statSync(file).size;
const small = `${dataDir}small-1kb.jsonl`;
writeFileSync(
  small,
  Array.from(
    { length: 10 },
    (_, i) => `{"messages": [{"role": "user", "content": "Hi ${i}"}, {"role": "assistant", "content": "Hello!"}]}\n`,
  ).join(""),
);

const load0 = loadavg();
const rows = [];
const familiesOnly = process.argv.includes("--families-only");
const families = familiesOnly || process.argv.includes("--families");
const step = (label, mode, extra = [], nodeArgs = []) => {
  console.error(`measuring ${label}...`);
  const r = measure(mode, file, extra, nodeArgs);
  rows.push([label, r]);
  return r;
};
let floor, s1, s2, s0, svOff, bin, l1, l2, napi, mine;
const ruleCosts = process.argv.includes("--rule-costs");
/** --rule-costs: [label, median CPU s with the default rules, median CPU s with it off], from alternating runs. */
const costs = [];
/** --rule-costs: the rules (and groups) measured one by one, off, against the default rule set. */
const RULE_COSTS = [
  ["near-duplicate", "near-duplicate"],
  ["conflicting-answers", "conflicting-answers"],
  ["near-duplicate and conflicting-answers (with their shared text digest)", "near-duplicate,conflicting-answers"],
  ["credential-found", "credential-found"],
  ["duplicate-example", "duplicate-example"],
  ["duplicate-key", "duplicate-key"],
  [
    "the tool-call rules",
    "tool-arguments-invalid,tool-arguments-schema,tool-call-id-duplicate,tool-call-invalid,tool-call-unanswered,tool-result-orphan,tool-undeclared,tools-invalid",
  ],
  ["templated-content and special-token-in-content", "templated-content,special-token-in-content"],
  [
    "the Together-format rules (weight-invalid, ambiguous-format, unknown-key, unknown-message-key, schema-violation)",
    "weight-invalid,ambiguous-format,unknown-key,unknown-message-key,schema-violation",
  ],
  [
    "the content checks (content-empty, control-character, lone-surrogate, image rules)",
    "content-empty,control-character,lone-surrogate,image-invalid,image-too-large,too-many-images,image-not-in-user-message",
  ],
];
let together = null;
let parseOnly = null;
let jsonSame = false;
let jsonBytes = 0;
const structuralOnly = process.argv.includes("--structural-only");
// --tokens-only: the floor, the rows with exact counts, the tokenizer comparison and the start-up (no structural rows)
const tokensOnly = process.argv.includes("--tokens-only");
let tokenJsonSame = false;
let tokenJsonBytes = 0;
const skip = { seconds: NaN, tokSeconds: NaN, loadSeconds: NaN, records: 0, tokens: 0 };
if (!familiesOnly) {
  floor = step("node readline + JSON.parse (floor)", "readline");
  parseOnly = step("node read + split + JSON.parse of each line's Latin-1 view (no checks at all)", "parse-view");
  if (togetherSrc) {
    console.error("measuring Together's check_file...");
    together = measureCommand("together-check", "python3", [`${root}scripts/together-check.py`, togetherSrc, file]);
    if (!together.passed) throw new Error(`Together's checker rejected the bench file: ${together.message}`);
    rows.push(["Together's own checker (Python `check_file`)", together]);
  } else rows.push(["Together's own checker (Python `check_file`)", null]);
  if (!tokensOnly) {
    s1 = step("tunelint check, structural, --jobs 1", "check", ["--jobs", "1"]);
    s2 = step("tunelint check, structural, --jobs 2", "check", ["--jobs", "2"]);
    s0 = step("tunelint check, structural, --jobs 1, without near-duplicate, conflicting-answers, credential-found", "check", [
      "--jobs",
      "1",
      "--text-rules-off",
      "1",
    ]);
    svOff = step("tunelint check, structural, --jobs 1, Latin-1 view off (TUNELINT_LATIN1_VIEW=0: every line decoded)", "check", [
      "--jobs",
      "1",
      "--decoded",
      "1",
    ]);
    if (ruleCosts) {
      // What each costly rule (or group) adds: --jobs 1 with it off, in runs alternating with the default rules (a
      // machine that slows down during the bench, as shared ones do, then moves both sides alike), CPU medians.
      for (const [label, ids] of RULE_COSTS) {
        console.error(`measuring the cost of ${label}...`);
        const on = [];
        const off = [];
        for (let i = 0; i < runs; i++) {
          on.push(measureOnce("check", file, ["--jobs", "1"]));
          off.push(measureOnce("check", file, ["--jobs", "1", "--rules-off", ids]));
        }
        const med = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
        const offRow = { ...off.sort((a, b) => a.seconds - b.seconds)[Math.floor(off.length / 2)] };
        offRow.maxRssMiB = Math.max(...off.map((r) => r.maxRssMiB));
        rows.push([`tunelint check, structural, --jobs 1, without ${label}`, offRow]);
        costs.push([label, med(on.map((r) => r.cpuSeconds)), med(off.map((r) => r.cpuSeconds))]);
      }
    }
    console.error("measuring the shipped bin...");
    bin = measureBin(file);
    rows.push(["shipped CLI (`tunelint check --format json`), structural, default jobs", bin]);
    console.error("comparing the JSON documents (default jobs, --jobs 1, and the decoded path TUNELINT_LATIN1_VIEW=0)...");
    const jsonDefault = lastBinStdout;
    const jsonOne = runBin(file, ["--jobs", "1"]).stdout;
    const jsonDecoded = runBin(file, ["--jobs", "1"], { TUNELINT_LATIN1_VIEW: "0" }).stdout;
    jsonSame = jsonDefault.length > 0 && jsonDefault === jsonOne && jsonOne === jsonDecoded;
    jsonBytes = jsonDefault.length;
  }
  l1 = structuralOnly ? skip : step("tunelint check, exact Llama 3.1 counts, --jobs 1", "check", ["--jobs", "1", "--model", LLAMA]);
  l2 = structuralOnly ? skip : step("tunelint check, exact Llama 3.1 counts, default jobs (2)", "check", ["--model", LLAMA]);
  if (!structuralOnly) step("tunelint check, exact Qwen 2.5 counts, default jobs (2)", "check", ["--model", QWEN]);
  if (!structuralOnly) {
    console.error("comparing the shipped CLI's JSON documents with exact Llama 3.1 counts (default jobs, --jobs 1)...");
    const a = runBin(file, ["--model", LLAMA]).stdout;
    const b = runBin(file, ["--model", LLAMA, "--jobs", "1"]).stdout;
    tokenJsonSame = a.length > 0 && a === b;
    tokenJsonBytes = a.length;
  }
  const rc = ["--model", LLAMA, "--max-mb", String(napiMb)];
  napi = structuralOnly
    ? skip
    : step(
        `HF Rust tokenizer (napi), Llama 3.1, same rendered records, 1 thread (first ${napiMb} MB)`,
        "render-count",
        [...rc, "--engine", "napi"],
        ["--expose-gc"],
      );
  mine = structuralOnly
    ? skip
    : step(`tunelint engine, Llama 3.1, same rendered records, 1 thread (first ${napiMb} MB)`, "render-count", [
        ...rc,
        "--engine",
        "tunelint",
      ]);
}
if (families) await familyRows();
const load1 = loadavg();

const mb = size / 1e6;
if (familiesOnly) {
  printRows(rows, Number(arg("family-mb", 20)));
  process.exit(0);
}
console.log(`\nFile: ${mb.toFixed(0)} MB, ${floor.records.toLocaleString("en-US")} lines; ${runs} runs each, median time, max peak RSS.`);
console.log(
  `Machine: ${cpus().length} x ${cpus()[0]?.model ?? "cpu"}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}; ` +
    `load average ${load0.map((x) => x.toFixed(2)).join(" ")} at start, ${load1.map((x) => x.toFixed(2)).join(" ")} at end.\n`,
);
console.log("| run | seconds | CPU s | MB/s | lines/s | peak RSS | vs floor | vs Together | vs Together (CPU) |");
console.log("|---|---|---|---|---|---|---|---|---|");
const floorRate = mb / floor.seconds;
for (const [name, r] of rows) {
  if (!r) {
    console.log(`| ${name} | not run (pass --together-src DIR, a checkout of together-python's src/) | | | | | | | |`);
    continue;
  }
  const m = r.bytes ? r.bytes / 1e6 : mb;
  const rate = m / r.seconds;
  console.log(
    `| ${name} | ${r.seconds.toFixed(2)} | ${r.cpuSeconds?.toFixed(2) ?? ""} | ${rate.toFixed(1)} | ${Math.round(r.records / r.seconds).toLocaleString("en-US")} | ${r.maxRssMiB.toFixed(0)} MiB | ${(rate / floorRate).toFixed(2)}x | ${together && !r.bytes ? `${(together.seconds / r.seconds).toFixed(2)}x` : ""} | ${together && !r.bytes && r.cpuSeconds ? `${(together.cpuSeconds / r.cpuSeconds).toFixed(2)}x` : ""} |`,
  );
}
const x = (a, b) => `${(a / b).toFixed(2)}x`;
console.log(`\nRatios (same run):`);
if (tokensOnly) {
  // (no structural rows)
} else if (together) {
  console.log(
    `- structural check vs Together's checker: --jobs 1 ${x(together.seconds, s1.seconds)}, --jobs 2 ${x(together.seconds, s2.seconds)}, ` +
      `shipped CLI default jobs ${x(together.seconds, bin.seconds)} (Together ${together.seconds.toFixed(2)} s, ${together.records.toLocaleString("en-US")} samples)`,
  );
} else console.log("- structural check vs Together's checker: not run (no --together-src)");
if (together && parseOnly) {
  console.log(
    `- parsing alone (read + split + JSON.parse of the Latin-1 views, no checks): ${x(together.seconds, parseOnly.seconds)} Together's checker ` +
      `(${parseOnly.seconds.toFixed(2)} s): what any check built on JSON.parse has left for its rules, per thread`,
  );
}
if (!tokensOnly) {
  console.log(`- structural check, --jobs 2 vs --jobs 1: ${x(s1.seconds, s2.seconds)}`);
  console.log(
    `- shipped CLI JSON document, default jobs vs --jobs 1 vs --jobs 1 with the Latin-1 view off: ${jsonSame ? "byte-identical" : "DIFFERENT"} (${jsonBytes.toLocaleString("en-US")} bytes)`,
  );
  console.log(
    `- Latin-1 view, default rules, --jobs 1: ${x(svOff.seconds, s1.seconds)} faster (CPU ${x(svOff.cpuSeconds, s1.cpuSeconds)})`,
  );
  if (ruleCosts) {
    for (const [label, on, off] of costs) {
      console.log(
        `- cost of ${label}, --jobs 1: ${(on - off).toFixed(2)} CPU s (${((100 * (on - off)) / on).toFixed(0)}% of the check; ` +
          `${on.toFixed(2)} CPU s with it, ${off.toFixed(2)} without, medians of runs alternating with each other)`,
      );
    }
  }
  console.log(
    `- structural check --jobs 1, with vs without near-duplicate, conflicting-answers, credential-found: ${x(s1.seconds, s0.seconds)} the time`,
  );
}
if (structuralOnly) process.exit(0);
console.log(`- exact Llama 3.1 check, default jobs vs --jobs 1: ${x(l1.seconds, l2.seconds)}`);
console.log(
  `- shipped CLI JSON document with exact Llama 3.1 counts, default jobs vs --jobs 1: ${tokenJsonSame ? "byte-identical" : "DIFFERENT"} (${tokenJsonBytes.toLocaleString("en-US")} bytes)`,
);
console.log(
  `- Llama 3.1 counting, tunelint engine vs HF Rust tokenizer on the same ${mine.records.toLocaleString("en-US")} rendered records, one thread: ` +
    `${x(napi.tokSeconds, mine.tokSeconds)} on the time inside the counting calls (${mine.tokSeconds.toFixed(2)} s vs ${napi.tokSeconds.toFixed(2)} s), ` +
    `${x(napi.seconds, mine.seconds)} end to end (load + read + parse + render + count); ` +
    `token totals ${mine.tokens === napi.tokens ? "equal" : "DIFFER"} (${mine.tokens.toLocaleString("en-US")} vs ${napi.tokens.toLocaleString("en-US")}).`,
);
console.log(`- tokenizer load: tunelint ${mine.loadSeconds.toFixed(2)} s, HF Rust ${napi.loadSeconds.toFixed(2)} s.`);
console.log(
  `\nStart-up, \`tunelint check\` on a 1 KB file (median of 7): ${startup(small).toFixed(0)} ms; ` +
    `with \`--model ${LLAMA}\` (loads the tokenizer): ${startup(small, ["--model", LLAMA]).toFixed(0)} ms`,
);
console.log(`Bare \`node -e 0\` (median of 7): ${bareNode().toFixed(0)} ms.`);
{
  // A pre-commit hook passes many paths in one call: what each file adds to one run.
  const many = Array.from({ length: 50 }, (_, i) => `${dataDir}small-1kb-${i}.jsonl`);
  for (const f of many) if (!existsSync(f)) copyFileSync(small, f);
  const one = startup(small);
  const fifty = startup(many);
  console.log(
    `50 files of 1 KB in one call (median of 7): ${fifty.toFixed(0)} ms, ${((fifty - one) / 49).toFixed(1)} ms per file after the first.`,
  );
}
console.log(`- start-up profile, check: ${startupProfile(small)}`);
console.log(`- start-up profile, check --model: ${startupProfile(small, ["--model", LLAMA])}`);

function printRows(list, fileMb) {
  console.log(`\nPer family: ${fileMb} MB chat file, --jobs 1, ${runs} run(s) each, median time, max peak RSS.`);
  console.log("| run | seconds | MB/s | lines/s | peak RSS |");
  console.log("|---|---|---|---|---|");
  for (const [name, r] of list) {
    console.log(
      `| ${name} | ${r.seconds.toFixed(2)} | ${(fileMb / r.seconds).toFixed(1)} | ${Math.round(r.records / r.seconds).toLocaleString("en-US")} | ${r.maxRssMiB.toFixed(0)} MiB |`,
    );
  }
}

/** One model per shipped tokenizer family, plus a model whose tokenizer comes from a Hugging Face cache. */
async function familyRows() {
  const fmb = Number(arg("family-mb", 20));
  const ffile = `${dataDir}chat-v2-${fmb}mb.jsonl`;
  await generate(ffile, fmb * 1e6, 2);
  const FAMILIES = [
    ["Llama 3", "meta-llama/Meta-Llama-3-8B-Instruct"],
    ["Llama 3.1", LLAMA],
    ["Qwen 2.5", QWEN],
    ["Qwen 3", "Qwen/Qwen3-8B"],
    ["DeepSeek V3", "deepseek-ai/DeepSeek-V3"],
    ["gpt-oss", "openai/gpt-oss-20b"],
    ["Mistral v1 (reference engine)", "mistralai/Mistral-7B-Instruct-v0.2"],
    ["Gemma 3 (reference engine)", "google/gemma-3-12b-it"],
    ["Llama 2 (reference engine)", "togethercomputer/llama-2-7b-chat"],
  ];
  const famRows = [];
  for (const [label, id] of FAMILIES) {
    console.error(`measuring ${label}...`);
    // a limit above every record: the rows measure counting, not findings
    famRows.push([`exact ${label} counts (${id})`, measure("check", ffile, ["--jobs", "1", "--model", id, "--max-seq-length", "1000000"])]);
  }
  // Bring your own model, tokenizer from the Hugging Face cache (offline: no request)
  const { mkdtempSync, mkdirSync: mk, writeFileSync: wf, symlinkSync, readFileSync } = await import("node:fs");
  const { gunzipSync } = await import("node:zlib");
  const { join } = await import("node:path");
  const { tmpdir } = await import("node:os");
  const cache = mkdtempSync(join(tmpdir(), "tunelint-bench-hf-"));
  const storage = join(cache, "models--bench--Qwen3-Clone");
  const commit = "0123456789abcdef0123456789abcdef01234567";
  for (const d of ["blobs", "refs", `snapshots/${commit}`, `.no_exist/${commit}`]) mk(join(storage, d), { recursive: true });
  wf(join(storage, "blobs", "tok"), gunzipSync(readFileSync(`${root}data/tokenizers/qwen3.json.gz`)));
  wf(join(storage, "blobs", "cfg"), JSON.stringify({ eos_token: "<|im_end|>" }));
  wf(join(storage, "blobs", "tpl"), readFileSync(`${root}data/templates/qwen3.jinja`));
  symlinkSync("../../blobs/tok", join(storage, "snapshots", commit, "tokenizer.json"));
  symlinkSync("../../blobs/cfg", join(storage, "snapshots", commit, "tokenizer_config.json"));
  symlinkSync("../../blobs/tpl", join(storage, "snapshots", commit, "chat_template.jinja"));
  wf(join(storage, ".no_exist", commit, "chat_template.json"), "");
  wf(join(storage, "refs", "main"), commit);
  const saved = { c: process.env.HF_HUB_CACHE, o: process.env.HF_HUB_OFFLINE };
  process.env.HF_HUB_CACHE = cache;
  process.env.HF_HUB_OFFLINE = "1";
  console.error("measuring BYOM from the Hugging Face cache...");
  famRows.push([
    "exact counts, bring-your-own model, tokenizer from the Hugging Face cache (Qwen 3 files as bench/Qwen3-Clone)",
    measure("check", ffile, ["--jobs", "1", "--model", "bench/Qwen3-Clone", "--max-seq-length", "40960"]),
  ]);
  process.env.HF_HUB_CACHE = saved.c;
  process.env.HF_HUB_OFFLINE = saved.o;
  if (saved.c === undefined) delete process.env.HF_HUB_CACHE;
  if (saved.o === undefined) delete process.env.HF_HUB_OFFLINE;
  if (familiesOnly) rows.push(...famRows);
  else printRows(famRows, fmb);
}
