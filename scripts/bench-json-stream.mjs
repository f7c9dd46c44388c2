#!/usr/bin/env node
/**
 * How fast can a big JSON array (a ShareGPT export) be streamed, element by element, and at what peak RSS?
 * Each candidate runs in its own process on the same file; the element count is checked against the generator's.
 *
 *   node scripts/bench-json-stream.mjs [--size-mb 300] [--modules DIR] [--file F]
 *
 * Candidates: tunelint's own reader (src/convert/json-stream.ts, from dist/), stream-json (parser + streamArray),
 * @streamparser/json (paths ['$.*'], keepStack false), and JSON.parse of the whole file (the in-memory floor).
 * stream-json and @streamparser/json are not dependencies: install them in DIR (`npm install --prefix DIR stream-json
 * stream-chain @streamparser/json`) and pass --modules DIR/node_modules.
 */
import { spawnSync } from "node:child_process";
import { createReadStream, createWriteStream, existsSync, statSync } from "node:fs";
import { once } from "node:events";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const args = process.argv.slice(2);
const opt = (name, def) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : def;
};
const root = fileURLToPath(new URL("../", import.meta.url));

if (args[0] === "--child") {
  const [, which, file, modules] = args;
  const t0 = performance.now();
  let n = 0;
  if (which === "tunelint") {
    const { readRecords } = await import(pathToFileURL(join(root, "dist/convert/json-stream.js")).href);
    for await (const item of readRecords(createReadStream(file, { highWaterMark: 1 << 20 }))) if (item.value !== undefined) n++;
  } else if (which === "stream-json") {
    const req = createRequire(join(modules, "x.js"));
    const { parser } = await import(pathToFileURL(req.resolve("stream-json")).href);
    const { streamArray } = await import(pathToFileURL(req.resolve("stream-json/streamers/stream-array.js")).href);
    const chain = (await import(pathToFileURL(req.resolve("stream-chain")).href)).default;
    const p = chain([createReadStream(file, { highWaterMark: 1 << 20 }), parser(), streamArray()]);
    p.on("data", () => n++);
    await once(p, "end");
  } else if (which === "streamparser") {
    const req = createRequire(join(modules, "x.js"));
    const mod = await import(pathToFileURL(req.resolve("@streamparser/json")).href);
    const JSONParser = mod.JSONParser ?? mod.default.JSONParser;
    const parser = new JSONParser({ paths: ["$.*"], keepStack: false });
    parser.onValue = () => n++;
    for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) parser.write(chunk);
  } else if (which === "json-parse") {
    const { readFileSync } = await import("node:fs");
    n = JSON.parse(readFileSync(file, "utf8")).length;
  }
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage();
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  process.stdout.write(JSON.stringify({ n, seconds, cpuSeconds, maxRssMiB: process.resourceUsage().maxRSS / 1024 }) + "\n");
  process.exit(0);
}

const sizeMb = Number(opt("--size-mb", "300"));
const modules = opt("--modules", join(root, "node_modules"));
let file = opt("--file");
let expected = null;
if (!file) {
  file = join(tmpdir(), `tunelint-array-${sizeMb}mb.json`);
  // A ShareGPT array, pretty-printed like LLaMA-Factory's demo files, with escapes, CJK and emoji.
  const ws = createWriteStream(file);
  ws.write("[\n");
  let bytes = 2;
  let i = 0;
  while (bytes < sizeMb * 1e6) {
    const rec = {
      id: `rec_${i}`,
      conversations: [
        {
          from: "human",
          value: `Question ${i}: what does "\\n" mean in a "JSON" string? 日本語 🙂 ${"lorem ipsum ".repeat(20 + (i % 50))}`,
        },
        { from: "gpt", value: `Answer ${i}: a newline.\n${"dolor sit amet, ".repeat(40 + (i % 80))}` },
      ],
      tools: i % 3 === 0 ? JSON.stringify([{ name: "f", parameters: { type: "object", properties: {} } }]) : "",
    };
    const text = (i ? ",\n" : "") + JSON.stringify(rec, null, 2);
    bytes += Buffer.byteLength(text);
    if (!ws.write(text)) await once(ws, "drain");
    i++;
  }
  ws.end("\n]\n");
  await once(ws, "finish");
  expected = i;
}
const size = statSync(file).size;
console.log(`File: ${file}, ${(size / 1e6).toFixed(0)} MB${expected !== null ? `, ${expected} elements` : ""}`);
const runs = Number(opt("--runs", "3"));
const { loadavg } = await import("node:os");
console.log(
  `Runs: ${runs} per reader, median; load average at start ${loadavg()
    .map((l) => l.toFixed(2))
    .join(" ")} (2 cores shared: CPU seconds are steadier than wall time)`,
);
console.log("| reader | wall s | CPU s | MB/s (wall) | elements | peak RSS |");
console.log("|---|---|---|---|---|---|");
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const candidates = ["tunelint", "stream-json", "streamparser", "json-parse"];
for (const c of candidates) {
  if (c !== "tunelint" && c !== "json-parse" && !existsSync(join(modules, c === "streamparser" ? "@streamparser/json" : c))) {
    console.log(`| ${c} | not installed in ${modules} | | | | |`);
    continue;
  }
  const ms = [];
  let failed = null;
  for (let k = 0; k < runs && !failed; k++) {
    const r = spawnSync(process.execPath, ["--max-old-space-size=8192", fileURLToPath(import.meta.url), "--child", c, file, modules], {
      encoding: "utf8",
    });
    if (r.status !== 0) failed = (r.stderr || "").split("\n").find((l) => l.trim()) ?? String(r.status);
    else ms.push(JSON.parse(r.stdout.trim().split("\n").pop()));
  }
  if (failed) {
    console.log(`| ${c} | failed: ${failed} | | | | |`);
    continue;
  }
  const wall = median(ms.map((m) => m.seconds));
  const cpu = median(ms.map((m) => m.cpuSeconds));
  const rss = Math.max(...ms.map((m) => m.maxRssMiB));
  const n = ms[0].n;
  const ok = expected === null || n === expected ? "" : ` (expected ${expected})`;
  console.log(`| ${c} | ${wall.toFixed(2)} | ${cpu.toFixed(2)} | ${(size / 1e6 / wall).toFixed(1)} | ${n}${ok} | ${rss.toFixed(0)} MiB |`);
}
console.log(
  `load average at end ${loadavg()
    .map((l) => l.toFixed(2))
    .join(" ")}`,
);
