/** The streaming record reader: JSON arrays, JSONL and concatenated values, split across chunks anywhere. */
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { readRecords, type Container, type SourceItem } from "../../src/convert/json-stream.js";

async function read(chunks: (string | Buffer)[]): Promise<{ items: SourceItem[]; container: Container | null }> {
  let container: Container | null = null;
  const items: SourceItem[] = [];
  async function* src() {
    for (const c of chunks) yield typeof c === "string" ? Buffer.from(c) : c;
  }
  for await (const it of readRecords(src(), { onContainer: (c) => (container = c) })) items.push(it);
  return { items, container };
}

const TRICKY = [
  { a: 'quote " and backslash \\', b: ["]", "}", "[", "{"] },
  { s: "\\", t: '\\"', u: "日本語 🙂 \u0000 end" },
  "a string element",
  42,
  -1.5e3,
  true,
  null,
  [],
  {},
  [{ nested: [[{ deep: "x" }]] }],
];

describe("readRecords", () => {
  it("reads every element of a pretty-printed array, whatever the chunk boundaries", async () => {
    const text = `\ufeff[\n${TRICKY.map((v) => JSON.stringify(v, null, 2)).join(",\n")}\n]\n`;
    const bytes = Buffer.from(text, "utf8");
    const whole = await read([bytes]);
    expect(whole.container).toBe("array");
    expect(whole.items.map((i) => i.value)).toEqual(TRICKY);
    // Line numbers: where each element starts.
    let line = 2;
    const lines: number[] = [];
    for (const v of TRICKY) {
      lines.push(line);
      line += JSON.stringify(v, null, 2).split("\n").length;
    }
    expect(whole.items.map((i) => i.line)).toEqual(lines);
    for (let cut = 1; cut < bytes.length; cut++) {
      const r = await read([bytes.subarray(0, cut), bytes.subarray(cut)]);
      expect(
        r.items.map((i) => i.value),
        `cut at ${cut}`,
      ).toEqual(TRICKY);
      expect(
        r.items.map((i) => i.line),
        `cut at ${cut}`,
      ).toEqual(lines);
    }
    // One byte at a time.
    const bytewise = await read([...bytes].map((b) => Buffer.from([b])));
    expect(bytewise.items.map((i) => i.value)).toEqual(TRICKY);
  });

  it("reports a bad element with its line and goes on with the next", async () => {
    const { items } = await read(['[\n  {"ok": 1},\n  {"bad": tru},\n  {"ok": 2}\n]']);
    expect(items.map((i) => [i.index, i.line, i.value, i.error !== undefined])).toEqual([
      [0, 2, { ok: 1 }, false],
      [1, 3, undefined, true],
      [2, 4, { ok: 2 }, false],
    ]);
  });

  it("says when the array is truncated or followed by garbage", async () => {
    const cut = await read(['[{"a": 1}, {"b": "unterminated']);
    expect(cut.items[0]!.value).toEqual({ a: 1 });
    expect(cut.items[1]!.error).toContain("truncated");
    expect(cut.items[2]).toMatchObject({ index: -1, error: expect.stringContaining("not closed") });
    const open = await read(['[{"a": 1},\n']);
    expect(open.items.at(-1)!.error).toContain("not closed");
    const extra = await read(['[{"a": 1}]\n{"b": 2}']);
    expect(extra.items.at(-1)!.error).toContain("after the end of the array");
  });

  it("reads JSONL line by line: a bad line never hides the next, blank lines are marked", async () => {
    const { items, container } = await read(['{"a": 1}\r\n', "\n", '{"b": \n{"c": 3}']);
    expect(container).toBe("jsonl");
    expect(items.map((i) => [i.line, i.blank === true, i.value, i.error !== undefined])).toEqual([
      [1, false, { a: 1 }, false],
      [2, true, undefined, false],
      [3, false, undefined, true],
      [4, false, { c: 3 }, false],
    ]);
  });

  it("reads pretty-printed objects one after another (concatenated values)", async () => {
    const { items, container } = await read(['{\n  "a": "x}"\n}\n{\n  "b": [1,\n 2]\n}\n']);
    expect(container).toBe("sequence");
    expect(items.map((i) => [i.line, i.value])).toEqual([
      [1, { a: "x}" }],
      [4, { b: [1, 2] }],
    ]);
  });

  it("reads gzip input", async () => {
    const { items } = await read([gzipSync(Buffer.from('[{"a": 1}, {"b": 2}]'))]);
    expect(items.map((i) => i.value)).toEqual([{ a: 1 }, { b: 2 }]);
  });

  it("an empty input has no records", async () => {
    expect((await read([])).items).toEqual([]);
    expect((await read(["[]"])).items).toEqual([]);
  });
});
