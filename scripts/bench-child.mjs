/**
 * One measured run, in its own process so peak RSS is its own: prints {seconds, maxRssMiB, records} as JSON on stdout.
 *   node scripts/bench-child.mjs <mode> <file> [args...]
 * modes: readline (node readline + JSON.parse, the floor), check (tunelint's library, one thread)
 */
import { createReadStream } from "node:fs";
import { createInterface } from "node:readline";

const [mode, file, ...rest] = process.argv.slice(2);
const t0 = performance.now();
let records = 0;
if (mode === "readline") {
  const rl = createInterface({ input: createReadStream(file, { highWaterMark: 1 << 20 }), crlfDelay: Infinity });
  for await (const line of rl) {
    if (line.length === 0) continue;
    JSON.parse(line);
    records++;
  }
} else if (mode === "check") {
  const { lintFile, prepareLint } = await import("../dist/index.js");
  const opts = { config: false };
  for (let i = 0; i < rest.length; i += 2) {
    if (rest[i] === "--model") opts.model = rest[i + 1];
    if (rest[i] === "--jobs") opts.jobs = Number(rest[i + 1]);
  }
  const r = await lintFile(file, await prepareLint(opts));
  records = r.records;
  if (r.errorCount) {
    console.error(`unexpected errors: ${JSON.stringify(r.diagnostics.slice(0, 3))}`);
    process.exitCode = 1;
  }
} else {
  throw new Error(`unknown mode ${mode}`);
}
const seconds = (performance.now() - t0) / 1000;
const ru = process.resourceUsage();
process.stdout.write(
  JSON.stringify({ seconds, cpuSeconds: (ru.userCPUTime + ru.systemCPUTime) / 1e6, maxRssMiB: ru.maxRSS / 1024, records }) + "\n",
);
