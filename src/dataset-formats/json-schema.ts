/**
 * A small, synchronous JSON Schema validator for tool `parameters` (the function-calling subset of JSON Schema,
 * drafts 07 and 2020-12 alike), used to check tool-call arguments against the declared schema.
 *
 * Why not ajv (which builds the dataset validators at build time): ajv compiles each schema to code with
 * `new Function`, which costs about 40 ms for the first schema and milliseconds for each further one, and loading
 * its compiler adds about 30 ms to every start-up. Function-calling datasets carry thousands of distinct schemas.
 * This one "compiles" a schema into a checked tree in microseconds and validates synchronously.
 *
 * Supported: type (incl. arrays of types; "integer"), enum, const, properties, required, additionalProperties,
 * patternProperties, minProperties/maxProperties, items (schema, or a list in draft-07 tuple style), prefixItems,
 * minItems/maxItems, uniqueItems, minimum/maximum/exclusiveMinimum/exclusiveMaximum (draft-04 boolean form too),
 * multipleOf, minLength/maxLength (in code points), pattern, anyOf/oneOf/allOf/not, local $ref (#, #/$defs/...,
 * #/definitions/...), OpenAPI `nullable`. Annotation keywords (description, title, default, examples, format...) and
 * unknown keywords are ignored, as validators do by default. A schema that breaks the meta-schema on a keyword listed
 * above (an unknown type name such as "str", `required: true`, a `pattern` that is not a regular expression...) is
 * reported as invalid by `compileSchema`.
 */

export interface SchemaProblem {
  /** JSON Pointer into the instance. */
  path: string;
  /** What is wrong, as a short phrase. */
  message: string;
}

export interface CompiledSchema {
  /** Problems of `value` against the schema (empty when valid), at most `max`. */
  validate(value: unknown, max?: number): SchemaProblem[];
}

export type CompileResult = { ok: true; schema: CompiledSchema } | { ok: false; path: string; message: string };

const TYPES = new Set(["null", "boolean", "object", "array", "number", "integer", "string"]);

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function typeOf(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  if (typeof v === "number") return Number.isInteger(v) ? "integer" : "number";
  return typeof v;
}

function matchesType(v: unknown, t: string): boolean {
  const actual = typeOf(v);
  return actual === t || (t === "number" && actual === "integer");
}

function esc(key: string): string {
  return key.replace(/~/g, "~0").replace(/\//g, "~1");
}

/** JSON equality (objects by keys, arrays by order). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => jsonEqual(x, b[i]));
  if (isObj(a) && isObj(b)) {
    const ka = Object.keys(a);
    if (ka.length !== Object.keys(b).length) return false;
    return ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && jsonEqual(a[k], b[k]));
  }
  return false;
}

function show(v: unknown): string {
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 40 ? s.slice(0, 39) + "…" : s;
}

class SchemaError extends Error {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(message);
  }
}

type Node = boolean | Checked;

interface Checked {
  raw: Record<string, unknown>;
  types?: string[];
  nullable?: boolean;
  enum?: unknown[];
  hasConst?: boolean;
  const?: unknown;
  properties?: Map<string, Node>;
  required?: string[];
  additional?: Node;
  patternProps?: [RegExp, Node][];
  minProperties?: number;
  maxProperties?: number;
  items?: Node;
  tuple?: Node[];
  minItems?: number;
  maxItems?: number;
  uniqueItems?: boolean;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  multipleOf?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: RegExp;
  anyOf?: Node[];
  oneOf?: Node[];
  allOf?: Node[];
  not?: Node;
  ref?: string;
}

class Compiler {
  private readonly refs = new Map<string, Node>();
  constructor(private readonly root: unknown) {}

  node(s: unknown, at: string): Node {
    if (typeof s === "boolean") return s;
    if (!isObj(s)) throw new SchemaError(at, `a schema must be an object or a boolean, found ${typeOf(s)}`);
    const c: Checked = { raw: s };
    const num = (k: string, integer = false): number | undefined => {
      const v = s[k];
      if (v === undefined) return undefined;
      if (typeof v !== "number" || (integer && (!Number.isInteger(v) || v < 0)))
        throw new SchemaError(`${at}/${k}`, `"${k}" must be a ${integer ? "non-negative integer" : "number"}, found ${show(v)}`);
      return v;
    };
    const list = (k: string): Node[] | undefined => {
      const v = s[k];
      if (v === undefined) return undefined;
      if (!Array.isArray(v) || v.length === 0) throw new SchemaError(`${at}/${k}`, `"${k}" must be a non-empty list of schemas`);
      return v.map((x, i) => this.node(x, `${at}/${k}/${i}`));
    };
    if (s.type !== undefined) {
      const t = s.type;
      const types = Array.isArray(t) ? t : [t];
      for (const x of types) {
        if (typeof x !== "string" || !TYPES.has(x))
          throw new SchemaError(`${at}/type`, `unknown type ${show(x)} (use ${[...TYPES].join(", ")})`);
      }
      c.types = types as string[];
    }
    if (s.nullable === true) c.nullable = true;
    if (s.enum !== undefined) {
      if (!Array.isArray(s.enum)) throw new SchemaError(`${at}/enum`, `"enum" must be a list, found ${show(s.enum)}`);
      c.enum = s.enum;
    }
    if ("const" in s) {
      c.hasConst = true;
      c.const = s.const;
    }
    if (s.properties !== undefined) {
      if (!isObj(s.properties)) throw new SchemaError(`${at}/properties`, `"properties" must be an object of schemas`);
      c.properties = new Map(Object.entries(s.properties).map(([k, v]) => [k, this.node(v, `${at}/properties/${esc(k)}`)]));
    }
    if (s.required !== undefined) {
      if (!Array.isArray(s.required) || s.required.some((x) => typeof x !== "string"))
        throw new SchemaError(
          `${at}/required`,
          `"required" must be a list of property names, found ${show(s.required)}` +
            (typeof s.required === "boolean" ? ' (list the names in the parent object\'s "required")' : ""),
        );
      c.required = s.required as string[];
    }
    if (s.additionalProperties !== undefined) c.additional = this.node(s.additionalProperties, `${at}/additionalProperties`);
    if (s.patternProperties !== undefined) {
      if (!isObj(s.patternProperties)) throw new SchemaError(`${at}/patternProperties`, `"patternProperties" must be an object`);
      c.patternProps = Object.entries(s.patternProperties).map(([k, v]) => [
        this.regex(k, `${at}/patternProperties`),
        this.node(v, `${at}/patternProperties/${esc(k)}`),
      ]);
    }
    c.minProperties = num("minProperties", true);
    c.maxProperties = num("maxProperties", true);
    if (s.items !== undefined) {
      if (Array.isArray(s.items)) c.tuple = s.items.map((x, i) => this.node(x, `${at}/items/${i}`));
      else c.items = this.node(s.items, `${at}/items`);
    }
    if (s.prefixItems !== undefined) {
      if (!Array.isArray(s.prefixItems)) throw new SchemaError(`${at}/prefixItems`, `"prefixItems" must be a list of schemas`);
      c.tuple = s.prefixItems.map((x, i) => this.node(x, `${at}/prefixItems/${i}`));
    }
    c.minItems = num("minItems", true);
    c.maxItems = num("maxItems", true);
    if (s.uniqueItems !== undefined) {
      if (typeof s.uniqueItems !== "boolean") throw new SchemaError(`${at}/uniqueItems`, `"uniqueItems" must be a boolean`);
      c.uniqueItems = s.uniqueItems;
    }
    c.minimum = num("minimum");
    c.maximum = num("maximum");
    // draft-04: exclusiveMinimum/Maximum are booleans that modify minimum/maximum
    if (typeof s.exclusiveMinimum === "boolean") {
      if (s.exclusiveMinimum && c.minimum !== undefined) {
        c.exclusiveMinimum = c.minimum;
        c.minimum = undefined;
      }
    } else c.exclusiveMinimum = num("exclusiveMinimum");
    if (typeof s.exclusiveMaximum === "boolean") {
      if (s.exclusiveMaximum && c.maximum !== undefined) {
        c.exclusiveMaximum = c.maximum;
        c.maximum = undefined;
      }
    } else c.exclusiveMaximum = num("exclusiveMaximum");
    c.multipleOf = num("multipleOf");
    if (c.multipleOf !== undefined && c.multipleOf <= 0) throw new SchemaError(`${at}/multipleOf`, `"multipleOf" must be above 0`);
    c.minLength = num("minLength", true);
    c.maxLength = num("maxLength", true);
    if (s.pattern !== undefined) {
      if (typeof s.pattern !== "string") throw new SchemaError(`${at}/pattern`, `"pattern" must be a string`);
      c.pattern = this.regex(s.pattern, `${at}/pattern`);
    }
    c.anyOf = list("anyOf");
    c.oneOf = list("oneOf");
    c.allOf = list("allOf");
    if (s.not !== undefined) c.not = this.node(s.not, `${at}/not`);
    if (s.$ref !== undefined) {
      if (typeof s.$ref !== "string") throw new SchemaError(`${at}/$ref`, `"$ref" must be a string`);
      if (s.$ref === "#" || s.$ref.startsWith("#/")) {
        c.ref = s.$ref;
        if (this.target(s.$ref) === undefined)
          throw new SchemaError(`${at}/$ref`, `"$ref" ${show(s.$ref)} points at nothing in the schema`);
        this.resolve(s.$ref); // compiled now: an invalid referenced schema is a compile error, never a validation one
      }
      // remote references are not followed (treated as "anything")
    }
    return c;
  }

  private regex(source: string, at: string): RegExp {
    try {
      return new RegExp(source, "u");
    } catch {
      try {
        return new RegExp(source);
      } catch (e) {
        throw new SchemaError(at, `${show(source)} is not a regular expression (${(e as Error).message})`);
      }
    }
  }

  private target(ref: string): unknown {
    let v: unknown = this.root;
    if (ref === "#") return v;
    for (const raw of ref.slice(2).split("/")) {
      const k = decodeURIComponent(raw).replace(/~1/g, "/").replace(/~0/g, "~");
      if (Array.isArray(v)) v = v[Number(k)];
      else if (isObj(v)) v = v[k];
      else return undefined;
    }
    return v;
  }

  resolve(ref: string): Node {
    let n = this.refs.get(ref);
    if (n === undefined) {
      this.refs.set(ref, true); // a cycle resolves to "anything" while it is being built
      n = this.node(this.target(ref), ref);
      this.refs.set(ref, n);
    }
    return n;
  }
}

const MAX_DEPTH = 64;

function check(n: Node, v: unknown, path: string, out: SchemaProblem[], max: number, c: Compiler, depth: number): void {
  if (out.length >= max || n === true) return;
  if (n === false) {
    out.push({ path, message: "no value is allowed here" });
    return;
  }
  if (depth > MAX_DEPTH) return;
  if (n.ref) check(c.resolve(n.ref), v, path, out, max, c, depth + 1);
  if (n.types && !(n.nullable && v === null) && !n.types.some((t) => matchesType(v, t))) {
    out.push({ path, message: `expected ${n.types.join(" or ")}, found ${typeOf(v) === "integer" ? "number" : typeOf(v)}` });
    return;
  }
  if (n.enum && !n.enum.some((e) => jsonEqual(e, v))) {
    out.push({ path, message: `${show(v)} is not one of ${n.enum.map(show).join(", ")}` });
  }
  if (n.hasConst && !jsonEqual(n.const, v)) out.push({ path, message: `expected ${show(n.const)}, found ${show(v)}` });
  if (isObj(v)) {
    const keys = Object.keys(v);
    for (const r of n.required ?? []) {
      if (!Object.prototype.hasOwnProperty.call(v, r)) out.push({ path, message: `required property "${r}" is missing` });
    }
    if (n.minProperties !== undefined && keys.length < n.minProperties)
      out.push({ path, message: `needs at least ${n.minProperties} properties` });
    if (n.maxProperties !== undefined && keys.length > n.maxProperties)
      out.push({ path, message: `allows at most ${n.maxProperties} properties` });
    for (const k of keys) {
      const p = `${path}/${esc(k)}`;
      const declared = n.properties?.get(k);
      let matched = declared !== undefined;
      if (declared !== undefined) check(declared, v[k], p, out, max, c, depth + 1);
      for (const [re, sub] of n.patternProps ?? []) {
        if (re.test(k)) {
          matched = true;
          check(sub, v[k], p, out, max, c, depth + 1);
        }
      }
      if (!matched && n.additional !== undefined) {
        if (n.additional === false) out.push({ path: p, message: `unknown property "${k}" (the schema allows no other properties)` });
        else check(n.additional, v[k], p, out, max, c, depth + 1);
      }
    }
  } else if (Array.isArray(v)) {
    if (n.minItems !== undefined && v.length < n.minItems)
      out.push({ path, message: `needs at least ${n.minItems} items, found ${v.length}` });
    if (n.maxItems !== undefined && v.length > n.maxItems)
      out.push({ path, message: `allows at most ${n.maxItems} items, found ${v.length}` });
    const start = n.tuple ? n.tuple.length : 0;
    n.tuple?.forEach((t, i) => {
      if (i < v.length) check(t, v[i], `${path}/${i}`, out, max, c, depth + 1);
    });
    if (n.items !== undefined) for (let i = start; i < v.length; i++) check(n.items, v[i], `${path}/${i}`, out, max, c, depth + 1);
    if (n.uniqueItems) {
      for (let i = 1; i < v.length; i++) {
        if (v.slice(0, i).some((x) => jsonEqual(x, v[i]))) {
          out.push({ path: `${path}/${i}`, message: "items must be unique" });
          break;
        }
      }
    }
  } else if (typeof v === "number") {
    if (n.minimum !== undefined && v < n.minimum) out.push({ path, message: `${v} is below the minimum ${n.minimum}` });
    if (n.maximum !== undefined && v > n.maximum) out.push({ path, message: `${v} is above the maximum ${n.maximum}` });
    if (n.exclusiveMinimum !== undefined && v <= n.exclusiveMinimum)
      out.push({ path, message: `${v} must be above ${n.exclusiveMinimum}` });
    if (n.exclusiveMaximum !== undefined && v >= n.exclusiveMaximum)
      out.push({ path, message: `${v} must be below ${n.exclusiveMaximum}` });
    if (n.multipleOf !== undefined) {
      const q = v / n.multipleOf;
      if (Math.abs(q - Math.round(q)) > 1e-9) out.push({ path, message: `${v} is not a multiple of ${n.multipleOf}` });
    }
  } else if (typeof v === "string") {
    const len = n.minLength !== undefined || n.maxLength !== undefined ? [...v].length : 0;
    if (n.minLength !== undefined && len < n.minLength) out.push({ path, message: `needs at least ${n.minLength} characters` });
    if (n.maxLength !== undefined && len > n.maxLength) out.push({ path, message: `allows at most ${n.maxLength} characters` });
    if (n.pattern && !n.pattern.test(v)) out.push({ path, message: `${show(v)} does not match the pattern ${show(n.pattern.source)}` });
  }
  const passes = (sub: Node) => {
    const tmp: SchemaProblem[] = [];
    check(sub, v, path, tmp, 1, c, depth + 1);
    return tmp.length === 0;
  };
  if (n.allOf) for (const sub of n.allOf) check(sub, v, path, out, max, c, depth + 1);
  if (n.anyOf && !n.anyOf.some(passes)) out.push({ path, message: "matches none of the alternatives (anyOf)" });
  if (n.oneOf) {
    const k = n.oneOf.filter(passes).length;
    if (k !== 1)
      out.push({
        path,
        message: k === 0 ? "matches none of the alternatives (oneOf)" : `matches ${k} alternatives, oneOf allows exactly one`,
      });
  }
  if (n.not !== undefined && passes(n.not)) out.push({ path, message: "matches a schema it must not match (not)" });
}

/** Compiles a schema once: checks it against the meta-schema rules above, then validates values against it. */
export function compileSchema(schema: unknown): CompileResult {
  const c = new Compiler(schema);
  let root: Node;
  try {
    root = c.node(schema, "");
  } catch (e) {
    if (e instanceof SchemaError) return { ok: false, path: e.path, message: e.message };
    throw e;
  }
  return {
    ok: true,
    schema: {
      validate(value, max = 3) {
        const out: SchemaProblem[] = [];
        check(root, value, "", out, max, c, 0);
        return out.slice(0, max);
      },
    },
  };
}

/**
 * Compiled schemas by content (their JSON text): each distinct schema is compiled once per cache. Bounded (two
 * generations of `size` entries), so memory stays flat on files with millions of distinct schemas.
 */
export class SchemaCache {
  private current = new Map<string, CompileResult>();
  private previous = new Map<string, CompileResult>();
  /** Compilations done (for tests). */
  compiled = 0;
  constructor(private readonly size = 2000) {}

  get(schema: unknown): CompileResult {
    let key: string;
    try {
      key = JSON.stringify(schema) ?? "undefined";
    } catch {
      return compileSchema(schema);
    }
    let r = this.current.get(key);
    if (r) return r;
    r = this.previous.get(key);
    if (!r) {
      r = compileSchema(schema);
      this.compiled++;
    }
    if (this.current.size >= this.size) {
      this.previous = this.current;
      this.current = new Map();
    }
    this.current.set(key, r);
    return r;
  }
}
