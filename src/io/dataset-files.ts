/**
 * Which files are datasets: the one list of extensions behind directory walks (lint/patterns.ts), the Action's default
 * `files`, git's staged files and the pre-commit hook's `files` (.pre-commit-hooks.yaml and action.yml are checked
 * against it by test/action/manifest.test.ts).
 */
export const DATASET_EXTENSIONS = [".jsonl", ".jsonl.gz", ".ndjson", ".ndjson.gz"] as const;

/** One glob per extension, at any depth ("**\/*.jsonl", ...). */
export const DATASET_GLOBS: string[] = DATASET_EXTENSIONS.map((e) => `**/*${e}`);

/** One glob for all extensions, for directory walks. */
export const DATASET_GLOB = `**/*.{${DATASET_EXTENSIONS.map((e) => e.slice(1)).join(",")}}`;

/** Pre-tokenized datasets (Parquet): read by path only (the footer comes last), never from git's index or stdin. */
export const PARQUET_EXTENSION = ".parquet";

/** A path that is a Parquet dataset (case-insensitive). */
export const PARQUET_PATTERN = /\.parquet$/i;

/** Directory walks: the JSONL extensions and Parquet. */
export const DIRECTORY_GLOB = `**/*.{${[...DATASET_EXTENSIONS, PARQUET_EXTENSION].map((e) => e.slice(1)).join(",")}}`;

/** A path that is a dataset (case-insensitive, as git and the pre-commit hook match it). */
export const DATASET_PATTERN = /\.(jsonl|ndjson)(\.gz)?$/i;

/** "*.jsonl, *.jsonl.gz, *.ndjson, *.ndjson.gz", for messages. */
export const DATASET_EXTENSION_LIST = DATASET_EXTENSIONS.map((e) => `*${e}`).join(", ");
