/**
 * ajv validation of records against the published JSON Schemas in schemas/, compiled once per process
 * (lazily, on first use). Errors are never shown raw: the engine maps them to rule ids.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Ajv2020, type ErrorObject, type ValidateFunction } from "ajv/dist/2020.js";
import type { DatasetFormat } from "../types.js";

export const SCHEMA_DIR = fileURLToPath(new URL("../../schemas/", import.meta.url));
const FORMATS: DatasetFormat[] = ["conversation", "instruction", "general", "preference"];

let validators: Record<DatasetFormat, ValidateFunction> | null = null;

export function loadSchema(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(`${SCHEMA_DIR}${name}.schema.json`, "utf8")) as Record<string, unknown>;
}

function compile(): Record<DatasetFormat, ValidateFunction> {
  const ajv = new Ajv2020({
    allErrors: true,
    verbose: true,
    strict: true,
    strictRequired: false,
    strictTypes: false,
    strictTuples: false,
    allowUnionTypes: true,
  });
  for (const f of FORMATS) ajv.addSchema(loadSchema(f));
  const out = {} as Record<DatasetFormat, ValidateFunction>;
  for (const f of FORMATS) {
    out[f] = ajv.getSchema(`https://github.com/tunelint/tunelint/schemas/${f}.schema.json`)!;
  }
  return out;
}

/** Validates a record against its format's schema: null when valid, else ajv's errors. */
export function validateRecord(record: unknown, format: DatasetFormat): ErrorObject[] | null {
  validators ??= compile();
  const v = validators[format];
  if (v(record)) return null;
  return v.errors ?? [];
}
