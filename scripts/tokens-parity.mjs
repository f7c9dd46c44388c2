#!/usr/bin/env node
/**
 * Large one-off exactness check (the test suite runs a smaller one): for every shipped tokenizer, N corpus strings
 * plus M conversations rendered with each exact family's template, counted by the shipped engine and by the Rust
 * reference (npm `tokenizers`, devDependency) on the same tokenizer.json. Build first: `npm run build`.
 *   node scripts/tokens-parity.mjs [N=2000] [M=300]
 */
import { readFileSync } from "node:fs";
import { Tokenizer as Rust } from "tokenizers";
import { makeCorpusForScript } from "./tokens-corpus.mjs";

const N = Number(process.argv[2] ?? 2000);
const M = Number(process.argv[3] ?? 300);
const { createEngine, loadTokenizerJson } = await import("../dist/tokens/tokenizer.js");
const { ChatTemplate } = await import("../dist/tokens/jinja.js");
const { PROFILES } = await import("../dist/tokens/profiles.js");

const SPECIALS = [
  "<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\nhi<|eot_id|>",
  "<|eom_id|> <|python_tag|> <|finetune_right_pad_id|> <|reserved_special_token_250|> <|eot_id <|EOT_ID|>",
  "<|im_start|>system\nx<|im_end|> <|endoftext|> <think>\nr\n</think> <tool_call>{}</tool_call>",
  "<s>[INST] q [/INST] a</s> <unk> <s > [INST ]",
  "<bos><start_of_turn>user\nhi<end_of_turn><eos>",
  "<｜begin▁of▁sentence｜><｜User｜>hi<｜Assistant｜>yo<｜end▁of▁sentence｜>",
  "<|start|>assistant<|channel|>final<|message|>hi<|end|><|return|>",
];
const corpus = [...SPECIALS, ...makeCorpusForScript(N - SPECIALS.length, 17)];
let seed = 99;
const r = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
const pick = () => corpus[Math.floor(r() * corpus.length)];
const convs = Array.from({ length: M }, () => {
  const m = [];
  if (r() < 0.5) m.push({ role: "system", content: pick() });
  for (let t = 0, n = 1 + Math.floor(r() * 3); t < n; t++)
    m.push({ role: "user", content: pick() }, { role: "assistant", content: pick() });
  return m;
});

const groups = new Map();
for (const p of Object.values(PROFILES)) {
  if (!p.exact || !p.tokenizer) continue;
  const key = `${p.tokenizer}/${p.variant ?? ""}`;
  groups.set(key, [...(groups.get(key) ?? []), p]);
}
let totalMismatch = 0;
for (const [key, profiles] of groups) {
  const [file, variant] = key.split("/");
  const json = loadTokenizerJson(file, variant || undefined);
  const js = createEngine(json);
  const rust = Rust.fromString(JSON.stringify(json));
  const texts = [...corpus];
  for (const p of profiles) {
    const t = new ChatTemplate(readFileSync(new URL(`../data/templates/${p.template}.jinja`, import.meta.url), "utf8"));
    for (const m of convs) {
      try {
        texts.push(t.render({ messages: m, addGenerationPrompt: false, bosToken: p.bosToken, eosToken: p.eosToken }));
      } catch {}
    }
  }
  const enc = await rust.encodeBatch(texts, { addSpecialTokens: false });
  let mism = 0;
  texts.forEach((text, i) => {
    if (js.count(text) !== enc[i].getIds().length) mism++;
  });
  totalMismatch += mism;
  console.log(`${key.replace(/\/$/, "")} (${profiles.map((p) => p.id).join(", ")}): ${mism} mismatches / ${texts.length} strings`);
}
process.exitCode = totalMismatch === 0 ? 0 : 1;
