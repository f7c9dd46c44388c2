#!/usr/bin/env node
/**
 * Memory of the cross-record indexes on N distinct records (default 1,000,000), measured two ways:
 *  1. bytes held by the index structures themselves (NearIndex for near-duplicate / validation-leak, the prompt table
 *     of conflicting-answers), filled with N real fingerprints of generated records;
 *  2. peak RSS of `tunelint check` (the bundled bin, one thread) on a generated N-record file, with the cross-record
 *     rules on (default) and off.
 *   npm run build && node scripts/cross-record-memory.mjs [N]
 */
import { spawnSync } from "node:child_process";
import { createWriteStream, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const N = Number(process.argv[2] ?? 1_000_000);
const dist = (p) => new URL(`../dist/${p}`, import.meta.url).href;
const { NearIndex, EntryTable, Paged32, FP_WORDS } = await import(dist("rules/utils/line-index.js"));
const { fingerprint } = await import(dist("rules/utils/fingerprint.js"));
const { exampleText, hash64 } = await import(dist("rules/utils/example-text.js"));

let x = 12345;
const rnd = () => (x = (Math.imul(x, 1103515245) + 12345) >>> 0);
const VOCAB = Array.from({ length: 5000 }, (_, i) => `w${i.toString(36)}${"aeiou"[i % 5]}`);
const words = (n) => Array.from({ length: n }, () => VOCAB[(rnd() >>> 8) % VOCAB.length]).join(" ");
const line = () =>
  JSON.stringify({
    messages: [
      { role: "user", content: words(12 + (rnd() % 20)) + "?" },
      { role: "assistant", content: words(15 + (rnd() % 30)) + "." },
    ],
  });

// 1. The structures themselves.
const near = new NearIndex();
const home = new Paged32();
const packed = new Paged32();
const table = new EntryTable((l) => home.get(l));
const fp = new Uint32Array(FP_WORDS);
const w = new Uint32Array(4);
for (let i = 1; i <= N; i++) {
  const text = line();
  const record = JSON.parse(text);
  fingerprint({ record, format: "conversation", bytes: Buffer.from(text), text }, 10, fp);
  if (!near.match(fp, 0.8)) near.add(i, fp);
  const t = exampleText(record, "conversation");
  hash64(t.prompt, w, 0);
  hash64(t.answer, w, 2);
  home.set(i, w[0]);
  packed.set(i, ((w[1] & 0xfffff000) | (w[2] & 0xfff)) >>> 0);
  table.insert(w[0], i);
}
const nearBytes = near.bytes();
const conflictBytes = home.bytes() + packed.bytes() + table.bytes();
console.log(`records: ${N.toLocaleString("en")}`);
console.log(
  `near-duplicate index: ${(nearBytes / 2 ** 20).toFixed(1)} MiB = ${(nearBytes / N).toFixed(1)} B/record (${near.size.toLocaleString("en")} entries)`,
);
console.log(`conflicting-answers index: ${(conflictBytes / 2 ** 20).toFixed(1)} MiB = ${(conflictBytes / N).toFixed(1)} B/record`);
console.log(`together: ${((nearBytes + conflictBytes) / N).toFixed(1)} B/record`);

// 2. Peak RSS of the real CLI.
const dir = mkdtempSync(join(tmpdir(), "tunelint-mem-"));
const file = join(dir, "data.jsonl");
x = 999;
await new Promise((resolve) => {
  const out = createWriteStream(file);
  let i = 0;
  const pump = () => {
    while (i < N) {
      i++;
      if (!out.write(line() + "\n")) return out.once("drain", pump);
    }
    out.end(resolve);
  };
  pump();
});
console.log(`file: ${(statSync(file).size / 2 ** 20).toFixed(0)} MiB`);
const bin = fileURLToPath(new URL("../dist/bundle/tunelint.mjs", import.meta.url));
const run = (extra) => {
  const args = ["-v", process.execPath, bin, "check", file, "--no-config", "--jobs", "1", "-f", "json", "-o", "/dev/null", ...extra];
  const p = spawnSync("/usr/bin/time", args, { stdio: ["ignore", "ignore", "pipe"], encoding: "utf8" });
  const err = p.stderr ?? "";
  const m = /Maximum resident set size \(kbytes\): (\d+)/.exec(err);
  const user = Number(/User time \(seconds\): ([\d.]+)/.exec(err)?.[1]);
  const sys = Number(/System time \(seconds\): ([\d.]+)/.exec(err)?.[1]);
  return { rss: m ? Number(m[1]) / 1024 : NaN, s: user + sys };
};
const off = ["--rule", "near-duplicate=off", "--rule", "conflicting-answers=off", "--rule", "credential-found=off"];
for (const [name, extra] of [
  ["default rules", []],
  ["near-duplicate, conflicting-answers, credential-found off", off],
  ["also duplicate-example off", [...off, "--rule", "duplicate-example=off"]],
]) {
  const r = run(extra);
  console.log(`peak RSS, ${name}: ${r.rss.toFixed(0)} MiB (${r.s.toFixed(1)} s CPU)`);
}
rmSync(dir, { recursive: true, force: true });
