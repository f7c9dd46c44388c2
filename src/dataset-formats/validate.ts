/**
 * Record validation against the published JSON Schemas in schemas/. The schemas are compiled by ajv at build time
 * into standalone code (validators.generated.ts, kept fresh by a test), so no compiler runs at start-up.
 * Errors are never shown raw: the engine maps them to rule ids.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { ErrorObject } from "ajv";
import * as generated from "./validators.generated.js";
import type { DatasetFormat } from "../types.js";

export const SCHEMA_DIR = fileURLToPath(new URL("../../schemas/", import.meta.url));

interface Validate {
  (data: unknown): boolean;
  errors?: ErrorObject[] | null;
}

const validators = generated as unknown as Record<DatasetFormat | "config", Validate>;

export function loadSchema(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(`${SCHEMA_DIR}${name}.schema.json`, "utf8")) as Record<string, unknown>;
}

/** Validates a record against its format's schema: null when valid, else ajv's errors (with `data`). */
export function validateRecord(record: unknown, format: DatasetFormat): ErrorObject[] | null {
  const v = validators[format];
  if (v(record)) return null;
  return v.errors ?? [];
}

/** Validates a tunelint.config.json value: null when valid, else ajv's errors. */
export function validateConfigSchema(config: unknown): ErrorObject[] | null {
  const v = validators.config;
  if (v(config)) return null;
  return v.errors ?? [];
}
