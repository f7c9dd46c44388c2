/**
 * Start-up stays small: `check` of a small file loads only the reader, the engine, the rules and the chosen
 * formatter from the bundle, never yargs, the other commands, the uploader, the converter, the tokenizers or the
 * formats not asked for (issue 15: yargs and the unused code were most of a small check's time). A module hook
 * records every module the bundled bin resolves; each chunk is mapped to the source modules esbuild wrote into it
 * (its `// src/...` and `// node_modules/...` markers). Not a timing test: what is loaded is exact.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { CLI, ROOT } from "./helpers/lint.js";
import { formatterChunks, formatters, MACHINE_FORMATS } from "../src/report/formatters.js";
import { FORMAT_NAMES, loadFormatter, MACHINE_FORMATS as LAZY_MACHINE_FORMATS } from "../src/report/load.js";
import { formatContext } from "../src/report/context.js";
import { lintFile } from "../src/lint/lint.js";
import { summarize } from "../src/lint/lint.js";

const dir = mkdtempSync(join(tmpdir(), "tunelint-startup-"));
const small = join(dir, "small.jsonl");
writeFileSync(
  small,
  Array.from({ length: 10 }, (_, i) =>
    JSON.stringify({
      messages: [
        { role: "user", content: `Hi ${i}` },
        { role: "assistant", content: "Hello!" },
      ],
    }),
  )
    .join("\n")
    .concat("\n"),
);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const HOOK = join(ROOT, "test/fixtures/preload/record-loads.mjs");
let runs = 0;

/** Runs the bundled bin; returns its exit code and the source modules and built-ins it loaded. */
function loaded(args: string[]): { code: number | null; stdout: string; modules: Set<string>; builtins: Set<string> } {
  const log = join(dir, `loads-${runs++}.txt`);
  writeFileSync(log, "");
  const r = spawnSync(process.execPath, ["--import", HOOK, CLI, ...args], {
    encoding: "utf8",
    env: { ...process.env, TUNELINT_TEST_LOAD_LOG: log, NO_COLOR: "1" },
  });
  const urls = new Set(readFileSync(log, "utf8").split("\n").filter(Boolean));
  const modules = new Set<string>();
  const builtins = new Set<string>();
  for (const url of urls) {
    if (url.startsWith("node:")) builtins.add(url.slice(5));
    else if (url.startsWith("file:") && url.includes("/dist/bundle/")) {
      for (const m of readFileSync(fileURLToPath(url), "utf8").matchAll(/^\/\/ ((?:src|node_modules)\/\S+)$/gm)) modules.add(m[1]!);
    }
  }
  return { code: r.status, stdout: r.stdout, modules, builtins };
}

/** Source modules (or prefixes) a `check` of a small file must not load. */
const HEAVY = [
  "node_modules/yargs",
  "node_modules/yargs-parser",
  "node_modules/cliui",
  "node_modules/string-width",
  "node_modules/undici",
  "node_modules/hyparquet",
  "node_modules/@huggingface",
  "node_modules/fast-glob",
  "src/cli/yargs-cli.ts",
  "src/cli/commands/upload.ts",
  "src/cli/commands/fix.ts",
  "src/cli/commands/convert.ts",
  "src/cli/commands/hook.ts",
  "src/cli/commands/models.ts",
  "src/cli/commands/rules.ts",
  "src/upload/run.ts",
  "src/upload/client.ts",
  "src/convert/",
  "src/tokens/",
  "src/models/",
  "src/io/parquet.ts",
  "src/git/",
  "src/report/html.ts",
  "src/report/sarif.ts",
  "src/report/junit.ts",
  "src/report/markdown.ts",
  "src/report/github.ts",
];
const heavyIn = (modules: Set<string>, except: string[] = []) =>
  [...modules].filter((m) => HEAVY.some((h) => m.startsWith(h)) && !except.some((e) => m.startsWith(e))).sort();

describe("what `check` of a small file loads (bundled bin)", () => {
  it("stylish to stdout: the fast argument reader, engine, rules and stylish; nothing heavy", () => {
    const r = loaded(["check", small, "--no-config"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("10 records");
    for (const m of ["src/cli/fast-check.ts", "src/lint/file-linter.ts", "src/rules/index.ts", "src/report/stylish.ts"]) {
      expect([...r.modules], m).toContain(m);
    }
    expect(heavyIn(r.modules)).toEqual([]);
    expect([...r.modules]).not.toContain("src/report/json.ts");
    // Built-ins only a gzip file or a split file needs.
    expect([...r.builtins].filter((b) => ["zlib", "worker_threads"].includes(b))).toEqual([]);
  });

  it("--format json: the JSON formatter instead of stylish", () => {
    const r = loaded(["check", small, "--no-config", "--format", "json"]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).files[0].records).toBe(10);
    expect([...r.modules]).toContain("src/report/json.ts");
    expect([...r.modules]).not.toContain("src/report/stylish.ts");
    expect(heavyIn(r.modules)).toEqual([]);
  });

  it("the guard sees heavy modules when they load: --help goes through yargs, a gzip file loads zlib", () => {
    const help = loaded(["check", "--help"]);
    expect(help.code).toBe(0);
    expect(heavyIn(help.modules)).toEqual(
      expect.arrayContaining(["src/cli/yargs-cli.ts", "node_modules/yargs/build/lib/yargs-factory.js"]),
    );
    const gz = join(dir, "small.jsonl.gz");
    writeFileSync(gz, spawnSync("gzip", ["-c", small]).stdout);
    const r = loaded(["check", gz, "--no-config"]);
    expect(r.code).toBe(0);
    expect([...r.builtins]).toContain("zlib");
  });
});

describe("the lazily loaded formatters are the library's formatters", () => {
  it("same names, same machine formats, same output for every format", async () => {
    expect([...FORMAT_NAMES]).toEqual(Object.keys(formatters));
    expect([...LAZY_MACHINE_FORMATS]).toEqual([...MACHINE_FORMATS]);
    const report = summarize([await lintFile(join(ROOT, "test/fixtures/rules/role-unknown/invalid.jsonl"))]);
    const ctx = formatContext({ cwd: ROOT });
    for (const name of FORMAT_NAMES) {
      const text = [...(await loadFormatter(name))(report, ctx)].join("");
      expect(text, name).toBe(formatters[name]!(report, ctx));
      if (formatterChunks[name]) expect(text, name).toBe([...formatterChunks[name]!(report, ctx)].join(""));
    }
  });
});
