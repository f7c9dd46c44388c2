// Validate records as a data pipeline produces them, then lint the file it wrote.
// Run: node examples/pipeline.mjs  (after npm run build)
import { createRecordLinter, lintFile, lintRecord, prepareLint } from "tunelint";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const produced = [
  {
    messages: [
      { role: "user", content: "What is 2 + 2?" },
      { role: "assistant", content: "4" },
    ],
  },
  {
    messages: [
      { role: "User", content: "Capital of Kenya?" },
      { role: "assistant", content: "Nairobi" },
    ],
  },
  {
    messages: [
      { role: "user", content: "What is 2 + 2?" },
      { role: "assistant", content: "4" },
    ],
  },
];

// One record, no state:
console.log(lintRecord(produced[1]).diagnostics.map((d) => `${d.ruleId} at ${d.pointer}`));

// Records in order, with duplicates and token stats across them:
const linter = createRecordLinter(await prepareLint({ config: false, model: "meta-llama/Meta-Llama-3.1-8B-Instruct-Reference" }));
for (const record of produced) {
  const r = linter.push(record);
  for (const d of r.diagnostics) console.log(`record ${d.line}: ${d.ruleId}: ${d.message}`);
  if (r.tokens) console.log(`  ${r.tokens.total} tokens, ${r.tokens.trained} trained`);
}
const { stats } = linter.finish();
console.log(
  `tokens: total ${stats.tokens.total}, max ${stats.tokens.max} of ${stats.tokens.limit}; trained ${stats.tokens.trained} (p95 ${stats.tokens.trainedP95})`,
);

// The same records as a file:
const file = join(mkdtempSync(join(tmpdir(), "tunelint-example-")), "train.jsonl");
writeFileSync(file, produced.map((r) => JSON.stringify(r)).join("\n") + "\n");
const result = await lintFile(file, { config: false });
console.log(`${result.path}: ${result.errorCount} error(s), ${result.warningCount} warning(s)`);

// Repair one JSONL line, and convert a ShareGPT record into Together's format:
import { convertRecord, fixRecord } from "tunelint";
const fixed = fixRecord('{"id": 9, "messages": [{"role": "Human", "content": "Hi"}, {"role": "gpt", "content": "Hello"}]}');
console.log(`fixed: ${fixed.text} (${fixed.changes.map((c) => `${c.ruleId} ${c.pointer}`).join(", ")})`);
const converted = convertRecord({
  conversations: [
    { from: "human", value: "Hi" },
    { from: "gpt", value: "Hello" },
  ],
});
console.log(`converted from ${converted.from}: ${JSON.stringify(converted.record)}`);
