/**
 * The engine judges valid-UTF-8, non-ASCII lines without `\u` escapes in their Latin-1 view (JSON.parse of a copy of
 * the bytes, no decoding) and judges a line again, decoded, as soon as a rule reports on it. These tests prove the
 * results are byte for byte those of the decoded path (TUNELINT_LATIN1_VIEW=0), on lines built to catch every place
 * where the two views differ: Unicode whitespace, escapes, non-ASCII roles/keys, columns after multi-byte text.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { LineSplitter } from "../../src/io/reader.js";
import { lintFile, prepareLint } from "../../src/lint/lint.js";
import { rules } from "../../src/rules/index.js";

const NOT_AUDITED: string[] = [];
const WITHOUT_UNAUDITED = Object.fromEntries(NOT_AUDITED.map((id) => [id, "off"]));
const dir = mkdtempSync(join(tmpdir(), "tunelint-view-"));
const conv = (...m: [string, string][]) => JSON.stringify({ messages: m.map(([role, content]) => ({ role, content })) });
const raw = (s: string) => s; // JSON.stringify keeps non-ASCII raw (no \u escapes) except controls

const LINES: string[] = [
  conv(["user", "日本語の質問です"], ["assistant", "答えはこちら。Ответ здесь. 😀"]), // clean, in the view
  conv(["user", "Привет"], ["assistant", "\u3000"]), // ideographic space only: blank when decoded
  conv(["user", "é"], ["assistant", "\u00a0\u00a0"]), // NBSP only: blank (JS trim strips U+00A0)
  conv(["user", "é"], ["assistant", "\ufeff"]), // U+FEFF only: blank for trim
  conv(["user", "é"], ["assistant", "\u0085"]), // U+0085 only: JS trim keeps it: not blank
  conv(["user", "é"], ["assistant", " \u2028 \u2003 "]), // line separator + em space: blank
  conv(["usér", "ça va"], ["assistant", "oui"]), // non-ASCII role: role-unknown shows it decoded
  JSON.stringify({
    messages: [
      { role: "user", content: "中文", ключ: 1 },
      { role: "assistant", content: "好" },
    ],
  }), // unknown key
  JSON.stringify({ données: "x" }), // unknown format, non-ASCII key in the message
  conv(["user", "日本語の質問です"], ["assistant", "答えはこちら。Ответ здесь. 😀"]), // duplicate of line 1
  conv(["user", "中文中文中文"], ["user", "再次"], ["assistant", "好"]), // consecutive roles after CJK (column)
  JSON.stringify({
    messages: [
      { role: "user", content: "日本" },
      { role: "assistant", content: "好", weight: 1 },
    ],
  }).replace('"weight":1', '"weight":1.0'), // non-integer literal after CJK
  '{"input":{"messages":[{"role":"user","content":"q"}]},"preferred_output":[{"role":"assistant","content":"caf\\u00e9"}],"non_preferred_output":[{"role":"assistant","content":"café"}]}', // escaped vs raw: identical when decoded
  '{"input":{"messages":[{"role":"user","content":"q"}]},"preferred_output":[{"role":"assistant","content":"Ünïcödé"}],"non_preferred_output":[{"role":"assistant","content":"Ünïcödé"}]}', // identical raw
  '{"messages": [{"role": "user", "content": "日本"}, {"role": "assistant", "content": "好"}', // invalid JSON after CJK
  conv(["user", "日本\r語"], ["assistant", "好"]).replace("\\r", "\r"), // raw CR inside a string after CJK
  JSON.stringify({
    messages: [
      { role: "user", content: [{ type: "image_url", image_url: { url: "data:image/png;base64,日本" } }] },
      { role: "assistant", content: "好" },
    ],
  }),
  JSON.stringify({ text: "\u3000\u3000" }), // general format, blank text
  JSON.stringify({ prompt: "質問", completion: "\u2003" }), // instruction format, blank completion
  conv(["system", "Ты помощник"], ["user", "日本"], ["system", "again ё"], ["assistant", "ok"]), // system-not-first
  JSON.stringify([{ é: 1 }]), // not an object
  conv(["user", "e\u0301 combining"], ["assistant", "ok ☃"]), // clean
  conv(["user", "日本"], ["assistant", "<｜Assistant｜>好"]), // line 23: a non-ASCII template marker (templated-content)
  JSON.stringify({
    messages: [
      { role: "user", content: "質問" },
      { role: "assistant", content: "\u3000", weight: 1 },
    ],
  }), // 24: nothing to train on
  JSON.stringify({
    messages: [
      { role: "user", content: "天気" },
      {
        role: "assistant",
        tool_calls: [{ id: "c1", type: "function", function: { name: "weather", arguments: JSON.stringify({ city: "東京都" }) } }],
      },
      { role: "tool", tool_call_id: "c1", content: "晴れ" },
      { role: "assistant", content: "晴れです" },
    ],
    tools: [
      {
        type: "function",
        function: { name: "weather", parameters: { type: "object", properties: { city: { type: "string", minLength: 4 } } } },
      },
    ],
  }), // 25: "東京都" is 3 characters decoded, 9 bytes in the view: the schema must see it decoded
  conv(
    ["user", "Привет, как настроить сервер для нашей команды сегодня вечером? 🙂"],
    ["assistant", "Откройте панель, выберите регион и нажмите «Запуск»."],
  ), // 26
  conv(
    ["user", "ПРИВЕТ,  как настроить СЕРВЕР для нашей команды сегодня вечером? 🙂"],
    ["assistant", "Откройте панель, выберите регион и нажмите «Запуск»."],
  ), // 27: the same as 26 once lower-cased and spaces collapsed (near-duplicate, normalized)
  conv(["user", "Was kostet das Café im Zentrum von München heute Abend für zwei Personen?"], ["assistant", "Etwa zwanzig Euro."]), // 28
  conv(
    ["user", "Was kostet das Cafe\u0301 im Zentrum von Mu\u0308nchen heute Abend für zwei Personen?"],
    ["assistant", "Etwa zwanzig Euro."],
  ), // 29: raw combining marks (judged in the view, normalised whole): one text with 28 under NFKC
  conv(
    ["user", "Привет, как настроить сервер для нашей команды сегодня вечером? 🙂"],
    ["assistant", "Сначала обновите пароль администратора."],
  ), // 30: the prompt of 26 with another answer (conflicting-answers, at the answer's column)
  conv(["user", "鍵は ghp_R8a0f3KQz7Lm2xV9cT4bN1pW6yE5uJ0sHdGq です、なぜ失敗しますか"], ["assistant", "まず無効にしてください。"]), // 31
  conv(["user", "Café au lait, s'il vous plaît, et un croissant chaud pour mon ami qui attend dehors"], ["assistant", "Bien sûr."]), // 32
  conv(
    ["user", "Cafe\u0301 au lait, s'il vous plaît, et un croissant chaud pour mon ami qui attend dehors"],
    ["assistant", "Bien sûr."],
  ).replace("\u0301", "\\u0301"), // 33: an escaped combining acute (judged decoded): one text with 32
].map(raw);

function writeFixture(name: string, lines: string[], extra: Buffer[] = []): string {
  const p = join(dir, name);
  writeFileSync(p, Buffer.concat([Buffer.from(lines.join("\n") + "\n"), ...extra]));
  return p;
}

async function both(path: string, opts: Record<string, unknown> = {}) {
  delete process.env.TUNELINT_LATIN1_VIEW;
  // Without any rule not audited for the view (none today): with one on, both runs would be decoded.
  const view = await lintFile(path, await prepareLint({ config: false, rules: WITHOUT_UNAUDITED, ...opts }));
  process.env.TUNELINT_LATIN1_VIEW = "0";
  const decoded = await lintFile(path, await prepareLint({ config: false, rules: WITHOUT_UNAUDITED, ...opts }));
  delete process.env.TUNELINT_LATIN1_VIEW;
  return { view, decoded };
}

afterEach(() => {
  delete process.env.TUNELINT_LATIN1_VIEW;
});

describe("Latin-1 view of non-ASCII lines", () => {
  it("gives byte-identical results to the decoded path, and still finds what only the decoded text shows", async () => {
    const invalidUtf8 = Buffer.concat([Buffer.from('{"text": "日本'), Buffer.from([0xff]), Buffer.from('"}\n')]);
    const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(conv(["usér", "ü"], ["assistant", "ok"]) + "\n")]);
    const p = writeFixture("mixed.jsonl", LINES, [invalidUtf8, bom]);
    const { view, decoded } = await both(p);
    expect(JSON.stringify(view)).toBe(JSON.stringify(decoded));
    const got = view.diagnostics.map((d) => [d.line, d.ruleId, d.column]);
    // Unicode whitespace is found although the view sees bytes ≥ 0x80 there.
    expect(got).toContainEqual([2, "content-empty", expect.any(Number)]);
    expect(got).toContainEqual([3, "content-empty", expect.any(Number)]);
    expect(got).toContainEqual([4, "content-empty", expect.any(Number)]);
    expect(got).toContainEqual([6, "content-empty", expect.any(Number)]);
    expect(got.filter((d) => d[0] === 5 && d[1] === "content-empty")).toEqual([]); // U+0085 is not whitespace for trim
    expect(got).toContainEqual([18, "field-empty", expect.any(Number)]);
    expect(got).toContainEqual([19, "field-empty", expect.any(Number)]);
    // Escaped and raw é are the same string once decoded.
    expect(got).toContainEqual([13, "dpo-identical-outputs", expect.any(Number)]);
    expect(got).toContainEqual([14, "dpo-identical-outputs", expect.any(Number)]);
    expect(got).toContainEqual([10, "duplicate-example", 1]);
    expect(got).toContainEqual([23, "templated-content", expect.any(Number)]);
    expect(got).toContainEqual([24, "no-trained-tokens", expect.any(Number)]);
    expect(got).toContainEqual([25, "tool-arguments-schema", expect.any(Number)]);
    // The cross-record rules judge the view too: their text is normalised and hashed from the bytes.
    expect(view.diagnostics.find((d) => d.line === 27 && d.ruleId === "near-duplicate")).toMatchObject({
      messageId: "normalized",
      message: expect.stringContaining("line 26"),
    });
    expect(view.diagnostics.find((d) => d.line === 29 && d.ruleId === "near-duplicate")).toMatchObject({
      messageId: "normalized",
      message: expect.stringContaining("line 28"),
    });
    expect(view.diagnostics.find((d) => d.line === 33 && d.ruleId === "near-duplicate")).toMatchObject({
      messageId: "normalized",
      message: expect.stringContaining("line 32"),
    });
    const conflict = view.diagnostics.find((d) => d.line === 30 && d.ruleId === "conflicting-answers")!;
    expect(conflict.pointer).toBe("/messages/1/content");
    expect(conflict.column).toBe(LINES[29]!.indexOf('"Сначала') + 1);
    const credential = view.diagnostics.find((d) => d.line === 31 && d.ruleId === "credential-found")!;
    expect(credential.column).toBe(LINES[30]!.indexOf("ghp_") + 1);
    expect(credential.message).not.toContain("pW6yE5uJ0sHdGq");
    // Messages show decoded text, columns count UTF-16 units of the decoded line.
    const role = view.diagnostics.find((d) => d.line === 7 && d.ruleId === "role-unknown")!;
    expect(role.message).toContain("usér");
    expect(role.column).toBe(LINES[6]!.indexOf('"usér"') + 1);
    const key = view.diagnostics.find((d) => d.line === 8 && d.ruleId === "unknown-message-key")!;
    expect(key.message).toContain("ключ");
    const consecutive = view.diagnostics.find((d) => d.line === 11 && d.ruleId === "consecutive-roles")!;
    expect(consecutive.column).toBe(LINES[10]!.indexOf('"user"', LINES[10]!.indexOf("中文中文中文")) + 1);
  });

  it("every rule with line hooks says whether it is safe on the view (one that does not turns the fast path off)", () => {
    const lineHooks = ["text", "value", "unknownFormat", "record", "key"] as const;
    const unsafe = rules
      .filter((r) => {
        const hooks = r.create?.({ options: {}, path: "x.jsonl" }) ?? {};
        return lineHooks.some((h) => h in hooks) && r.latin1View !== "safe";
      })
      .map((r) => r.meta.id);
    // A new rule that reads string contents: decode what it judges with rules/utils/view.ts and declare
    // latin1View: "safe" (see its doc in rules/types.ts), or the default check runs about 1.3x slower on non-ASCII data.
    expect(unsafe).toEqual(NOT_AUDITED);
  });

  it("judges clean non-ASCII lines in the view (and the decoded path when turned off)", async () => {
    const clean = [LINES[0]!, LINES[21]!, conv(["user", "Как дела?"], ["assistant", "Хорошо, спасибо! 🙂"])];
    const p = writeFixture("clean.jsonl", clean);
    const prepared = await prepareLint({ config: false, rules: WITHOUT_UNAUDITED });
    const linter = prepared.fileLinter(p);
    const splitter = new LineSplitter((l) => linter.line(l));
    splitter.push(Buffer.from(clean.join("\n") + "\n"));
    splitter.end();
    expect(linter.viewLines).toBe(3);
    process.env.TUNELINT_LATIN1_VIEW = "0";
    const off = (await prepareLint({ config: false, rules: WITHOUT_UNAUDITED })).fileLinter(p);
    new LineSplitter((l) => off.line(l)).push(Buffer.from(clean.join("\n") + "\n"));
    expect(off.viewLines).toBe(0);
    delete process.env.TUNELINT_LATIN1_VIEW;
    // Every rule judges the view: the defaults (cross-record ones included), and personal-data (off by default).
    for (const rules of [{}, { "personal-data": "warning" }]) {
      const linter = (await prepareLint({ config: false, rules })).fileLinter(p);
      new LineSplitter((l) => linter.line(l)).push(Buffer.from(clean.join("\n") + "\n"));
      expect(linter.viewLines).toBe(3);
    }
  });

  it("finds personal data after non-ASCII text exactly as decoded (personal-data on)", async () => {
    const lines = [
      conv(["user", "日本語: write to jane.doe@mail-host.org please"], ["assistant", "了解"]),
      conv(["user", "Позвоните мне: +44 20 7946 0958, спасибо"], ["assistant", "Хорошо"]),
      conv(["user", "Ünïcödé card 4111 1111 1111 1111 ok"], ["assistant", "ok"]),
      conv(["user", "中文 no numbers here at all"], ["assistant", "好"]),
    ];
    const p = writeFixture("personal.jsonl", lines);
    const { view, decoded } = await both(p, { rules: { "personal-data": "warning" } });
    expect(JSON.stringify(view)).toBe(JSON.stringify(decoded));
    const found = view.diagnostics.filter((d) => d.ruleId === "personal-data").map((d) => [d.line, d.column]);
    expect(found).toEqual([
      [1, lines[0]!.indexOf("jane") + 1],
      [2, lines[1]!.indexOf("+44") + 1],
      [3, lines[2]!.indexOf("4111") + 1],
    ]);
  });

  it("is off when tokens are counted (the tokenizer needs the decoded text)", async () => {
    const p = writeFixture("t.jsonl", [LINES[0]!]);
    const withModel = (await prepareLint({ config: false, model: "meta-llama/Meta-Llama-3.1-8B-Instruct-Reference" })).fileLinter(p);
    new LineSplitter((l) => withModel.line(l)).push(Buffer.from(LINES[0]! + "\n"));
    expect(withModel.viewLines).toBe(0);
  });

  it("gives the same results through workers (byte ranges) as in one thread", async () => {
    const many: string[] = [];
    for (let i = 0; i < 400; i++) many.push(LINES[i % LINES.length]!.replace("日本", `日本${i}`));
    const p = writeFixture("many.jsonl", many);
    const { view, decoded } = await both(p, { jobs: 2, parallelThreshold: 0 });
    expect(JSON.stringify(view)).toBe(JSON.stringify(decoded));
    const one = await lintFile(p, await prepareLint({ config: false, rules: WITHOUT_UNAUDITED, jobs: 1 }));
    expect(JSON.stringify(one)).toBe(JSON.stringify(view));
  });
});
