/** The config schema's rules part is generated from the registry (scripts/gen-docs.mjs; freshness: test/docs.test.ts). */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { rules } from "../../src/rules/index.js";
import { validateConfig } from "../../src/lint/config.js";
import { prepareLint } from "../../src/lint/lint.js";
import { UsageError } from "../../src/errors.js";
import { ROOT } from "../helpers/lint.js";

const schema = JSON.parse(readFileSync(`${ROOT}schemas/config.schema.json`, "utf8"));

describe("config schema", () => {
  it("names every rule, in registry order, with its description (editors complete the ids)", () => {
    const props = schema.properties.rules.properties;
    expect(Object.keys(props)).toEqual(rules.map((r) => r.meta.id));
    for (const r of rules) expect(props[r.meta.id].description).toContain(r.meta.description);
  });

  it("types each rule's options from its defaults", () => {
    const nesting = schema.properties.rules.properties["nesting-too-deep"];
    expect(nesting.oneOf[1].prefixItems[1].properties).toEqual({ maxDepth: { type: "number", default: 500 } });
  });

  it('rejects an option of the wrong type ({"maxDepth": "deep"} passed before)', async () => {
    const config = { rules: { "nesting-too-deep": ["error", { maxDepth: "deep" }] } };
    expect(() => validateConfig(config, "tunelint.config.json")).toThrow(
      new UsageError("Invalid tunelint.config.json: /rules/nesting-too-deep/1/maxDepth must be number"),
    );
    await expect(prepareLint({ config: config as never })).rejects.toThrow(/maxDepth must be number/);
  });

  it("still accepts every valid form and leaves unknown ids and option names to tunelint's own messages", async () => {
    expect(() =>
      validateConfig({ rules: { "nesting-too-deep": ["warning", { maxDepth: 50 }], "content-empty": "off", "token-limit": ["error"] } }),
    ).not.toThrow();
    expect(() => validateConfig({ rules: { "content-emtpy": "off" } })).toThrow(
      /Unknown rule "content-emtpy".*Did you mean "content-empty"/,
    );
    await expect(prepareLint({ config: { rules: { "nesting-too-deep": ["error", { maxDepht: 3 }] } } })).rejects.toThrow(
      'Rule "nesting-too-deep" has no option "maxDepht" (options: maxDepth).',
    );
  });
});
