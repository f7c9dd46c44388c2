/** Issue 17, item 25: checker gaps found by hostile input. */
import { describe, expect, it } from "vitest";
import { lintRecord } from "../../src/lint/lint.js";
import { ROOT } from "../helpers/lint.js";
import { tunelint } from "../helpers/cli.js";

const ids = (r: ReturnType<typeof lintRecord>) => r.diagnostics.map((d) => d.ruleId);

describe("item 25", () => {
  it('JSON-escaped lone surrogates ("\\ud800") are flagged, in values and keys; pairs are not', () => {
    const v = lintRecord('{"text":"cut \\ud83d"}');
    expect(v.diagnostics).toEqual([
      expect.objectContaining({ ruleId: "lone-surrogate", messageId: "value", line: 1, column: 9, pointer: "/text" }),
    ]);
    const k = lintRecord('{"text":"x","\\udc00":1}');
    expect(k.diagnostics.find((d) => d.ruleId === "lone-surrogate")).toMatchObject({ messageId: "key", pointer: "/\udc00", column: 13 });
    expect(ids(lintRecord('{"text":"\\ud83d\\ude00"}'))).toEqual([]);
  });

  it("duplicate keys are flagged at the repeat, and the other findings point at the value that is judged (the last)", () => {
    const text = '{"messages":[{"role":"user","content":"hi","role":"User"},{"role":"assistant","content":"a"}]}';
    const r = lintRecord(text);
    const dup = r.diagnostics.find((d) => d.ruleId === "duplicate-key")!;
    expect(dup).toMatchObject({ messageId: "duplicate", pointer: "/messages/0/role", column: text.indexOf('"role":"User"') + 1 });
    expect(dup.data).toMatchObject({ key: '"role"', firstColumn: text.indexOf('"role":"user"') + 1 });
    const role = r.diagnostics.find((d) => d.ruleId === "role-unknown")!;
    expect(text.slice(role.column! - 1)).toMatch(/^"User"/);
  });

  it("weight: 1e400 is reported as what it is, not as null", () => {
    const r = lintRecord('{"messages":[{"role":"user","content":"q"},{"role":"assistant","content":"a","weight":1e400}]}');
    const d = r.diagnostics.find((x) => x.ruleId === "weight-invalid")!;
    expect(d.message).toMatch(/Infinity/);
    expect(d.message).not.toMatch(/found null/);
  });

  it("a Proxy with throwing traps gives a finding, never an exception", () => {
    const hostile = new Proxy(
      {},
      {
        get() {
          throw new Error("trap");
        },
        ownKeys() {
          throw new Error("trap");
        },
        has() {
          throw new Error("trap");
        },
        getOwnPropertyDescriptor() {
          throw new Error("trap");
        },
      },
    );
    const r = lintRecord(hostile);
    expect(r.diagnostics).toEqual([expect.objectContaining({ ruleId: "invalid-json", messageId: "unserialisable", line: 1, column: 1 })]);
    expect(r.format).toBeNull();
  });

  it('--model "" is a usage error, not a silent skip of the token checks', () => {
    const r = tunelint(["check", `${ROOT}samples/conversation-valid.jsonl`, "--no-config", "--model", ""]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--model .*empty/);
  });
});
