/**
 * The skeleton render cache (src/tokens/skeleton.ts) gives byte for byte the string Jinja renders, for every template
 * it is enabled for, on plain conversations of random role sequences and contents (whitespace at the ends, special
 * tokens, sentinel look-alikes), with and without add_generation_prompt; records outside the contract go to Jinja.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ChatTemplate } from "../../src/tokens/jinja.js";
import { PROFILES } from "../../src/tokens/profiles.js";
import { CONTRACTS, SkeletonRenderer } from "../../src/tokens/skeleton.js";
import { makeCorpus, rng } from "./corpus.js";

const CORPUS = [
  ...makeCorpus(300, 13),
  "  padded  ",
  "\n\nlead",
  "trail\n\n",
  "\ufeffbom\ufeff",
  "\x1cfs\x85",
  "\uE0007\uE001 sentinel",
  "",
];
const NOW = () => new Date(2026, 0, 5, 12);

function conversations(n: number, seed: number): Array<Array<Record<string, unknown>>> {
  const r = rng(seed);
  const pick = () => CORPUS[Math.floor(r() * CORPUS.length)]!;
  const roles = ["system", "user", "assistant"];
  const out: Array<Array<Record<string, unknown>>> = [];
  for (let i = 0; i < n; i++) {
    const msgs: Array<Record<string, unknown>> = [];
    const regular = r() < 0.7;
    if (r() < 0.6) msgs.push({ role: "system", content: pick() });
    const len = 1 + Math.floor(r() * 6);
    for (let t = 0; t < len; t++) {
      const role = regular ? (t % 2 === 0 ? "user" : "assistant") : roles[Math.floor(r() * 3)]!;
      const m: Record<string, unknown> = { role, content: pick() };
      if (role === "assistant" && r() < 0.2) m.weight = r() < 0.5 ? 0 : 1;
      msgs.push(m);
    }
    out.push(msgs);
  }
  return out;
}

const profiles = Object.values(PROFILES).filter(
  (p, i, all) => p.template && CONTRACTS[p.template] && all.findIndex((q) => q.template === p.template && q.bosToken === p.bosToken) === i,
);

describe.each(profiles.map((p) => [p.template!, p] as const))("skeleton render cache, template %s", (name, p) => {
  const t = new ChatTemplate(readFileSync(new URL(`../../data/templates/${name}.jinja`, import.meta.url), "utf8"));
  const jinja = (messages: unknown[], addGen: boolean, tools: unknown[] | null = null) =>
    t.render({ messages, tools, addGenerationPrompt: addGen, bosToken: p.bosToken, eosToken: p.eosToken, now: NOW });
  it("renders exactly what Jinja renders", () => {
    const sk = new SkeletonRenderer(CONTRACTS[name]!, (m, g) => jinja(m, g));
    let fast = 0;
    const diffs: string[] = [];
    for (const msgs of conversations(400, 5)) {
      for (const addGen of [false, true]) {
        let expected: string | null;
        try {
          expected = jinja(msgs, addGen);
        } catch {
          expected = null;
        }
        const got = sk.tryRender(msgs, null, addGen);
        if (got === undefined) continue;
        fast++;
        if (got !== expected) diffs.push(JSON.stringify(msgs).slice(0, 200));
      }
    }
    expect(diffs).toEqual([]);
    expect(fast).toBeGreaterThan(700);
  });
  it("leaves tools, tool calls, other roles and keys, and non-string content to Jinja", () => {
    const sk = new SkeletonRenderer(CONTRACTS[name]!, (m, g) => jinja(m, g));
    const base = [{ role: "user", content: "hi" }];
    expect(sk.tryRender(base, null, false)).toBe(jinja(base, false));
    expect(sk.tryRender(base, [{ type: "function", function: { name: "f" } }], false)).toBeUndefined();
    expect(sk.tryRender([...base, { role: "assistant", content: "", tool_calls: [] }], null, false)).toBeUndefined();
    expect(sk.tryRender([...base, { role: "tool", content: "x" }], null, false)).toBeUndefined();
    expect(sk.tryRender([{ role: "user", content: "x", name: "bob" }], null, false)).toBeUndefined();
    expect(sk.tryRender([{ role: "user", content: null }], null, false)).toBeUndefined();
    expect(sk.tryRender([{ role: "user", content: ["a"] }], null, false)).toBeUndefined();
  });
});
