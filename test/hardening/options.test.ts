/** Issue 17, items 3, 4, 6, 8, 9, 21, 24: options a new user gets wrong, and names that hit the prototype. */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { constants } from "node:buffer";
import { describe, expect, it } from "vitest";
import { lintFile, lintRecord, prepareLint } from "../../src/lint/lint.js";
import { ROOT } from "../helpers/lint.js";
import { tunelint } from "../helpers/cli.js";

const dir = mkdtempSync(join(tmpdir(), "tunelint-opts-"));
const valid = join(ROOT, "samples/conversation-valid.jsonl");
const broken = join(ROOT, "samples/conversation-broken.jsonl");

describe("item 3: token options need a model", () => {
  for (const args of [
    ["--tokenizer", join(dir, "tokenizer.json")],
    ["--chat-template", join(dir, "t.jinja")],
    ["--max-seq-length", "4096"],
    ["--epochs", "3"],
  ]) {
    it(`${args[0]} without --model is exit 2, not silently ignored`, () => {
      const r = tunelint(["check", valid, "--no-config", ...args]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(new RegExp(`tunelint: ${args[0]} .*--model`));
    });
  }
  it("the library says the same", async () => {
    await expect(prepareLint({ config: false, maxSeqLength: 100 })).rejects.toThrow(/maxSeqLength.*model/);
    await expect(prepareLint({ config: false, tokenizer: "t.json" })).rejects.toThrow(/tokenizer.*model/);
  });
});

describe("item 4: colour", () => {
  const red = "\u001b[31m";
  it("--color forces colour on a pipe", () => {
    const r = tunelint(["check", broken, "--no-config", "--color"]);
    expect(r.stdout).toContain(red);
  });
  it("FORCE_COLOR=1 forces it, NO_COLOR turns it off, --no-color wins over FORCE_COLOR", () => {
    expect(tunelint(["check", broken, "--no-config"], { env: { FORCE_COLOR: "1", NO_COLOR: "" } }).stdout).toContain(red);
    expect(tunelint(["check", broken, "--no-config"], { env: { FORCE_COLOR: "", NO_COLOR: "1" } }).stdout).not.toContain("\u001b[");
    expect(tunelint(["check", broken, "--no-config", "--no-color"], { env: { FORCE_COLOR: "1", NO_COLOR: "" } }).stdout).not.toContain(
      "\u001b[",
    );
  });
});

describe("item 6: --staged outside a repository", () => {
  it("is a usage error with a clear message (exit 2), never an internal error", () => {
    const r = tunelint(["check", "--staged", "--no-config"], { cwd: dir, env: { GIT_CEILING_DIRECTORIES: tmpdir() } });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/tunelint: --staged needs a git repository/);
    expect(r.stderr).not.toMatch(/internal error/);
  });
});

describe("item 8: one severity validation for the library and the CLI", () => {
  for (const bad of ["bogus", "warn", "Error"]) {
    it(`"${bad}" is refused by lintFile, lintRecord, the config file and --rule alike`, async () => {
      await expect(lintFile(valid, { config: false, rules: { "content-empty": bad as "error" } })).rejects.toThrow(
        /content-empty.*(off, info, warning|allowed)/,
      );
      expect(() => lintRecord({ text: "x" }, { rules: { "content-empty": bad as "error" } })).toThrow(/content-empty/);
      const cfg = join(dir, `cfg-${bad}.json`);
      writeFileSync(cfg, JSON.stringify({ rules: { "content-empty": bad } }));
      const c = tunelint(["check", valid, "-c", cfg]);
      expect(c.code).toBe(2);
      expect(c.stderr).toMatch(/content-empty/);
      const r = tunelint(["check", valid, "--no-config", "--rule", `content-empty=${bad}`]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/content-empty/);
    });
  }
  it('"warn" gets a hint', async () => {
    await expect(prepareLint({ config: false, rules: { "content-empty": "warn" as "error" } })).rejects.toThrow(/Did you mean "warning"/);
  });
});

describe("item 9: lintRecord with a string is that JSONL line", () => {
  it("reports the same format as the object form", () => {
    const obj = { text: "hello" };
    expect(lintRecord(obj).format).toBe("general");
    expect(lintRecord(JSON.stringify(obj)).format).toBe("general");
    expect(lintRecord('{"messages":[{"role":"user","content":"hi"}]}').format).toBe("conversation");
    expect(lintRecord("not json").format).toBeNull();
  });
});

describe("item 21: --max-line-bytes beyond what the runtime can hold", () => {
  it("is refused with the maximum (exit 2)", () => {
    for (const v of [String(constants.MAX_STRING_LENGTH + 1), String(3 * 2 ** 30)]) {
      const r = tunelint(["check", valid, "--no-config", "--max-line-bytes", v]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/--max-line-bytes.*at most/);
      expect(r.stderr).not.toMatch(/internal error/);
    }
    expect(tunelint(["check", valid, "--no-config", "--max-line-bytes", String(constants.MAX_STRING_LENGTH)]).code).toBe(0);
  });
  it("the library too", async () => {
    await expect(prepareLint({ config: false, maxLineBytes: 2 ** 31 })).rejects.toThrow(/at most/);
  });
});

describe("item 24: names that are Object.prototype members", () => {
  const names = ["toString", "constructor", "__proto__", "hasOwnProperty", "valueOf"];
  for (const n of names) {
    it(`-f ${n}, --rule ${n}=off and --model ${n} are usage errors`, () => {
      for (const args of [
        ["-f", n],
        ["--rule", `${n}=off`],
        ["--model", n],
      ]) {
        const r = tunelint(["check", valid, "--no-config", ...args]);
        expect(r.code, args.join(" ")).toBe(2);
        expect(r.stderr).not.toMatch(/internal error|\[object/);
      }
    });
    it(`role ${n} is an unknown role with no odd suggestion`, () => {
      const r = lintRecord({
        messages: [
          { role: n, content: "hi" },
          { role: "assistant", content: "a" },
        ],
      });
      const d = r.diagnostics.find((x) => x.ruleId === "role-unknown")!;
      expect(d).toMatchObject({ messageId: "unknown", pointer: "/messages/0/role", line: 1 });
      expect(d.message).not.toMatch(/object|function/i);
    });
  }
  it("a config with a __proto__ rule is a usage error", () => {
    const cfg = join(dir, "proto.json");
    writeFileSync(cfg, '{"rules":{"__proto__":"off"}}');
    const r = tunelint(["check", valid, "-c", cfg]);
    expect(r.code).toBe(2);
    expect(r.stderr).not.toMatch(/internal error/);
  });
});

describe("item 10: messages that match what is accepted", () => {
  it("-j and --max-warnings say what they accept", () => {
    const j = tunelint(["check", valid, "--no-config", "-j", "0"]);
    expect(j.code).toBe(2);
    expect(j.stderr).toMatch(/--jobs must be an integer: 1 or more \(got 0\)/);
    const w = tunelint(["check", valid, "--no-config", "--max-warnings", "-1"]);
    expect(w.code).toBe(2);
    expect(w.stderr).toMatch(/--max-warnings must be an integer: 0 or more \(got -1\)/);
    expect(tunelint(["check", valid, "--no-config", "--max-warnings", "0"]).code).toBe(0);
  });
  it('too-few-examples says "1 is required", not "1 are required"', () => {
    const f = join(dir, "none.jsonl");
    writeFileSync(f, "[1]\n");
    const r = tunelint(["check", f, "--no-config"]);
    expect(r.stdout).toMatch(/The file has 0 examples; at least 1 is required\./);
  });
});
