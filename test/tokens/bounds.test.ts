/**
 * Issue 17 item 20: chat templates and tokenizer files are bounded. A runaway template (nested loops, a huge range(), a
 * list or string doubled in a loop, deep recursion) ends with a clear per-record estimate note, never a hang or a V8
 * abort; tokenizer files over the size limit, gzip bombs and pre-tokenizer regexes that backtrack exponentially are
 * refused with a clear error (exit 2), before anything runs them.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync, gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { regexHazard, readTokenizerJson } from "../../src/tokens/tokenizer.js";
import { KNOWN_SPLITS } from "../../src/tokens/bpe.js";
import { ChatTemplate, TemplateBudgetError } from "../../src/tokens/jinja.js";
import { tunelintAsync } from "../helpers/hub-stub.js";
import { ROOT } from "../helpers/lint.js";

const dir = mkdtempSync(join(tmpdir(), "tunelint-bounds-"));
const data = join(dir, "data.jsonl");
writeFileSync(
  data,
  [
    {
      messages: [
        { role: "user", content: "Hi" },
        { role: "assistant", content: "Hello!" },
      ],
    },
    {
      messages: [
        { role: "user", content: "Again" },
        { role: "assistant", content: "Yes." },
      ],
    },
    {
      messages: [
        { role: "user", content: "Third" },
        { role: "assistant", content: "Ok." },
      ],
    },
  ]
    .map((x) => JSON.stringify(x))
    .join("\n") + "\n",
);
const render = (src: string) =>
  new ChatTemplate(src).render({ messages: [{ role: "user", content: "x" }], addGenerationPrompt: false, bosToken: null, eosToken: null });

describe("chat template rendering is bounded", () => {
  it("a nested loop stops at the step budget, fast", () => {
    const t0 = Date.now();
    expect(() => render("{% for a in range(100000) %}{% for b in range(100000) %}{{ '' }}{% endfor %}{% endfor %}")).toThrow(
      TemplateBudgetError,
    );
    expect(Date.now() - t0).toBeLessThan(8000);
  });
  it("range(200000000) is refused before it allocates", () => {
    expect(() => render("{% for x in range(200000000) %}{% endfor %}")).toThrow(/range\(\) of more than/);
  });
  it("a list or string doubled in a loop stops at the size budget", () => {
    expect(() => render("{% set ns = namespace(x=[1]) %}{% for i in range(40) %}{% set ns.x = ns.x + ns.x %}{% endfor %}")).toThrow(
      /list of more than/,
    );
    expect(() => render("{% set ns = namespace(x='ab') %}{% for i in range(40) %}{% set ns.x = ns.x ~ ns.x %}{% endfor %}")).toThrow(
      /string of more than/,
    );
  });
  it("an empty nested loop (no node evaluated in its body) still stops, at the time budget", () => {
    const t0 = Date.now();
    expect(() => render("{% for a in range(100000) %}{% for b in range(100000) %}{% endfor %}{% endfor %}")).toThrow(TemplateBudgetError);
    expect(Date.now() - t0).toBeLessThan(8000);
  });
  it("a real template is far inside the budget", () => {
    const src = readFileSync(`${ROOT}data/templates/gpt-oss.jinja`, "utf8");
    const messages = Array.from({ length: 400 }, (_, i) => ({ role: i % 2 ? "assistant" : "user", content: `message ${i} `.repeat(20) }));
    const out = new ChatTemplate(src).render({
      messages,
      addGenerationPrompt: false,
      bosToken: null,
      eosToken: null,
      now: () => new Date(2026, 0, 5),
    });
    expect(out.length).toBeGreaterThan(10000);
  });
  it("through the CLI: a runaway template gives estimates that say why, and the run ends quickly with exit 0", async () => {
    const tpl = join(dir, "runaway.jinja");
    writeFileSync(tpl, "{% for a in range(100000) %}{% for b in range(100000) %}{% endfor %}{% endfor %}{{ messages[0].content }}");
    const big = join(dir, "range.jinja");
    writeFileSync(big, "{% for x in range(200000000) %}{% endfor %}");
    for (const file of [tpl, big]) {
      const r = await tunelintAsync(["check", data, "--model", "Qwen/Qwen3-8B", "--chat-template", file, "-f", "json"], {
        timeoutMs: 60000,
      });
      expect(r.code, r.stderr).toBe(0);
      const doc = JSON.parse(r.stdout);
      const notes = doc.files[0].diagnostics.filter((d: { message: string }) =>
        d.message.startsWith("Token count of this example is an estimate"),
      );
      expect(notes.length).toBe(3);
      expect(notes[0].message).toMatch(/rendering budget/);
      expect(notes[2].message).toMatch(/not rendered again/);
      expect(r.ms).toBeLessThan(30000);
    }
  });
});

describe("tokenizer files are bounded", () => {
  const qwen = gunzipSync(readFileSync(`${ROOT}data/tokenizers/qwen3.json.gz`)).toString("utf8");
  it("the shipped and known regexes pass; exponential ones are refused", () => {
    for (const r of KNOWN_SPLITS) expect(regexHazard(r), r).toBeNull();
    for (const r of ["(a+)+b", "(a|aa)*c", "(?:\\w+\\s?)*$", "(x?){30}", "(a)\\1"]) expect(regexHazard(r), r).not.toBeNull();
    for (const r of ["(?i:'s|'t)?", "(ab)+", "\\p{N}{1,3}", "\\s+(?!\\S)|\\s+", "[(a+)+]+"]) expect(regexHazard(r), r).toBeNull();
  });
  it("a tokenizer.json with the pre-tokenizer regex (a+)+b is refused at load, exit 2, without hanging", async () => {
    const j = JSON.parse(qwen);
    j.pre_tokenizer = {
      type: "Sequence",
      pretokenizers: [{ type: "Split", pattern: { Regex: "(a+)+b" }, behavior: "Isolated", invert: false }],
    };
    const f = join(dir, "evil-regex.json");
    writeFileSync(f, JSON.stringify(j));
    expect(() => readTokenizerJson(f)).toThrow(/refused: a repeated group/);
    writeFileSync(data + ".a", JSON.stringify({ text: "a".repeat(43) }) + "\n");
    const r = await tunelintAsync(["check", data + ".a", "--model", "acme/Evil", "--max-seq-length", "4096", "--tokenizer", f], {
      timeoutMs: 30000,
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/regex "\(a\+\)\+b" is refused/);
    expect(r.stderr).not.toMatch(/internal error/);
  });
  it("a gzip bomb and an oversized file are refused before they are inflated or parsed", () => {
    const bomb = join(dir, "bomb.json.gz");
    // 200 MiB of spaces: about 200 KB of gzip
    writeFileSync(bomb, gzipSync(Buffer.alloc(200 * 1024 * 1024, 0x20), { level: 9 }));
    expect(() => readTokenizerJson(bomb)).toThrow(/inflates to more than the 100 MiB/);
    const small = join(dir, "small-limit.json");
    writeFileSync(small, qwen);
    expect(() => readTokenizerJson(small, 1024 * 1024)).toThrow(/over the 1 MiB tunelint reads/);
    expect(() => readTokenizerJson(small)).not.toThrow();
  });
});
