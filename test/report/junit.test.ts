import { describe, expect, it } from "vitest";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { escapeXmlAttr, escapeXmlText, junit, stripIllegalXml } from "../../src/report/junit.js";
import { ctx, diag, file, report, sample } from "./helpers.js";

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: "",
  isArray: (name) => ["testcase", "failure"].includes(name),
});

function parse(xml: string) {
  const v = XMLValidator.validate(xml);
  expect(v).toBe(true);
  return parser.parse(xml);
}

describe("junit formatter", () => {
  it("is well-formed XML with one test case per file, listing every finding in its failure", () => {
    const doc = parse(junit(sample(), ctx()));
    const suite = doc.testsuites.testsuite;
    expect(suite.tests).toBe("4");
    expect(suite.failures).toBe("2");
    const cases = suite.testcase;
    expect(cases.map((c: any) => c.name)).toEqual([
      "/repo/data/train.jsonl",
      "data/empty.jsonl",
      "data/dir with space/ok,1:2.jsonl",
      "data/info.jsonl",
    ]);
    expect(cases.map((c: any) => c.file)).toEqual([
      "data/train.jsonl",
      "data/empty.jsonl",
      "data/dir with space/ok,1:2.jsonl",
      "data/info.jsonl",
    ]);
    expect(cases[0].failure).toHaveLength(1);
    const f = cases[0].failure[0];
    expect(f.type).toBe("error");
    expect(f.message).toBe(
      '2 errors, 1 warning; first: line 3, col 14: Unknown role "bot": use system, user, assistant or tool. (role-unknown)',
    );
    const lines = f["#text"].split("\n");
    expect(lines).toHaveLength(3); // one line per finding
    expect(lines[0]).toBe(
      'line 3, col 14, Error - Unknown role "bot": use system, user, assistant or tool. (role-unknown) at /messages/1/role',
    );
    expect(lines[1]).toMatch(/^line 7, col 13, Error - Invalid JSON: expected a value/);
    expect(lines[2]).toMatch(/^line 9, col 1, Warning - Token count of this example is an estimate/);
    expect(cases[1].failure[0].message).toBe(
      "1 error; first: file: The file is empty (0 bytes): Together rejects empty files. (empty-file)",
    );
    expect(cases[2].failure).toBeUndefined(); // clean file passes
    expect(cases[3].failure).toBeUndefined(); // info only: system-out, not a failure
    expect(cases[3]["system-out"]).toContain("Exact duplicate of line 2.");
    // token stats of a file counted with a model: properties, total and trained tokens
    const props = Object.fromEntries(cases[0].properties.property.map((p: any) => [p.name, p.value]));
    expect(props).toMatchObject({
      "tokens.total": "12345",
      "tokens.trained": "4321",
      "tokens.trainedP50": "300",
      "tokens.trainedP95": "2500",
      "tokens.untrained": "1",
      "tokens.trainOnInputs": "auto",
    });
    expect(cases[2].properties).toBeUndefined();
  });

  it("marks a file with only warnings as a failure of type warning", () => {
    const doc = parse(junit(report([file("w.jsonl", [diag({ severity: "warning" }), diag({ severity: "warning", line: 4 })])]), ctx()));
    const f = doc.testsuites.testsuite.testcase[0].failure[0];
    expect(f.type).toBe("warning");
    expect(f.message).toMatch(/^2 warnings; first: line 3/);
  });

  it("escapes markup and strips characters illegal in XML 1.0", () => {
    const nasty = "a<b>&\"c'\u0000\u0001\u0008\u000B\u000C\u001F\uFFFE\uFFFF\uD800 ok \u{1F600}\t\n]]>";
    const xml = junit(report([file('x"<&>.jsonl', [diag({ message: nasty, pointer: "/a~1b" })])]), ctx());
    const doc = parse(xml);
    const f = doc.testsuites.testsuite.testcase[0].failure[0];
    expect(f.message).toContain("a<b>&\"c' ok \u{1F600}");
    expect(f["#text"]).toContain("a<b>&\"c' ok \u{1F600}");
    expect(doc.testsuites.testsuite.testcase[0].name).toBe('x"<&>.jsonl');
    expect(xml).not.toMatch(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/);
    expect(stripIllegalXml("a\uD800b\uDC00c\u{1F600}")).toBe("abc\u{1F600}");
    expect(escapeXmlText("<&>")).toBe("&lt;&amp;&gt;");
    expect(escapeXmlAttr('"\n')).toBe("&quot;&#10;");
  });

  it("reports unreadable files as errors", () => {
    const doc = parse(junit(report([file("gone.jsonl", [], { fatal: true })]), ctx()));
    expect(doc.testsuites.testsuite.errors).toBe("1");
    expect(doc.testsuites.testsuite.testcase[0].error.type).toBe("fatal");
  });

  it("writes an empty suite for no files", () => {
    const doc = parse(junit(report([]), ctx()));
    expect(doc.testsuites.tests).toBe("0");
  });
});
