/** tunelint fix: the fixes beside their rules, surgical edits, and the command on real files. */
import { spawn, spawnSync } from "node:child_process";
import {
  closeSync,
  constants,
  lstatSync,
  mkdtempSync,
  openSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
  existsSync,
  readdirSync,
} from "node:fs";
import { readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { fixLine, fixRecord } from "../../src/convert/fix.js";
import { rules } from "../../src/rules/index.js";
import { CLI, ROOT } from "../helpers/lint.js";
import { leafStrings } from "./strings.js";

const run = (args: string[], input?: string) => spawnSync(process.execPath, [CLI, ...args], { encoding: "utf8", cwd: ROOT, input });
const tmp = () => mkdtempSync(join(tmpdir(), "tunelint-fix-"));

describe("fixable rules", () => {
  it("declare meta.fixable exactly when they carry a fix", () => {
    for (const r of rules) expect(Boolean(r.meta.fixable), r.meta.id).toBe(Boolean(r.fix));
    expect(rules.filter((r) => r.meta.fixable).map((r) => r.meta.id)).toEqual([
      "utf8-bom",
      "blank-line",
      "control-character",
      "unknown-key",
      "role-unknown",
      "content-null",
      "weight-invalid",
    ]);
  });
});

describe("fixRecord", () => {
  it("lower-cases and trims roles and renames the aliases, and nothing else", () => {
    const text =
      '{"messages": [{"role": "User", "content": "a"}, {"role": " gpt ", "content": "b"}, {"role": "HUMAN", "content": "c"}, {"role": "model", "content": "d"}, {"role": "bot", "content": "e"}, {"role": "developer", "content": "f"}, {"role": "narrator", "content": "g"}]}';
    const r = fixRecord(text, { line: 4 });
    expect(r.changes.map((c) => [c.line, c.pointer, c.ruleId, c.before, c.after])).toEqual([
      [4, "/messages/0/role", "role-unknown", '"User"', '"user"'],
      [4, "/messages/1/role", "role-unknown", '" gpt "', '"assistant"'],
      [4, "/messages/2/role", "role-unknown", '"HUMAN"', '"user"'],
      [4, "/messages/3/role", "role-unknown", '"model"', '"assistant"'],
      [4, "/messages/4/role", "role-unknown", '"bot"', '"assistant"'],
    ]);
    expect(JSON.parse(r.text).messages.map((m: { role: string }) => m.role)).toEqual([
      "user",
      "assistant",
      "user",
      "assistant",
      "assistant",
      "developer", // needs convert: not a rename
      "narrator",
    ]);
  });

  it("edits only the spans it fixes: escapes, number literals and spacing elsewhere stay byte for byte", () => {
    const text =
      '{ "id" : 12345678901234567890, "messages" : [ {"role":"User","content":"caf\\u00e9 \\ud83d\\ude00 1.50","weight":1.0}, {"role":"assistant","content":"x","weight":false} ], "score": 1.50e3 }';
    const r = fixRecord(text);
    expect(r.text).toBe(
      '{ "messages" : [ {"role":"user","content":"caf\\u00e9 \\ud83d\\ude00 1.50","weight":1}, {"role":"assistant","content":"x","weight":0} ] }',
    );
    expect(r.changes.map((c) => `${c.pointer} ${c.before} -> ${c.after}`)).toEqual([
      '/id "id": 12345678901234567890 -> ',
      '/messages/0/role "User" -> "user"',
      "/messages/0/weight 1.0 -> 1",
      "/messages/1/weight false -> 0",
      '/score "score": 1.50e3 -> ',
    ]);
  });

  it("drops content: null beside tool_calls, and keeps it elsewhere (content-null stays an error there)", () => {
    const text =
      '{"messages":[{"role":"user","content":null},{"role":"assistant","content":null,"tool_calls":[{"id":"c","type":"function","function":{"name":"f","arguments":"{}"}}]},{"role":"tool","tool_call_id":"c","content":"1"},{"role":"assistant","content":"ok"}]}';
    const r = fixRecord(text);
    expect(r.changes.map((c) => [c.pointer, c.ruleId, c.before])).toEqual([["/messages/1/content", "content-null", '"content": null']]);
    expect(JSON.parse(r.text).messages[0]).toEqual({ role: "user", content: null });
    expect("content" in JSON.parse(r.text).messages[1]).toBe(false);
  });

  it("never drops a key of another format (content): text beside messages stays", () => {
    const r = fixRecord('{"text": "keep me", "messages": [{"role": "user", "content": "a"}], "source": "hf"}');
    expect(r.changes.map((c) => c.pointer)).toEqual(["/source"]);
    expect(JSON.parse(r.text).text).toBe("keep me");
  });

  it("fixes preference records: input messages and both outputs", () => {
    const r = fixRecord({
      input: { messages: [{ role: "Human", content: "q" }] },
      preferred_output: [{ role: "GPT", content: "a" }],
      non_preferred_output: [{ role: "model", content: "b", weight: true }],
      id: 3,
    });
    expect(r.changes.map((c) => c.pointer)).toEqual([
      "/id",
      "/input/messages/0/role",
      "/non_preferred_output/0/role",
      "/non_preferred_output/0/weight",
      "/preferred_output/0/role",
    ]);
    expect(r.record).toEqual({
      input: { messages: [{ role: "user", content: "q" }] },
      preferred_output: [{ role: "assistant", content: "a" }],
      non_preferred_output: [{ role: "assistant", content: "b", weight: 1 }],
    });
  });

  it("with duplicate keys the text edit cannot be proven: the record is serialised from the fixed value", () => {
    const text = '{"messages": [{"role": "user", "role": "User", "content": "a"}], "id": 1}';
    const r = fixRecord(text);
    expect(JSON.parse(r.text)).toEqual({ messages: [{ role: "user", content: "a" }] });
  });

  it("a value is not modified, and non-objects come back unchanged", () => {
    const v = { id: 1, messages: [{ role: "User", content: "a" }] };
    const r = fixRecord(v);
    expect(v.messages[0]!.role).toBe("User");
    expect(r.record).toEqual({ messages: [{ role: "user", content: "a" }] });
    expect(fixRecord("[1,2]").changes).toEqual([]);
    expect(fixRecord("not json").text).toBe("not json");
  });

  it("reports changes in document order (message 2 before message 10)", () => {
    const messages = Array.from({ length: 12 }, (_, i) => ({ role: i % 2 ? "GPT" : "Human", content: `m${i}` }));
    const r = fixRecord(JSON.stringify({ messages }));
    expect(r.changes.map((c) => c.pointer)).toEqual(messages.map((_, i) => `/messages/${i}/role`));
  });

  it("skips the fixes of rules asked to skip", () => {
    const r = fixRecord('{"id": 1, "messages": [{"role": "User", "content": "a"}]}', { skip: ["unknown-key"] });
    expect(r.changes.map((c) => c.ruleId)).toEqual(["role-unknown"]);
  });
});

describe("fixLine", () => {
  it("strips a BOM, removes blank lines and turns CR LF into LF", () => {
    const bom = fixLine({ line: 1, bytes: Buffer.from('\ufeff{"text": "a"}', "utf8"), crlf: true });
    expect(bom.text).toBe('{"text": "a"}');
    expect(bom.crlf).toBe(false);
    expect(bom.changes.map((c) => c.ruleId)).toEqual(["utf8-bom", "control-character"]);
    const blank = fixLine({ line: 2, bytes: Buffer.from(" \t ") });
    expect(blank.text).toBeNull();
    expect(blank.changes).toEqual([{ line: 2, pointer: "", ruleId: "blank-line", before: '" \\t "', after: "(line removed)" }]);
  });

  it("keeps the exact bytes of a line it does not change (invalid UTF-8 included)", () => {
    const bytes = Buffer.from([0x7b, 0x22, 0x74, 0x65, 0x78, 0x74, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d]);
    const r = fixLine({ line: 1, bytes });
    expect(r.changes).toEqual([]);
    expect(r.bytes!.equals(bytes)).toBe(true);
  });
});

describe("tunelint fix (CLI)", () => {
  const broken = `${ROOT}samples/conversation-broken.jsonl`;

  it("repairs the broken sample: record count and every string kept, the rest reported as not fixed", () => {
    const dir = tmp();
    const out = join(dir, "fixed.jsonl");
    const r = run(["fix", broken, "-o", out, "--format", "json"]);
    expect(r.stderr).toBe("");
    const report = JSON.parse(r.stdout);
    expect(r.status).toBe(1); // invalid JSON and missing assistants cannot be fixed safely
    const input = readFileSync(broken, "utf8").split("\n");
    const output = readFileSync(out, "utf8").split("\n");
    expect(output.at(-1)).toBe("");
    const parse = (l: string) => {
      try {
        return JSON.parse(l);
      } catch {
        return undefined;
      }
    };
    const inRecords = input.map(parse).filter((v) => v && typeof v === "object" && !Array.isArray(v));
    const outRecords = output.map(parse).filter((v) => v && typeof v === "object" && !Array.isArray(v));
    expect(outRecords.length).toBe(inRecords.length);
    expect(report.records).toBe(inRecords.length);
    // Every content string of every message is unchanged, in order.
    const contents = (recs: unknown[]) => recs.flatMap((v) => leafStrings(v, (path) => path.endsWith("content")));
    expect(contents(outRecords)).toEqual(contents(inRecords));
    // Lines that are not JSON are kept as they were.
    for (const l of input.filter((l) => l.trim() && parse(l) === undefined)) expect(output).toContain(l);
    const byRule = (id: string) => report.changes.filter((c: { ruleId: string }) => c.ruleId === id);
    expect(byRule("role-unknown")).toEqual([
      { line: 2, pointer: "/messages/0/role", ruleId: "role-unknown", before: '"User"', after: '"user"' },
    ]);
    expect(byRule("unknown-key").map((c: { line: number; pointer: string }) => [c.line, c.pointer])).toEqual([[3, "/id"]]);
    expect(byRule("blank-line").map((c: { line: number }) => c.line)).toEqual([5]);
    expect(byRule("weight-invalid").map((c: { before: string; after: string }) => `${c.before}->${c.after}`)).toEqual([
      "1.0->1",
      "true->1",
    ]);
    expect(report.remaining.map((d: { ruleId: string }) => d.ruleId)).toContain("invalid-json");
    expect(report.remaining.map((d: { ruleId: string }) => d.ruleId)).not.toContain("role-unknown");
    expect(report.remaining.find((d: { ruleId: string }) => d.ruleId === "assistant-missing").inputLine).toBe(6);
    // The output is what `check` sees.
    const check = run(["check", out, "--format", "json"]);
    expect(JSON.parse(check.stdout).errorCount).toBe(report.errorCount);
  });

  it("writes the report on stderr, the data with -o - on stdout; a clean result exits 0", () => {
    const input = '\ufeff{"messages": [{"role": "Human", "content": "Hi"}, {"role": "GPT", "content": "Hello"}], "id": 1}\r\n\r\n';
    const r = run(["fix", "-", "-o", "-"], input);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('{"messages": [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello"}]}\n');
    expect(r.stderr).toContain("tunelint fix: <stdin> -> <stdout>");
    expect(r.stderr).toMatch(/1\s+utf8-bom\s+EF BB BF \(byte order mark\) -> \(removed\)/);
    expect(r.stderr).toMatch(/1 \/id\s+unknown-key\s+"id": 1 -> \(removed\)/);
    expect(r.stderr).toContain("1 record in, 1 out; 1 blank line removed");
  });

  it("shows CR LF on consecutive lines as one range", () => {
    const dir = tmp();
    const inp = join(dir, "crlf.jsonl");
    writeFileSync(inp, '{"text": "a"}\r\n{"text": "b"}\r\n{"text": "c"}\r\n');
    const r = run(["fix", inp, "-o", join(dir, "out.jsonl")]);
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/lines 1-3\s+control-character\s+CR LF line end -> LF/);
    expect(readFileSync(join(dir, "out.jsonl"), "utf8")).toBe('{"text": "a"}\n{"text": "b"}\n{"text": "c"}\n');
  });

  it("never writes over the input: same path, another spelling, a symlink, a hard link", () => {
    const dir = tmp();
    const inp = join(dir, "data.jsonl");
    const original = '{"messages": [{"role": "User", "content": "Hi"}]}\n';
    writeFileSync(inp, original);
    symlinkSync(inp, join(dir, "link.jsonl"));
    spawnSync("ln", [inp, join(dir, "hard.jsonl")]);
    for (const out of [inp, join(dir, ".", "data.jsonl"), `${dir}//data.jsonl`, join(dir, "link.jsonl"), join(dir, "hard.jsonl")]) {
      const r = run(["fix", inp, "-o", out]);
      expect(r.status, out).toBe(2);
      expect(r.stderr).toContain("never modifies a dataset in place");
    }
    const rel = spawnSync(process.execPath, [CLI, "fix", "data.jsonl", "-o", "./link.jsonl"], { encoding: "utf8", cwd: dir });
    expect(rel.status).toBe(2);
    expect(readFileSync(inp, "utf8")).toBe(original);
    expect(readdirSync(dir).filter((f) => f.endsWith(".tmp"))).toEqual([]);
  });

  it("writes through a symlink to another file (keeping its mode), and directly into a FIFO (never renamed over)", async () => {
    const dir = tmp();
    const inp = join(dir, "in.jsonl");
    writeFileSync(inp, '{"messages": [{"role": "User", "content": "a"}, {"role": "assistant", "content": "b"}]}\n');
    const target = join(dir, "target.jsonl");
    writeFileSync(target, "old\n", { mode: 0o640 });
    symlinkSync(target, join(dir, "out-link.jsonl"));
    expect(run(["fix", inp, "-o", join(dir, "out-link.jsonl")]).status).toBe(0);
    expect(lstatSync(join(dir, "out-link.jsonl")).isSymbolicLink()).toBe(true);
    expect(readFileSync(target, "utf8")).toBe('{"messages": [{"role": "user", "content": "a"}, {"role": "assistant", "content": "b"}]}\n');
    expect(statSync(target).mode & 0o777).toBe(0o640);
    const fifo = join(dir, "fifo");
    expect(spawnSync("mkfifo", [fifo]).status).toBe(0);
    const child = spawn(process.execPath, [CLI, "fix", inp, "-o", fifo], { stdio: ["ignore", "ignore", "pipe"] });
    let err = "";
    child.stderr.on("data", (d) => (err += d));
    const exited = new Promise<number | null>((r) => child.on("exit", r));
    const reading = readFile(fifo, "utf8");
    // If the child ends without opening the FIFO, open it for writing here so the read ends (and the test says why).
    void exited.then(() => {
      try {
        closeSync(openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK));
      } catch {
        // the child had it open and the read is already over
      }
    });
    const got = await reading;
    const code = await exited;
    expect(err).not.toContain("tunelint:");
    expect(code).toBe(0);
    expect(got).toBe('{"messages": [{"role": "user", "content": "a"}, {"role": "assistant", "content": "b"}]}\n');
    expect(lstatSync(fifo).isFIFO()).toBe(true);
  });

  it("usage errors: no -o, --format json with -o -, a missing input (no partial output left)", () => {
    const dir = tmp();
    expect(run(["fix", broken]).status).toBe(2);
    expect(run(["fix", broken]).stderr).toContain("never writes over its input");
    expect(run(["fix", broken, "-o", "-", "--format", "json"]).status).toBe(2);
    const r = run(["fix", join(dir, "missing.jsonl"), "-o", join(dir, "out.jsonl")]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("no such file");
    expect(r.stderr).not.toContain("internal error");
    expect(existsSync(join(dir, "out.jsonl"))).toBe(false);
    expect(readdirSync(dir)).toEqual([]);
    // A missing directory is created; one that cannot be is a usage error, not a hang.
    expect(run(["fix", `${ROOT}samples/conversation-valid.jsonl`, "-o", join(dir, "a", "b", "out.jsonl")]).status).toBe(0);
    expect(existsSync(join(dir, "a", "b", "out.jsonl"))).toBe(true);
    const bad = run(["fix", `${ROOT}samples/conversation-valid.jsonl`, "-o", join(dir, "a", "b", "out.jsonl", "x.jsonl")]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/Cannot write .*x\.jsonl: /);
  });

  it("reads gzip and writes gzip when the output ends in .gz", () => {
    const dir = tmp();
    const out = join(dir, "out.jsonl.gz");
    const r = run(["fix", `${ROOT}samples/conversation-valid.jsonl.gz`, "-o", out]);
    expect(r.status).toBe(0);
    const back = run(["check", out, "--format", "json"]);
    expect(JSON.parse(back.stdout).errorCount).toBe(0);
    expect(JSON.parse(back.stdout).files[0].records).toBeGreaterThan(0);
  });

  it("points to convert for JSON arrays and other tools' formats", () => {
    const dir = tmp();
    const arr = run(["fix", `${ROOT}test/fixtures/convert/forms/alpaca.json`, "-o", join(dir, "a.jsonl")]);
    expect(arr.status).toBe(1);
    expect(arr.stderr).toContain("run `tunelint convert`");
    const sharegpt = run(["fix", `${ROOT}test/fixtures/convert/forms/sharegpt-tools.jsonl`, "-o", join(dir, "b.jsonl")]);
    expect(sharegpt.stderr).toContain("are converted by `tunelint convert`");
  });

  it("--rule id=off leaves that rule's problems unfixed", () => {
    const r = run(
      ["fix", "-", "-o", "-", "--rule", "unknown-key=off", "--no-config"],
      '{"id": 1, "messages": [{"role": "User", "content": "a"}, {"role": "assistant", "content": "b"}]}\n',
    );
    expect(r.stdout).toBe('{"id": 1, "messages": [{"role": "user", "content": "a"}, {"role": "assistant", "content": "b"}]}\n');
  });
});
