import { gzipSync } from "node:zlib";
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LineSplitter, openFile, readLines, type RawLine } from "../../src/io/reader.js";

function splitAll(input: Buffer, chunkSizes: number[] | number, max = 1 << 20): RawLine[] {
  const out: RawLine[] = [];
  const s = new LineSplitter((l) => out.push({ ...l, bytes: Buffer.from(l.bytes) }), max);
  let i = 0;
  let k = 0;
  while (i < input.length) {
    const size = Array.isArray(chunkSizes) ? chunkSizes[k++ % chunkSizes.length]! : chunkSizes;
    s.push(input.subarray(i, i + size));
    i += size;
  }
  s.end();
  return out;
}

const text = (ls: RawLine[]) => ls.map((l) => l.bytes.toString("utf8"));

async function* chunks(buf: Buffer, size: number) {
  for (let i = 0; i < buf.length; i += size) yield buf.subarray(i, i + size);
}

describe("LineSplitter", () => {
  const input = Buffer.from('{"a":1}\r\n\n  \n{"b":"é日本😀"}\r\r\nlast', "utf8");
  const expected = ['{"a":1}', "", "  ", '{"b":"é日本😀"}\r', "last"];

  it("splits at LF only, strips one CR before LF, keeps a lone CR, keeps a final line without newline", () => {
    expect(text(splitAll(input, 1 << 20))).toEqual(expected);
  });

  it("gives identical lines, numbers and offsets for every chunk split point", () => {
    const whole = splitAll(input, 1 << 20);
    for (let a = 1; a < input.length; a++) {
      const got = splitAll(input, [a, input.length]);
      expect(text(got)).toEqual(expected);
      expect(got.map((l) => [l.line, l.offset, l.length])).toEqual(whole.map((l) => [l.line, l.offset, l.length]));
    }
    for (const size of [1, 2, 3, 5, 7]) expect(text(splitAll(input, size))).toEqual(expected);
  });

  it("counts 1-based physical lines including blank ones, with byte offsets", () => {
    const ls = splitAll(input, 3);
    expect(ls.map((l) => l.line)).toEqual([1, 2, 3, 4, 5]);
    expect(ls.map((l) => l.offset)).toEqual([0, 9, 10, 13, input.indexOf("last")]);
  });

  it("does not emit an extra empty line after a final newline, but does for a trailing blank line", () => {
    expect(text(splitAll(Buffer.from("a\n"), 1))).toEqual(["a"]);
    expect(text(splitAll(Buffer.from("a\n\n"), 1))).toEqual(["a", ""]);
    expect(text(splitAll(Buffer.from(""), 1))).toEqual([]);
  });

  it("drops an oversized line without holding it and goes on, also across chunks", () => {
    const big = "x".repeat(5000);
    const buf = Buffer.from(`short\n${big}\nafter\n${big}`);
    for (const size of [7, 100, 4096, 1 << 20]) {
      const ls = splitAll(buf, size, 1000);
      expect(ls.map((l) => [l.line, l.oversized, l.length])).toEqual([
        [1, false, 5],
        [2, true, 5000],
        [3, false, 5],
        [4, true, 5000],
      ]);
      expect(ls[1]!.bytes.length).toBe(0);
      expect(ls[2]!.bytes.toString()).toBe("after");
    }
  });

  it("accepts a line of exactly max bytes, with or without CRLF", () => {
    const line = "y".repeat(1000);
    for (const nl of ["\n", "\r\n"]) {
      const ls = splitAll(Buffer.from(line + nl + "z"), 64, 1000);
      expect(ls.map((l) => l.oversized)).toEqual([false, false]);
      expect(ls[0]!.bytes.length).toBe(1000);
    }
  });

  it("reads a 10 MB line split into 1 MiB chunks", () => {
    const big = Buffer.alloc(10 * 1024 * 1024, 0x61);
    const buf = Buffer.concat([Buffer.from("a\n"), big, Buffer.from("\nb")]);
    const ls = splitAll(buf, 1024 * 1024, 64 * 1024 * 1024);
    expect(ls.map((l) => l.length)).toEqual([1, big.length, 1]);
    expect(ls[1]!.bytes.equals(big)).toBe(true);
  });
});

describe("readLines", () => {
  it("hashes exactly the raw bytes and counts them", async () => {
    const buf = Buffer.from('{"a":1}\n{"b":2}\n');
    const lines: string[] = [];
    const s = await readLines(chunks(buf, 5), (l) => lines.push(l.bytes.toString()));
    expect(lines).toEqual(['{"a":1}', '{"b":2}']);
    expect(s.bytes).toBe(buf.length);
    expect(s.sha256).toBe(createHash("sha256").update(buf).digest("hex"));
    expect(s.gzip).toBe(false);
  });

  it("reads gzip transparently (detected by magic bytes), hashing the compressed bytes", async () => {
    const plain = Buffer.from(Array.from({ length: 2000 }, (_, i) => `{"text":"line ${i}"}`).join("\n") + "\n");
    const gz = gzipSync(plain);
    const lines: string[] = [];
    const s = await readLines(chunks(gz, 100), (l) => lines.push(l.bytes.toString()));
    expect(lines.length).toBe(2000);
    expect(lines[1999]).toBe('{"text":"line 1999"}');
    expect(s.gzip).toBe(true);
    expect(s.bytes).toBe(gz.length);
    expect(s.decodedBytes).toBe(plain.length);
    expect(s.sha256).toBe(createHash("sha256").update(gz).digest("hex"));
  });

  it("rejects a truncated gzip stream after delivering what it could", async () => {
    const gz = gzipSync(Buffer.from('{"text":"a"}\n'.repeat(1000)));
    await expect(readLines(chunks(gz.subarray(0, gz.length - 20), 64), () => {})).rejects.toThrow();
  });

  it("stops on abort", async () => {
    const ac = new AbortController();
    ac.abort();
    await expect(readLines(chunks(Buffer.from("a\nb\n"), 1), () => {}, { signal: ac.signal })).rejects.toThrow();
  });
});

describe("openFile", () => {
  const dir = mkdtempSync(join(tmpdir(), "tunelint-open-"));
  const lines = Array.from({ length: 40_000 }, (_, i) => `{"text": "line ${i} ${"é".repeat(i % 7)}"}`).join("\n") + "\n";
  const big = join(dir, "big.jsonl");
  writeFileSync(big, lines); // about 1.2 MB: more than one chunk
  const small = join(dir, "small.jsonl");
  writeFileSync(small, lines.slice(0, 5000));
  const chunks = async (src: AsyncIterable<Buffer | string>) => {
    const out: Buffer[] = [];
    for await (const c of src) out.push(Buffer.from(c));
    return out;
  };

  it("reads a file of at most one chunk in one piece, and a larger one as a stream, the same bytes and lines", async () => {
    const one = await chunks(openFile(small, undefined, statSync(small).size));
    expect(one.length).toBe(1);
    expect(Buffer.concat(one).equals(readFileSync(small))).toBe(true);
    const many = await chunks(openFile(big, undefined, statSync(big).size));
    expect(many.length).toBeGreaterThan(1);
    expect(Buffer.concat(many).equals(readFileSync(big))).toBe(true);
    const count = async (p: string, size?: number) => (await readLines(openFile(p, undefined, size), () => {})).lines;
    expect(await count(small, statSync(small).size)).toBe(await count(small));
  });

  it("fails when iterated, not when called, for a file that is gone or a directory", async () => {
    const gone = openFile(join(dir, "nope.jsonl"), undefined, 10);
    await expect(chunks(gone)).rejects.toMatchObject({ code: "ENOENT" });
    await expect(chunks(openFile(dir, undefined, 10))).rejects.toMatchObject({ code: "EISDIR" });
  });

  it("honours an aborted signal", async () => {
    const ac = new AbortController();
    ac.abort();
    await expect(chunks(openFile(small, ac.signal, 10))).rejects.toMatchObject({ name: "AbortError" });
  });
});
