/**
 * Credentials and personal data: every output format masks them (the full value, and any 12-character piece of its
 * secret part, never appears in any report), the detectors' false-positive guards hold, and columns point at the value.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { formatters, formatContext } from "../src/report/formatters.js";
import { summarize } from "../src/lint/lint.js";
import { findCredentials, findPersonalData, mask } from "../src/rules/utils/secrets.js";
import { FIXTURES, lint } from "./helpers/lint.js";
import { tunelint } from "./helpers/cli.js";

const CRED_DIR = `${FIXTURES}rules/credential-found/`;
const PII_DIR = `${FIXTURES}rules/personal-data/`;

/** The secrets planted in the fixture: every token-like run of 20+ characters in the invalid lines' strings. */
function plantedSecrets(file: string): { value: string; shown: number }[] {
  const text = readFileSync(file, "utf8");
  const found = new Map<string, number>();
  for (const raw of text.split("\n")) {
    const line = raw.replace(/\\n/g, "\n").replace(/\\"/g, '"');
    for (const f of findCredentials(line)) found.set(line.slice(f.index, f.index + f.length), f.masked.indexOf("…"));
  }
  return [...found].map(([value, shown]) => ({ value, shown }));
}

/** Pieces that must not appear: the whole value and every 10-character window of what the mask hides. */
function forbiddenPieces(secret: { value: string; shown: number }): string[] {
  const pieces = [secret.value];
  for (let i = secret.shown; i + 10 <= secret.value.length; i += 5) {
    const piece = secret.value.slice(i, i + 10);
    if (!/[\s-]/.test(piece)) pieces.push(piece); // PEM: the END marker is no secret
  }
  return pieces;
}

describe("credentials are masked in every output format", () => {
  const file = `${CRED_DIR}invalid.jsonl`;
  const secrets = plantedSecrets(file);

  it("the fixture plants one of each kind", () => {
    expect(secrets.length).toBeGreaterThanOrEqual(13);
  });

  it.each(Object.keys(formatters))("%s", async (name) => {
    const r = await lint(file);
    expect(r.diagnostics.filter((d) => d.ruleId === "credential-found").length).toBe(14);
    const out = formatters[name as keyof typeof formatters](summarize([r]), formatContext({ cwd: process.cwd() }));
    expect(out.length).toBeGreaterThan(100);
    for (const s of secrets)
      for (const piece of forbiddenPieces(s)) expect(out.includes(piece), `${name} leaks ${piece.slice(0, 6)}…`).toBe(false);
    // ... and the masked form is there, so the finding is visible
    expect(out).toContain("credential-found");
  });

  it("the CLI's stdout and stderr, in every format, never carry a planted secret", async () => {
    for (const f of Object.keys(formatters)) {
      const r = tunelint(["check", file, "--no-config", "-f", f]);
      expect(r.code).toBe(1);
      for (const s of secrets) for (const piece of forbiddenPieces(s)) expect((r.stdout + r.stderr).includes(piece), `${f}`).toBe(false);
    }
  }, 60_000);

  it("personal data is masked the same way (when turned on)", async () => {
    const r = await lint(`${PII_DIR}invalid.jsonl`, { rules: { "personal-data": "warning" } });
    const values = [
      "jane.doe@gmail.com",
      "+44 20 7946 0958",
      "(415) 555-2671",
      "4111 1111 1111 1111",
      "DE89 3704 0044 0532 0130 00",
      "GB82WEST12345698765432",
    ];
    for (const name of Object.keys(formatters)) {
      const out = formatters[name as keyof typeof formatters](summarize([r]), formatContext({ cwd: process.cwd() }));
      for (const v of values) expect(out.includes(v), `${name} shows ${v}`).toBe(false);
    }
    expect(r.diagnostics.map((d) => d.data?.kind)).toEqual(["email", "phone", "phone", "card", "iban", "iban"]);
  });
});

describe("detectors", () => {
  it("mask keeps the fixed prefix and at most 4 more characters, never more than a quarter", () => {
    expect(mask("ghp_R8a0f3KQz7Lm2xV9cT4bN1pW6yE5uJ0sHdGq", 4)).toBe("ghp_R8a0…(40 chars)");
    expect(mask("abcdefgh", 0)).toBe("ab…(8 chars)");
  });

  it("findings inside a JSON string point at the credential (escapes counted)", async () => {
    const r = await lint(file2());
    const text = readFileSync(file2(), "utf8").split("\n")[0]!;
    const d = r.diagnostics.find((x) => x.ruleId === "credential-found")!;
    expect(d).toMatchObject({ messageId: "found", line: 1, pointer: "/messages/0/content" });
    expect(text.slice(d.column! - 1).startsWith("ghp_")).toBe(true);
  });

  it("everyday text is not a credential (code, hashes, UUIDs, base64, prefixes alone)", async () => {
    // Stand-ins for everyday text: code, hashes, UUIDs, base64 images, scikit-learn, sk- words.
    const everyday = [
      "pip install scikit-learn; import sklearn as sk; sk-learn is not a package",
      "uuid 123e4567-e89b-12d3-a456-426614174000 and sha256 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
      "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==",
      "the sk-proj-alpha-release-notes page and the AKIA prefix explained",
      "ghp_ tokens start with ghp_ followed by 36 characters",
      "eyJhbGciOiJIUzI1NiJ9.e30.x",
    ];
    for (const s of everyday) expect(findCredentials(s), s).toEqual([]);
    expect(findPersonalData("call 1-800-FLOWERS, version 10.0.19041.1, ISBN 978-3-16-148410-0, 2024-01-15")).toEqual([]);
  });
});

function file2(): string {
  return `${CRED_DIR}escaped.jsonl`;
}
