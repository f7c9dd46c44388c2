import { describe, expect, it } from "vitest";
import { annotation, github } from "../../src/report/github.js";
import { repoRelativePath } from "../../src/report/shared.js";
import { escapeData, escapeProperty } from "../../src/report/workflow-commands.js";
import { ctx, diag, file, report, sample } from "./helpers.js";

describe("github formatter", () => {
  it("escapes data and properties as the runner expects", () => {
    expect(escapeData("100%\r\nx:y,z")).toBe("100%25%0D%0Ax:y,z");
    expect(escapeProperty("100%\r\nx:y,z")).toBe("100%25%0D%0Ax%3Ay%2Cz");
  });

  it("prints one command per finding with file, line, col and title", () => {
    const out = github(sample(), ctx());
    const lines = out.trimEnd().split("\n");
    expect(lines).toHaveLength(6);
    expect(lines[0]).toBe(
      '::error file=data/train.jsonl,line=3,col=14,title=tunelint (role-unknown)::Unknown role "bot": use system, user, assistant or tool. (at /messages/1/role)',
    );
    expect(lines[1]).toMatch(
      /^::error file=data\/train\.jsonl,line=7,col=13,title=tunelint \(invalid-json\)::Invalid JSON: expected a value/,
    );
    // warning: message with quote, CR/LF, percent; no title leaking
    expect(lines[2]).toBe(
      '::warning file=data/train.jsonl,line=9,col=1,title=tunelint (token-count-estimate)::Token count of this example is an estimate: chat template failed: "hi, there: \\n"%0A100%25 sure.',
    );
    // token stats of a file counted with a model: one notice after its findings, total and trained tokens
    expect(lines[3]).toBe(
      "::notice file=data/train.jsonl,title=tunelint (tokens)::tokens (meta-llama/Llama-3.3-70B-Instruct, SFT, exact): total 12,345, mean 1,235, p50 900, p95 7,000, max 9,000 of 8,192, 1 over the limit; trained (train_on_inputs auto): 4,321, mean 432, p50 300, p95 2,500, max 3,000, 1 record trains nothing",
    );
    // file-level: no line/col
    expect(lines[4]).toBe(
      "::error file=data/empty.jsonl,title=tunelint (empty-file)::The file is empty (0 bytes): Together rejects empty files.",
    );
    expect(lines[5]).toBe("::notice file=data/info.jsonl,line=4,col=1,title=tunelint (duplicate-example)::Exact duplicate of line 2.");
    expect(out.endsWith("\n")).toBe(true);
  });

  it("escapes commas and colons in file names", () => {
    const line = annotation("data/a,b:c.jsonl", diag());
    expect(line.startsWith("::error file=data/a%2Cb%3Ac.jsonl,line=3,")).toBe(true);
  });

  it("prints nothing for a clean report", () => {
    expect(github(report([file("a.jsonl", [])]), ctx())).toBe("");
  });

  it("makes paths repo-relative with forward slashes", () => {
    expect(repoRelativePath("/repo/data/x.jsonl", "/repo")).toBe("data/x.jsonl");
    expect(repoRelativePath("data/x.jsonl", "/repo")).toBe("data/x.jsonl");
    expect(repoRelativePath("./data/../x.jsonl", "/repo")).toBe("x.jsonl");
    expect(repoRelativePath("/other/x.jsonl", "/repo")).toBe("/other/x.jsonl");
    expect(repoRelativePath("<stdin>", "/repo")).toBe("<stdin>");
  });
});
