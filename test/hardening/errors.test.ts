/**
 * Issue 17, item 6: no path prints "internal error ... please report it" for a user's mistake. Every error class
 * thrown in src/ is listed here, greped from the sources: a user error (exit 2 with its message, through
 * reportError), one its command handles (upload, models), or an internal invariant (a bug: "internal error" is right).
 * A new `throw new X` fails this test until it is put in one of the lists.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { reportError, USER_ERRORS } from "../../src/cli/main.js";
import { ROOT } from "../helpers/lint.js";

/** Handled by the command that runs them (their own exit codes and messages). */
const HANDLED = new Set([
  "TogetherApiError",
  "ModelsApiError",
  "MissingApiKeyError",
  "FileChangedError",
  "UploadAbortedError",
  "InsecureUrlError",
  "ResponseTooLargeError",
  "ParquetReadError", // lint/parquet.ts turns it into a fatal read-error finding (exit 2)
  "SchemaError", // caught in json-schema.ts itself: a user's schema that does not compile is reported, not thrown
  "Unconvertible", // convert.ts reports the record as not converted (line, pointer, reason), never thrown out
  "HubRemoteError", // carries exitCode 3 (the Hub failed); main() exits with it and prints only the message
  "HubError", // token-context.ts turns it into a usage error (exit 2 naming HF_TOKEN) or an estimate
  "AbsentFile", // hub.ts: a file the repo does not have (404), caught there to try the next candidate
  "TemplateBudgetError", // a TemplateError (user error): the record's count becomes an estimate that says why
]);
/** Invariants: thrown only when tunelint itself is broken (a bug or a broken install), file by file. */
const INTERNAL: Record<string, string[]> = {
  Error: [
    "src/lint/parallel.ts", // the installed worker script is missing: a broken install
    "src/lint/token-context.ts", // count() before ready()
    "src/tokens/bpe.ts", // a shipped tokenizer regex uses an unsupported flag
    "src/tokens/bpe-tables.ts", // a truncated compact tables file: caught by loadCompactTables (tables built from the JSON)
    "src/tokens/counter.ts", // no template where one was resolved
    "src/tokens/load.ts", // used after dispose()
    "src/tokens/tokenizer.ts", // a shipped data file is missing
    "src/upload/job-options.ts", // not internal: bad job flags, caught and printed by the upload command
    "src/tokens/jinja.ts", // the Jinja library changed shape
  ],
  TypeError: ["src/upload/client.ts", "src/upload/http.ts"], // URL checks, caught by the uploader's commands
};

function* tsFiles(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) yield* tsFiles(p);
    else if (p.endsWith(".ts") && !p.endsWith(".generated.ts")) yield p;
  }
}

describe("every error class thrown in src/ is accounted for", () => {
  const thrown = new Map<string, Set<string>>();
  for (const f of tsFiles(join(ROOT, "src"))) {
    const rel = relative(ROOT, f);
    for (const m of readFileSync(f, "utf8").matchAll(/throw new ([A-Za-z]+)\(/g)) {
      if (!thrown.has(m[1]!)) thrown.set(m[1]!, new Set());
      thrown.get(m[1]!)!.add(rel);
    }
  }

  it("finds the throws (the grep works)", () => {
    expect(thrown.get("UsageError")?.size).toBeGreaterThan(3);
  });

  it("each is a user error, handled by its command, or a listed invariant", () => {
    const unlisted: string[] = [];
    for (const [cls, files] of thrown) {
      if (USER_ERRORS.has(cls) || HANDLED.has(cls)) continue;
      for (const f of files) if (!INTERNAL[cls]?.includes(f)) unlisted.push(`${cls} in ${f}`);
    }
    expect(unlisted).toEqual([]);
  });

  it("a user error reaches the user as exit 2 with its message, never as an internal error", () => {
    const write = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
    try {
      for (const name of USER_ERRORS) {
        const e = Object.assign(new Error(`bad input for ${name}`), { name });
        expect(reportError(e)).toBe(2);
        const text = write.mock.calls.map((c) => String(c[0])).join("");
        expect(text).toContain(`tunelint: bad input for ${name}`);
        expect(text).not.toMatch(/internal error/);
        write.mockClear();
      }
    } finally {
      write.mockRestore();
    }
  });
});
