/**
 * Issue 17, items 1 and 10: the README's own `tunelint check` command lines, run as written (in a scratch directory
 * with the files they name), and the pairing of --format and --output-file they rely on.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { ROOT } from "../helpers/lint.js";
import { tunelint } from "../helpers/cli.js";

const README = readFileSync(join(ROOT, "README.md"), "utf8");

/** Shell words of a simple command line (single and double quotes, no expansions). */
function words(line: string): string[] {
  const out: string[] = [];
  const re = /'([^']*)'|"([^"]*)"|(\S+)/g;
  for (let m; (m = re.exec(line));) out.push(m[1] ?? m[2] ?? m[3]!);
  return out;
}

/** Every `npx tunelint check ...` line of the README's sh blocks, with its trailing comment. */
function readmeCommands(): { line: string; comment: string }[] {
  const out: { line: string; comment: string }[] = [];
  for (const block of README.matchAll(/```sh\n([\s\S]*?)```/g)) {
    for (const raw of block[1]!.split("\n")) {
      const m = /^(.*?npx tunelint check\b[^#]*?)\s*(?:#\s*(.*))?$/.exec(raw);
      if (m) out.push({ line: m[1]!.trim(), comment: m[2] ?? "" });
    }
  }
  return out;
}

function scratch(): string {
  const dir = mkdtempSync(join(tmpdir(), "tunelint-readme-"));
  copyFileSync(join(ROOT, "samples/conversation-valid.jsonl"), join(dir, "data.jsonl"));
  copyFileSync(join(ROOT, "samples/preference-valid.jsonl"), join(dir, "pairs.jsonl"));
  mkdirSync(join(dir, "data/sub"), { recursive: true });
  copyFileSync(join(ROOT, "samples/conversation-broken.jsonl"), join(dir, "data/sub/broken.jsonl"));
  writeFileSync(join(dir, "other.jsonl.gz"), gzipSync(readFileSync(join(ROOT, "samples/instruction-valid.jsonl"))));
  copyFileSync(join(ROOT, "samples/pretokenized-valid.parquet"), join(dir, "tokens.parquet"));
  copyFileSync(join(ROOT, "samples/conversation-valid.jsonl"), join(dir, "train.jsonl"));
  copyFileSync(join(ROOT, "samples/conversation-valid.jsonl"), join(dir, "val.jsonl"));
  return dir;
}

/** What a report file holds, judged from its bytes. */
function kindOf(text: string): string {
  if (text.startsWith("<?xml")) return "junit";
  if (/^<!doctype html/i.test(text)) return "html";
  if (text.startsWith("{")) {
    const doc = JSON.parse(text);
    if (doc.version === "2.1.0" && Array.isArray(doc.runs)) return "sarif";
    if (Array.isArray(doc.files)) return "json";
    return "other-json";
  }
  if (/problems? \(|No problems/.test(text)) return "stylish";
  return "unknown";
}

const EXPECTED_KIND: Record<string, string> = { ".sarif": "sarif", ".xml": "junit", ".json": "json", ".html": "html" };

describe("the README's check command lines, run as written", () => {
  const commands = readmeCommands();
  it("finds them (the CI line with three formats among them)", () => {
    expect(commands.length).toBeGreaterThanOrEqual(8);
    expect(commands.some((c) => c.line.includes("-f stylish -f sarif -o tunelint.sarif -f junit -o junit.xml"))).toBe(true);
  });

  for (const { line, comment } of commands) {
    it(
      line,
      () => {
        const dir = scratch();
        let input: Buffer | undefined;
        let cmd = line;
        const pipe = /^cat (\S+) \| (.*)$/.exec(line);
        if (pipe) {
          input = readFileSync(join(dir, pipe[1]!));
          cmd = pipe[2]!;
        }
        const args = words(cmd.replace(/^npx tunelint /, ""));
        const r = tunelint([...args, "--no-config"], { cwd: dir, input });
        expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
        if (/exit 2/.test(comment)) {
          expect(r.code).toBe(2);
          return;
        }
        expect([0, 1]).toContain(r.code);
        // Every file the line names after -o (or in -f FORMAT=FILE) holds the format its name says.
        const outputs: string[] = [];
        args.forEach((a, i) => {
          if (a === "-o" || a === "--output-file") outputs.push(args[i + 1]!);
          const eq = /^(?:-f|--format)$/.test(args[i - 1] ?? "") ? /=(.+)$/.exec(a) : null;
          if (eq) outputs.push(eq[1]!);
        });
        for (const o of outputs) {
          const ext = /\.[a-z]+$/.exec(o)![0];
          expect(existsSync(join(dir, o)), o).toBe(true);
          expect(kindOf(readFileSync(join(dir, o), "utf8")), o).toBe(EXPECTED_KIND[ext]);
        }
        // What stays on stdout is the one format without a file (stylish unless the line says otherwise).
        const formats = args.filter((_, i) => /^(?:-f|--format)$/.test(args[i - 1] ?? ""));
        const toStdout = formats.length ? formats.filter((f, k) => !f.includes("=") && !outputs[k] && !isBound(args, f, k)) : ["stylish"];
        if (toStdout.length === 1) expect(kindOf(r.stdout)).toBe(toStdout[0]);
      },
      60_000,
    );
  }
});

/** Whether the k-th --format of `args` is directly followed by an -o. */
function isBound(args: string[], _f: string, k: number): boolean {
  let seen = -1;
  for (let i = 0; i < args.length; i++) {
    if (/^(?:-f|--format)$/.test(args[i]!)) {
      seen++;
      if (seen === k) return args[i + 2] === "-o" || args[i + 2] === "--output-file";
    }
  }
  return false;
}

describe("item 1: --format and --output-file cannot be mispaired", () => {
  const dir = scratch();
  const run = (args: string[]) => tunelint(["check", "data/sub/broken.jsonl", "--no-config", ...args], { cwd: dir });

  it("-o binds to the -f right before it (the README's CI line)", () => {
    const r = run(["-f", "stylish", "-f", "sarif", "-o", "a.sarif", "-f", "junit", "-o", "a.xml"]);
    expect(r.code).toBe(1);
    expect(kindOf(r.stdout)).toBe("stylish");
    expect(kindOf(readFileSync(join(dir, "a.sarif"), "utf8"))).toBe("sarif");
    expect(kindOf(readFileSync(join(dir, "a.xml"), "utf8"))).toBe("junit");
  });

  it("-f FORMAT=FILE, and --format=FORMAT=FILE", () => {
    const r = run(["-f", "sarif=b.sarif", "--format=junit=b.xml", "-f", "json"]);
    expect(r.code).toBe(1);
    expect(kindOf(r.stdout)).toBe("json");
    expect(kindOf(readFileSync(join(dir, "b.sarif"), "utf8"))).toBe("sarif");
    expect(kindOf(readFileSync(join(dir, "b.xml"), "utf8"))).toBe("junit");
  });

  it("one format and one -o pair in any order (eslint style)", () => {
    const r = run(["-o", "c.json", "-f", "json"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(kindOf(readFileSync(join(dir, "c.json"), "utf8"))).toBe("json");
    const s = run(["-o", "c.txt"]);
    expect(s.stdout).toBe("");
    expect(kindOf(readFileSync(join(dir, "c.txt"), "utf8"))).toBe("stylish");
  });

  it("ambiguous or conflicting pairings are exit 2 with a way out, never a guess", () => {
    for (const args of [
      ["-o", "x.sarif", "-f", "stylish", "-f", "sarif"],
      ["-f", "sarif=y.sarif", "-o", "z.sarif"],
      ["-f", "json", "-f", "sarif"],
      ["-f", "json=same.out", "-f", "sarif=same.out"],
      ["-f", "sarif="],
    ]) {
      const r = run(args);
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.stderr).toMatch(/^tunelint: .*(--output-file|--format|stdout|same file|file name)/m);
      expect(r.stderr).not.toMatch(/internal error/);
    }
  });

  it("file names after -f are files, not more formats", () => {
    const r = tunelint(["check", "--no-config", "-f", "json", "data.jsonl", "pairs.jsonl"], { cwd: dir });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).files.map((f: { path: string }) => f.path)).toEqual(["data.jsonl", "pairs.jsonl"]);
  });
});

describe("item 10: one version everywhere, a licence", () => {
  const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));
  it("every release reference in the docs is the package version", () => {
    const docs = [README, readFileSync(join(ROOT, "docs/github-action.md"), "utf8")].join("\n");
    const refs = [...docs.matchAll(/(?:tunelint\/tunelint@|rev: )(v[\w.]+)/g)].map((m) => m[1]);
    expect(refs.length).toBeGreaterThanOrEqual(3);
    expect(new Set(refs)).toEqual(new Set([`v${pkg.version}`]));
    expect(README).toMatch(new RegExp(`"version": "${pkg.version.replace(/\./g, "\\.")}"`));
  });

  it("the JSON example shows no sha256, which check does not emit", () => {
    const example = /`--format json` prints exactly one document[\s\S]*?```json\n([\s\S]*?)```/.exec(README)![1]!;
    expect(example).not.toMatch(/sha256/);
    const r = tunelint(["check", "--no-config", join(ROOT, "samples/conversation-valid.jsonl"), "-f", "json"]);
    expect(JSON.parse(r.stdout).files[0].stats.sha256).toBeUndefined();
  });

  it("ships a LICENSE that matches package.json", () => {
    expect(pkg.license).toBe("MIT");
    expect(readFileSync(join(ROOT, "LICENSE"), "utf8")).toMatch(/^MIT License/);
  });
});
