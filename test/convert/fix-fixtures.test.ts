/**
 * As eslint's RuleTester checks `output`: every fixable rule has test/fixtures/fix/<id>/input.jsonl, and fixing it
 * with that rule's fix alone gives exactly output.jsonl; the rule then finds nothing where its fix went.
 */
import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { fixLine } from "../../src/convert/fix.js";
import { LineSplitter } from "../../src/io/reader.js";
import { rules } from "../../src/rules/index.js";
import { FIXTURES, lint } from "../helpers/lint.js";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const fixable = rules.filter((r) => r.meta.fixable);

describe.each(fixable.map((r) => [r.meta.id] as const))("fix of %s", (id) => {
  const dir = `${FIXTURES}fix/${id}/`;
  it("has input.jsonl and output.jsonl", () => {
    expect(existsSync(`${dir}input.jsonl`)).toBe(true);
    expect(existsSync(`${dir}output.jsonl`)).toBe(true);
  });

  it("turns input.jsonl into exactly output.jsonl, changing something", async () => {
    const skip = fixable.filter((r) => r.meta.id !== id).map((r) => r.meta.id);
    const out: Buffer[] = [];
    const fixedAt = new Set<string>();
    let outLine = 0;
    const splitter = new LineSplitter((l) => {
      const f = fixLine({ line: l.line, bytes: l.bytes, crlf: l.crlf }, { skip });
      for (const c of f.changes) expect(c.ruleId).toBe(id);
      if (f.bytes === null) return;
      outLine++;
      for (const c of f.changes) fixedAt.add(`${outLine} ${c.pointer}`);
      out.push(f.bytes, Buffer.from(f.crlf ? "\r\n" : "\n"));
    });
    splitter.push(readFileSync(`${dir}input.jsonl`));
    splitter.end();
    const got = Buffer.concat(out);
    expect(got.toString("utf8")).toBe(readFileSync(`${dir}output.jsonl`, "utf8"));
    expect(got.equals(readFileSync(`${dir}output.jsonl`))).toBe(true);
    expect(got.equals(readFileSync(`${dir}input.jsonl`))).toBe(false);
    // The rule is satisfied where its fix went.
    const file = join(mkdtempSync(join(tmpdir(), "tunelint-fixture-")), "out.jsonl");
    writeFileSync(file, got);
    const r = await lint(file);
    const left = r.diagnostics.filter((d) => d.ruleId === id && (fixedAt.has(`${d.line} ${d.pointer}`) || fixedAt.has(`${d.line} `)));
    expect(left).toEqual([]);
  });
});
