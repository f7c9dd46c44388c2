import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import Ajv from "ajv";
import addFormats from "ajv-formats";
import { formatSarif, sarif, FINGERPRINT_KEY, GITHUB_MAX_RESULTS } from "../../src/report/sarif.js";
import { ctx, diag, file, report, sample, RULES } from "./helpers.js";
import { ruleById } from "../../src/rules/index.js";

const schema = JSON.parse(readFileSync(new URL("./fixtures/sarif-schema-2.1.0.json", import.meta.url), "utf8"));
const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false }); // the schema's "language" pattern is not valid with the u flag;
addFormats(ajv);
const validate = ajv.compile(schema);

function valid(text: string) {
  const log = JSON.parse(text);
  const ok = validate(log);
  expect(validate.errors ?? []).toEqual([]);
  expect(ok).toBe(true);
  return log;
}

describe("sarif formatter", () => {
  it("is valid against the official SARIF 2.1.0 schema", () => {
    const log = valid(sarif(sample(), ctx()));
    expect(log.version).toBe("2.1.0");
    expect(log.$schema).toMatch(/sarif-2\.1\.0/);
  });

  it("the schema check does catch invalid logs", () => {
    const log = JSON.parse(sarif(sample(), ctx()));
    log.runs[0].results[0].level = "fatal";
    delete log.runs[0].tool.driver.name;
    expect(validate(log)).toBe(false);
  });

  it("lists every rule in the driver with description, help URI and default level", () => {
    const log = valid(sarif(report([]), ctx()));
    const rules = log.runs[0].tool.driver.rules;
    expect(rules.map((r: { id: string }) => r.id)).toEqual(RULES.map((r) => r.id));
    const dup = rules.find((r: { id: string }) => r.id === "duplicate-example");
    expect(dup.defaultConfiguration.level).toBe("warning");
    expect(dup.helpUri).toBe("https://github.com/tunelint/tunelint/blob/main/docs/rules/duplicate-example.md");
    expect(dup.shortDescription.text).toBe(ruleById.get("duplicate-example")!.meta.description);
    expect(rules.find((r: { id: string }) => r.id === "invalid-json").defaultConfiguration.level).toBe("error");
    expect(log.runs[0].tool.driver.name).toBe("tunelint");
    expect(log.runs[0].tool.driver.version).toBe("0.1.0");
    expect(log.runs[0].results).toEqual([]);
  });

  it("maps results: rule, level, message, repo-relative URI, region", () => {
    const log = valid(sarif(sample(), ctx()));
    const [r0, r1, r2, r3, r4] = log.runs[0].results;
    expect(r0.ruleId).toBe("role-unknown");
    expect(log.runs[0].tool.driver.rules[r0.ruleIndex].id).toBe(r0.ruleId);
    expect(r0.level).toBe("error");
    expect(r0.message.text).toBe('Unknown role "bot": use system, user, assistant or tool.');
    const loc = r0.locations[0].physicalLocation;
    expect(loc.artifactLocation.uri).toBe("data/train.jsonl"); // absolute path made relative to cwd
    expect(loc.region).toEqual({ startLine: 3, startColumn: 14 });
    expect(r0.properties.pointer).toBe("/messages/1/role");
    expect(r2.level).toBe("warning");
    // file-level finding: GitHub requires region.startLine, so line 1, no column
    expect(r3.locations[0].physicalLocation.region).toEqual({ startLine: 1 });
    expect(r3.locations[0].physicalLocation.artifactLocation.uri).toBe("data/empty.jsonl");
    expect(r4.level).toBe("note");
    expect(r1.ruleId).toBe("invalid-json");
  });

  it("percent-encodes URIs and uses forward slashes", () => {
    const log = valid(sarif(report([file("data/dir with space/a#b.jsonl", [diag()])]), ctx()));
    expect(log.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri).toBe("data/dir%20with%20space/a%23b.jsonl");
  });

  it("uses a file: URI for files outside cwd", () => {
    const log = valid(sarif(report([file("/elsewhere/x.jsonl", [diag()])]), ctx("/repo")));
    expect(log.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri).toBe("file:///elsewhere/x.jsonl");
  });

  it("has stable partial fingerprints that survive line shifts and separate duplicates", () => {
    const a = JSON.parse(sarif(report([file("a.jsonl", [diag({ line: 3 }), diag({ line: 4 })])]), ctx()));
    const b = JSON.parse(sarif(report([file("a.jsonl", [diag({ line: 10 }), diag({ line: 11 })])]), ctx()));
    const fa = a.runs[0].results.map((r: any) => r.partialFingerprints[FINGERPRINT_KEY]);
    const fb = b.runs[0].results.map((r: any) => r.partialFingerprints[FINGERPRINT_KEY]);
    expect(fa).toEqual(fb);
    expect(new Set(fa).size).toBe(2);
    const c = JSON.parse(sarif(report([file("b.jsonl", [diag({ line: 3 })])]), ctx()));
    expect(c.runs[0].results[0].partialFingerprints[FINGERPRINT_KEY]).not.toBe(fa[0]);
    // deterministic
    expect(sarif(sample(), ctx())).toBe(sarif(sample(), ctx()));
  });

  it("describes rule ids that are not in the registry so ruleIndex resolves", () => {
    const log = valid(sarif(report([file("a.jsonl", [diag({ ruleId: "not-a-registered-rule" })])]), ctx()));
    const r = log.runs[0].results[0];
    expect(log.runs[0].tool.driver.rules[r.ruleIndex].id).toBe("not-a-registered-rule");
  });

  it("caps results for GitHub (errors first) and records how many were left out", () => {
    const ds = [diag({ severity: "warning" }), diag({ severity: "info" }), diag({ severity: "error", line: 5 })];
    const log = valid(formatSarif(report([file("a.jsonl", ds)]), ctx(), { maxResults: 2 }));
    expect(log.runs[0].results.map((r: any) => r.level)).toEqual(["error", "warning"]);
    expect(log.runs[0].properties.truncatedResults).toBe(1);
    expect(GITHUB_MAX_RESULTS).toBe(25000);
  });

  it("carries token stats in run properties", () => {
    const log = valid(sarif(sample(), ctx()));
    expect(log.runs[0].properties.tokens[0]).toMatchObject({
      uri: "data/train.jsonl",
      model: "meta-llama/Llama-3.3-70B-Instruct",
      overLimit: 1,
      trained: 4321,
      trainedP50: 300,
      trainedP95: 2500,
    });
  });
});

describe("the report fixtures", () => {
  it("use rules that exist, with their own severities' levels and message templates", () => {
    for (const f of sample().files)
      for (const d of f.diagnostics) {
        const rule = ruleById.get(d.ruleId);
        expect(rule, d.ruleId).toBeDefined();
        expect(rule!.meta.messages[d.messageId], `${d.ruleId}/${d.messageId}`).toBeTypeOf("string");
      }
  });
});
