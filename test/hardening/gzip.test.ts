/**
 * Issue 17, item 12: corrupt gzip input (a bit flip, a bad CRC, trailing garbage, a plain file that starts with the
 * gzip magic bytes) is a `read-error` finding and exit 2 — never an uncaught Z_DATA_ERROR that takes the process down.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { lintFile, lintStream } from "../../src/lint/lint.js";
import { tunelint } from "../helpers/cli.js";

const dir = mkdtempSync(join(tmpdir(), "tunelint-gz-"));
const good = gzipSync(Buffer.from('{"text":"hello world, a line of text"}\n'.repeat(3000)));
const variants: Record<string, Buffer> = {
  "bit-flip": (() => {
    const b = Buffer.from(good);
    b[Math.floor(b.length / 2)]! ^= 0x10;
    return b;
  })(),
  "bad-crc": (() => {
    const b = Buffer.from(good);
    b[b.length - 6]! ^= 0xff;
    return b;
  })(),
  "trailing-garbage": Buffer.concat([good, Buffer.from("garbage!!")]),
  "fake-magic": Buffer.from('\x1f\x8b{"text":"x"}\n', "latin1"),
  truncated: good.subarray(0, Math.floor(good.length / 2)),
};

describe("corrupt gzip", () => {
  for (const [name, bytes] of Object.entries(variants)) {
    it(`${name}: lintFile resolves with a fatal read-error (the host process survives)`, async () => {
      const p = join(dir, `${name}.jsonl.gz`);
      writeFileSync(p, bytes);
      const r = await lintFile(p, { config: false });
      expect(r.fatal).toBe(true);
      const d = r.diagnostics.find((x) => x.ruleId === "read-error");
      expect(d).toMatchObject({ ruleId: "read-error", messageId: "failed", line: null, column: null, pointer: "" });
      expect(d!.message).toMatch(/gzip/);
    });

    it(`${name}: lintStream resolves too`, async () => {
      async function* src() {
        for (let i = 0; i < bytes.length; i += 97) yield bytes.subarray(i, i + 97);
      }
      const r = await lintStream(src(), { config: false });
      expect(r.fatal).toBe(true);
    });

    it(`${name}: the CLI exits 2 with a read-error and no stack trace`, () => {
      const p = join(dir, `cli-${name}.jsonl.gz`);
      writeFileSync(p, bytes);
      const r = tunelint(["check", p, "--no-config", "-f", "json"]);
      expect(r.code).toBe(2);
      expect(r.stderr).not.toMatch(/\n\s+at |Z_DATA_ERROR\n|node:internal/);
      const doc = JSON.parse(r.stdout);
      expect(doc.files[0].fatal).toBe(true);
      expect(doc.files[0].diagnostics.map((d: { ruleId: string }) => d.ruleId)).toContain("read-error");
    });
  }
});

describe("a file that fails part-way (item 10)", () => {
  it("reports the lines read before the failure, never more records than lines", async () => {
    const p = join(dir, "half.jsonl.gz");
    writeFileSync(p, variants.truncated!);
    const r = await lintFile(p, { config: false });
    expect(r.fatal).toBe(true);
    expect(r.records).toBeGreaterThan(0);
    expect(r.stats.lines).toBeGreaterThanOrEqual(r.records);
  });
});
