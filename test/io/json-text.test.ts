import { describe, expect, it } from "vitest";
import { findJsonSyntaxError, jsonDepth, locatePointer } from "../../src/io/json-text.js";

describe("findJsonSyntaxError", () => {
  const valid = ['{"a": [1, -2.5e+3, true, false, null, "x\\u00e9\\n"], "b": {}}', "[]", "0", '"s"', ' {"a" : { } } '];
  it("accepts exactly what JSON.parse accepts", () => {
    for (const t of valid) expect(findJsonSyntaxError(t), t).toBeNull();
  });
  const cases: [string, number, RegExp][] = [
    ['{"a": 1,}', 8, /trailing comma/],
    ["{'a': 1}", 1, /single quotes/],
    ['{"a": True}', 6, /True is not JSON/],
    ['{"a": [1, 2,]}', 12, /trailing comma/],
    ['{"a": "x', 8, /unterminated string/],
    ['{"a": 1} {"b": 2}', 9, /after the end/],
    ['{"a" 1}', 5, /expected ':'/],
    ['{"a": 01}', 7, /expected ','/],
    ['{"a": "\\x"}', 8, /invalid escape/],
    ["", 0, /expected a value/],
    ["[".repeat(50000), 50000, /expected a value/],
  ];
  it.each(cases)("%s -> offset %i", (text, offset, reason) => {
    expect(() => JSON.parse(text)).toThrow();
    const e = findJsonSyntaxError(text)!;
    expect(e.offset).toBe(offset);
    expect(e.reason).toMatch(reason);
  });
});

describe("jsonDepth", () => {
  it("ignores brackets inside strings and escaped quotes", () => {
    expect(jsonDepth('{"a": "[[[{{\\"[[", "b": [[1]]}')).toBe(3);
    expect(jsonDepth("[".repeat(1000) + "]".repeat(1000))).toBe(1000);
  });
});

describe("locatePointer", () => {
  const t = '{"messages": [{"role": "user", "content": "a/b~"}, {"role": "x", "we/ird~": 1}], "n": null}';
  it("finds values, keys, escaped tokens and falls back to the deepest existing value", () => {
    expect(t.slice(locatePointer(t, "/messages/1/role").offset)).toMatch(/^"x"/);
    expect(t.slice(locatePointer(t, "/messages/1/we~1ird~0", { key: true }).offset)).toMatch(/^"we\/ird~"/);
    expect(t.slice(locatePointer(t, "/n").offset)).toMatch(/^null/);
    const missing = locatePointer(t, "/messages/0/weight");
    expect(missing.exact).toBe(false);
    expect(t.slice(missing.offset)).toMatch(/^\{"role": "user"/);
    expect(locatePointer(t, "").offset).toBe(0);
  });

  it("skips strings with escaped quotes and runs of backslashes, in keys, values and nested containers", () => {
    // Values whose JSON has escaped quotes and runs of backslashes next to the closing quote.
    const tricky = ["a", 'say "hi"', "ends with \\", '\\"', '{"not": ["json"]}', "\\\\", 'x\\"\\\\'];
    for (const value of tricky) {
      const record = { [`k${value}`]: value, list: [value, { deep: [value, { target: "here" }] }], after: value, end: "last" };
      const text = JSON.stringify(record);
      expect(text.slice(locatePointer(text, "/list/1/deep/1/target").offset)).toMatch(/^"here"/);
      expect(text.slice(locatePointer(text, "/end").offset)).toMatch(/^"last"/);
      expect(JSON.parse(text.slice(locatePointer(text, "/after").offset).replace(/,"end":"last"}$/, ""))).toBe(value);
    }
  });
});
