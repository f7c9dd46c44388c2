/** The JSON Schema subset that checks tool-call arguments against the declared `parameters`. */
import { describe, expect, it } from "vitest";
import { compileSchema, SchemaCache } from "../src/dataset-formats/json-schema.js";

function problems(schema: unknown, value: unknown): string[] {
  const c = compileSchema(schema);
  if (!c.ok) throw new Error(`schema invalid: ${c.message}`);
  return c.schema.validate(value, 10).map((p) => `${p.path || "/"}: ${p.message}`);
}

function invalid(schema: unknown): string {
  const c = compileSchema(schema);
  if (c.ok) throw new Error("schema accepted");
  return `${c.path}: ${c.message}`;
}

describe("validation", () => {
  const weather = {
    type: "object",
    properties: { city: { type: "string", minLength: 2 }, days: { type: "integer", minimum: 1, maximum: 14 }, unit: { enum: ["c", "f"] } },
    required: ["city"],
    additionalProperties: false,
  };
  it("accepts valid arguments", () => {
    expect(problems(weather, { city: "Paris", days: 3, unit: "c" })).toEqual([]);
    expect(problems(weather, { city: "Rome" })).toEqual([]);
  });
  it("reports required, type, integer, bounds, enum and unknown properties with their paths", () => {
    expect(problems(weather, {})).toEqual(['/: required property "city" is missing']);
    expect(problems(weather, { city: 3 })).toEqual(["/city: expected string, found number"]);
    expect(problems(weather, { city: "Oslo", days: 2.5 })).toEqual(["/days: expected integer, found number"]);
    expect(problems(weather, { city: "Oslo", days: 30 })).toEqual(["/days: 30 is above the maximum 14"]);
    expect(problems(weather, { city: "Oslo", unit: "k" })).toEqual(['/unit: "k" is not one of "c", "f"']);
    expect(problems(weather, { city: "Oslo", when: "now" })).toEqual([
      '/when: unknown property "when" (the schema allows no other properties)',
    ]);
    expect(problems(weather, { city: "P" })).toEqual(["/city: needs at least 2 characters"]);
  });
  it("integers are numbers; arrays with items, tuples, uniqueness and bounds", () => {
    expect(problems({ type: "number" }, 3)).toEqual([]);
    const s = { type: "array", items: { type: "string" }, minItems: 1, uniqueItems: true };
    expect(problems(s, ["a", "b"])).toEqual([]);
    expect(problems(s, [])).toEqual(["/: needs at least 1 items, found 0"]);
    expect(problems(s, ["a", 1])).toEqual(["/1: expected string, found number"]);
    expect(problems(s, ["a", "a"])).toEqual(["/1: items must be unique"]);
    expect(problems({ type: "array", items: [{ type: "string" }, { type: "number" }] }, ["x", "y"])).toEqual([
      "/1: expected number, found string",
    ]);
  });
  it("anyOf, oneOf, allOf, not, const, nullable, type lists, patterns", () => {
    expect(problems({ anyOf: [{ type: "string" }, { type: "number" }] }, true)).toEqual(["/: matches none of the alternatives (anyOf)"]);
    expect(problems({ oneOf: [{ type: "number" }, { type: "integer" }] }, 3)).toEqual([
      "/: matches 2 alternatives, oneOf allows exactly one",
    ]);
    expect(problems({ allOf: [{ minimum: 1 }, { maximum: 2 }] }, 3)).toEqual(["/: 3 is above the maximum 2"]);
    expect(problems({ not: { type: "null" } }, null)).toEqual(["/: matches a schema it must not match (not)"]);
    expect(problems({ const: "x" }, "y")).toEqual(['/: expected "x", found "y"']);
    expect(problems({ type: "string", nullable: true }, null)).toEqual([]);
    expect(problems({ type: ["string", "null"] }, null)).toEqual([]);
    expect(problems({ type: "string", pattern: "^[A-Z]{3}$" }, "usd")).toEqual(['/: "usd" does not match the pattern "^[A-Z]{3}$"']);
  });
  it("local $ref (also recursive), draft-04 exclusive bounds; annotations and unknown keywords ignored", () => {
    const tree = {
      $defs: { node: { type: "object", properties: { kids: { type: "array", items: { $ref: "#/$defs/node" } } } } },
      $ref: "#/$defs/node",
    };
    expect(problems(tree, { kids: [{ kids: [] }] })).toEqual([]);
    expect(problems(tree, { kids: [{ kids: [3] }] })).toEqual(["/kids/0/kids/0: expected object, found number"]);
    expect(problems({ definitions: { n: { type: "number" } }, properties: { a: { $ref: "#/definitions/n" } } }, { a: "x" })).toEqual([
      "/a: expected number, found string",
    ]);
    expect(problems({ type: "number", minimum: 0, exclusiveMinimum: true }, 0)).toEqual(["/: 0 must be above 0"]);
    expect(problems({ type: "string", format: "date-time", description: "when", "x-custom": 1, default: "now" }, "tomorrow")).toEqual([]);
  });
});

describe("invalid schemas", () => {
  it("reports the keyword that breaks the meta-schema, with its path", () => {
    expect(invalid({ type: "object", properties: { q: { type: "str" } } })).toMatch(/^\/properties\/q\/type: unknown type "str"/);
    expect(invalid({ type: "object", properties: { q: { type: "string", required: true } } })).toMatch(
      /^\/properties\/q\/required: "required" must be a list of property names, found true/,
    );
    expect(invalid({ type: "string", pattern: "([a-z" })).toMatch(/^\/pattern: "\(\[a-z" is not a regular expression/);
    expect(invalid({ $ref: "#/$defs/missing" })).toMatch(/^\/\$ref: "\$ref" "#\/\$defs\/missing" points at nothing/);
    expect(invalid({ properties: [] })).toMatch(/^\/properties: "properties" must be an object/);
    expect(invalid({ enum: "a" })).toMatch(/^\/enum: "enum" must be a list/);
    expect(invalid({ minLength: -1 })).toMatch(/^\/minLength: "minLength" must be a non-negative integer/);
    expect(invalid({ anyOf: [] })).toMatch(/^\/anyOf: "anyOf" must be a non-empty list/);
    expect(invalid("object")).toMatch(/a schema must be an object or a boolean/);
  });
});

describe("SchemaCache", () => {
  it("compiles each distinct schema once, by content", () => {
    const cache = new SchemaCache();
    const s = { type: "object", properties: { a: { type: "string" } } };
    for (let i = 0; i < 1000; i++) expect(cache.get(JSON.parse(JSON.stringify(s))).ok).toBe(true);
    expect(cache.compiled).toBe(1);
    cache.get({ type: "object", properties: { b: { type: "string" } } });
    expect(cache.compiled).toBe(2);
    expect(cache.get({ type: "str" }).ok).toBe(false);
    expect(cache.get({ type: "str" }).ok).toBe(false);
    expect(cache.compiled).toBe(3);
  });
  it("stays bounded: two generations of its size", () => {
    const cache = new SchemaCache(10);
    for (let i = 0; i < 100; i++) cache.get({ const: i });
    expect(cache.compiled).toBe(100);
    cache.get({ const: 99 });
    expect(cache.compiled).toBe(100);
    cache.get({ const: 0 });
    expect(cache.compiled).toBe(101);
  });
});
