/**
 * Credentials and personal data with well-known shapes, found in strings, and the masking that keeps them out of every
 * report: only a short prefix is ever shown (`mask`). Pure functions.
 */

export interface Found {
  /** Detector id (stable; e.g. "openai"). */
  kind: string;
  /** Human name ("OpenAI API key"). */
  label: string;
  /** UTF-16 offset in the string and length of the match. */
  index: number;
  length: number;
  /** The match, masked: safe to print. */
  masked: string;
}

/** Shannon entropy in bits per character. */
export function entropy(s: string): number {
  const counts = new Map<string, number>();
  for (const c of s) counts.set(c, (counts.get(c) ?? 0) + 1);
  let h = 0;
  for (const n of counts.values()) {
    const p = n / s.length;
    h -= p * Math.log2(p);
  }
  return h;
}

/**
 * The masked form of a secret: its fixed prefix and at most 4 more characters (never more than a quarter of the
 * value), then "…" and the length. Example: `sk-proj-Ab12…(164 chars)`.
 */
export function mask(value: string, prefixLength = 0): string {
  const shown = Math.min(prefixLength + 4, Math.floor(value.length / 4) + prefixLength, value.length - 1);
  return `${value.slice(0, Math.max(0, shown))}…(${value.length} chars)`;
}

const hasDigit = (s: string) => /[0-9]/.test(s);
const hasUpper = (s: string) => /[A-Z]/.test(s);
const hasLower = (s: string) => /[a-z]/.test(s);
/** Placeholders people write in docs: runs of one character, "xxxx", "your...key", "example". */
const PLACEHOLDER = /(.)\1{5,}|x{4,}|your|example|placeholder|dummy|sample|redacted|abcdef|123456/i;

function randomLooking(body: string, minEntropy: number): boolean {
  if (PLACEHOLDER.test(body)) return false;
  if (!hasDigit(body) || !(hasUpper(body) || hasLower(body))) return false;
  return entropy(body) >= minEntropy;
}

interface Detector {
  kind: string;
  label: string;
  /** Global, sticky-free pattern; group 1 (if any) is the secret's random part. */
  re: RegExp;
  /** Length of the fixed prefix shown by `mask` (-1: show the prefix only, no random characters). */
  prefix: (m: string) => number;
  /** The capture group that is the secret (default: the whole match; e.g. the value after `aws_secret_access_key =`). */
  group?: number;
  valid: (m: RegExpExecArray) => boolean;
}

const B = "(?<![A-Za-z0-9_-])"; // not preceded by a token character
const E = "(?![A-Za-z0-9_-])"; // not followed by one

export const CREDENTIALS: readonly Detector[] = [
  {
    kind: "anthropic",
    label: "Anthropic API key",
    re: new RegExp(`${B}sk-ant-(?:api|admin|oat|ort)\\d{2}-([A-Za-z0-9_-]{80,120})${E}`, "g"),
    prefix: (m) => m.indexOf("-", 7) + 1,
    valid: (m) => randomLooking(m[1]!, 4),
  },
  {
    kind: "openai",
    label: "OpenAI API key",
    re: new RegExp(`${B}sk-(?:(?:proj|svcacct|admin|None)-)?([A-Za-z0-9_-]{20,200})${E}`, "g"),
    prefix: (m) => /^sk-(proj|svcacct|admin|None)-/.exec(m)?.[0].length ?? 3,
    valid: (m) => {
      const body = m[1]!;
      if (m[0].startsWith("sk-ant-")) return false;
      // Legacy keys: sk- + 48 alphanumerics (with "T3BlbkFJ" inside); project and service keys are longer.
      if (body.includes("T3BlbkFJ")) return true;
      return body.length >= 32 && randomLooking(body, 4);
    },
  },
  {
    kind: "aws",
    label: "AWS access key ID",
    re: new RegExp(`${B}((?:AKIA|ASIA|ABIA|ACCA|A3T[A-Z0-9])[A-Z2-7]{16})${E}`, "g"),
    prefix: () => 4,
    // AWS's documented example key (AKIAIOSFODNN7EXAMPLE) and its kin are placeholders.
    valid: (m) => !m[1]!.endsWith("EXAMPLE") && entropy(m[1]!.slice(4)) >= 3,
  },
  {
    kind: "aws-secret",
    label: "AWS secret access key",
    re: /aws_?secret_?(?:access_?)?key["']?\s*[:=]\s*["']?([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+])/gi,
    prefix: () => 0,
    group: 1,
    valid: (m) => !/EXAMPLEKEY/.test(m[1]!) && randomLooking(m[1]!, 4),
  },
  {
    kind: "github",
    label: "GitHub token",
    re: new RegExp(`${B}(?:gh[pousr]_([A-Za-z0-9]{36,251})|github_pat_([A-Za-z0-9]{22}_[A-Za-z0-9]{59}))${E}`, "g"),
    prefix: (m) => (m.startsWith("github_pat_") ? 11 : 4),
    valid: (m) => randomLooking(m[1] ?? m[2]!, 4),
  },
  {
    kind: "slack",
    label: "Slack token",
    re: new RegExp(`${B}(xox[abposr]-(?:[0-9]+-)+([A-Za-z0-9]{16,48}))${E}`, "g"),
    prefix: () => 5,
    valid: (m) => randomLooking(m[2]!, 3.5),
  },
  {
    kind: "google",
    label: "Google API key",
    re: new RegExp(`${B}AIza([0-9A-Za-z_-]{35})${E}`, "g"),
    prefix: () => 4,
    valid: (m) => randomLooking(m[1]!, 3.5),
  },
  {
    kind: "huggingface",
    label: "Hugging Face token",
    re: new RegExp(`${B}(?:hf_|api_org_)([A-Za-z]{34})${E}`, "g"),
    prefix: (m) => (m.startsWith("hf_") ? 3 : 8),
    // Letters only: require both cases and a spread of letters (a word like hf_aaaa... is not a token).
    valid: (m) => hasUpper(m[1]!) && hasLower(m[1]!) && !PLACEHOLDER.test(m[1]!) && entropy(m[1]!) >= 4,
  },
  {
    kind: "stripe",
    label: "Stripe secret key",
    re: new RegExp(`${B}(?:sk|rk)_(?:live|test)_([0-9A-Za-z]{24,247})${E}`, "g"),
    prefix: (m) => m.indexOf("_", 3) + 1,
    valid: (m) => randomLooking(m[1]!, 3.5),
  },
  {
    kind: "jwt",
    label: "JSON Web Token",
    re: new RegExp(`${B}(eyJ[A-Za-z0-9_-]{10,})\\.(eyJ[A-Za-z0-9_-]{10,})\\.([A-Za-z0-9_-]{16,})${E}`, "g"),
    prefix: () => 3,
    valid: (m) => {
      try {
        const header = JSON.parse(Buffer.from(m[1]!, "base64url").toString("utf8")) as Record<string, unknown>;
        return typeof header === "object" && header !== null && typeof header.alg === "string";
      } catch {
        return false;
      }
    },
  },
  {
    kind: "private-key",
    label: "private key (PEM)",
    re: /-----BEGIN ((?:RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP )?PRIVATE KEY(?: BLOCK)?)-----([\s\S]{0,20000}?)-----END \1-----/g,
    prefix: (m) => -(m.indexOf("-----", 5) + 5),
    // A real key block has a long base64 body; "..." or "<your key>" is a placeholder.
    valid: (m) => {
      const body = m[2]!.replace(/^[A-Za-z-]+:.*$/gm, "").replace(/\s+/g, "");
      return /^[A-Za-z0-9+/=]{64,}$/.test(body) && entropy(body) >= 4.5;
    },
  },
];

/** A cheap test that a string may hold a credential (most strings hold none). */
const CREDENTIAL_PREFIX =
  /sk-|xox[abposr]-|A(?:KIA|SIA|BIA|CCA|3T)|gh[pousr]_|github_pat_|AIza|hf_|api_org_|[sr]k_(?:live|test)_|eyJ|-----BEGIN/;
const SECRET_WORD = /secret_?(?:access_?)?key/i;
const CREDENTIAL_HINT = {
  // Case-sensitive prefixes first (fast); the case-insensitive key name only where "ecret" appears at all.
  test: (s: string) => CREDENTIAL_PREFIX.test(s) || ((s.includes("ecret") || s.includes("ECRET")) && SECRET_WORD.test(s)),
};

function scan(s: string, detectors: readonly Detector[], hint: { test(s: string): boolean }): Found[] {
  if (!hint.test(s)) return [];
  const out: Found[] = [];
  for (const d of detectors) {
    d.re.lastIndex = 0;
    for (let m = d.re.exec(s); m !== null; m = d.re.exec(s)) {
      if (!d.valid(m)) continue;
      const value = d.group ? m[d.group]! : m[0];
      const index = d.group ? m.index + m[0].lastIndexOf(value) : m.index;
      if (out.some((f) => index < f.index + f.length && f.index < index + value.length)) continue;
      const p = d.prefix(value);
      const masked = p < 0 ? `${value.slice(0, -p)}…(${value.length} chars)` : mask(value, p);
      out.push({ kind: d.kind, label: d.label, index, length: value.length, masked });
    }
  }
  return out.sort((a, b) => a.index - b.index);
}

/**
 * Whether a record's JSON text may hold a credential in one of its strings: the cheap test of every string at once.
 * Exact when the text has no `\\u` escape (the prefixes and key names are letters, digits, `-`, `_` and spaces, which
 * JSON writes only as themselves or as `\\u` escapes); with one, it answers true.
 */
export function mayHoldCredential(text: string): boolean {
  return CREDENTIAL_HINT.test(text) || text.includes("\\u");
}

/** Credentials in a string, in order. */
export function findCredentials(s: string): Found[] {
  return scan(s, CREDENTIALS, CREDENTIAL_HINT);
}

// ---------- personal data ----------

function luhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** IBAN lengths by country (ISO 13616 registry). */
const IBAN_LENGTH: Record<string, number> = {
  AD: 24,
  AE: 23,
  AL: 28,
  AT: 20,
  AZ: 28,
  BA: 20,
  BE: 16,
  BG: 22,
  BH: 22,
  BR: 29,
  BY: 28,
  CH: 21,
  CR: 22,
  CY: 28,
  CZ: 24,
  DE: 22,
  DK: 18,
  DO: 28,
  EE: 20,
  EG: 29,
  ES: 24,
  FI: 18,
  FO: 18,
  FR: 27,
  GB: 22,
  GE: 22,
  GI: 23,
  GL: 18,
  GR: 27,
  GT: 28,
  HR: 21,
  HU: 28,
  IE: 22,
  IL: 23,
  IQ: 23,
  IS: 26,
  IT: 27,
  JO: 30,
  KW: 30,
  KZ: 20,
  LB: 28,
  LC: 32,
  LI: 21,
  LT: 20,
  LU: 20,
  LV: 21,
  MC: 27,
  MD: 24,
  ME: 22,
  MK: 19,
  MR: 27,
  MT: 31,
  MU: 30,
  NL: 18,
  NO: 15,
  PK: 24,
  PL: 28,
  PS: 29,
  PT: 25,
  QA: 29,
  RO: 24,
  RS: 22,
  SA: 24,
  SC: 31,
  SE: 24,
  SI: 19,
  SK: 24,
  SM: 27,
  ST: 25,
  SV: 28,
  TL: 23,
  TN: 24,
  TR: 26,
  UA: 29,
  VA: 22,
  VG: 24,
  XK: 20,
};

function ibanValid(raw: string): boolean {
  const iban = raw.replace(/ /g, "");
  if (IBAN_LENGTH[iban.slice(0, 2)] !== iban.length) return false;
  const moved = iban.slice(4) + iban.slice(0, 4);
  let rem = 0;
  for (const ch of moved) {
    const v = ch >= "A" && ch <= "Z" ? String(ch.charCodeAt(0) - 55) : ch;
    for (const d of v) rem = (rem * 10 + (d.charCodeAt(0) - 48)) % 97;
  }
  return rem === 1;
}

/** Documentation domains (RFC 2606 / 6761) and obvious placeholders: not anyone's address. */
const EXAMPLE_DOMAIN = /(^|\.)(example\.(com|org|net)|example|test|invalid|localhost|domain\.com|email\.com)$/i;

export const PERSONAL: readonly Detector[] = [
  {
    kind: "email",
    label: "e-mail address",
    re: /(?<![A-Za-z0-9._%+-])[A-Za-z0-9][A-Za-z0-9._%+-]{0,63}@((?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,24})(?![A-Za-z0-9-])/g,
    prefix: () => 0,
    valid: (m) => !EXAMPLE_DOMAIN.test(m[1]!),
  },
  {
    kind: "card",
    label: "payment card number",
    re: /(?<![0-9-])((?:4\d{3}|5[1-5]\d{2}|2[2-7]\d{2}|3[47]\d{2}|6(?:011|5\d{2})|3(?:0[0-5]|[68]\d)\d|35\d{2})(?:[ -]?\d{4}){2}[ -]?\d{1,4}(?:[ -]?\d{3})?)(?![0-9-])/g,
    prefix: () => 0,
    valid: (m) => {
      const digits = m[1]!.replace(/[ -]/g, "");
      if (digits.length < 13 || digits.length > 19) return false;
      if (/^(\d)\1+$/.test(digits)) return false;
      return luhn(digits);
    },
  },
  {
    kind: "iban",
    label: "IBAN",
    re: /(?<![A-Z0-9])([A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?)(?![A-Z0-9])/g,
    prefix: () => 0,
    valid: (m) => ibanValid(m[1]!),
  },
  {
    kind: "phone",
    label: "phone number",
    // International (+CC, 8 to 15 digits in groups) or North American ((555) 123-4567, 555-123-4567, 555.123.4567).
    re: /(?<![\w+.-])(\+[1-9]\d{0,2}[ .-]?(?:\(\d{1,4}\)[ .-]?)?\d{1,4}(?:[ .-]?\d{2,4}){2,4}|\(\d{3}\) ?\d{3}[ .-]\d{4}|\d{3}[.-]\d{3}[.-]\d{4})(?![\w.-]*\d)/g,
    prefix: () => 0,
    valid: (m) => {
      const digits = m[1]!.replace(/\D/g, "");
      if (digits.length < 10 || digits.length > 15) return false;
      // 555-01xx numbers are reserved for fiction; a run of one digit is a placeholder.
      if (/^(\d)\1+$/.test(digits) || /^1?55501\d\d$/.test(digits.slice(-9).padStart(9, "0"))) return false;
      return true;
    },
  },
];

const PERSONAL_HINT = /@|\d{3}|[A-Z]{2}\d{2}/;

/** Personal data in a string, in order. Masks keep the first character (e-mail: and the domain's first letter). */
export function findPersonalData(s: string): Found[] {
  return scan(s, PERSONAL, PERSONAL_HINT).map((f) => ({ ...f, masked: maskPersonal(s.slice(f.index, f.index + f.length), f.kind) }));
}

function maskPersonal(v: string, kind: string): string {
  if (kind === "email") {
    const at = v.indexOf("@");
    return `${v.slice(0, 1)}…@${v.slice(at + 1, at + 2)}…(${v.length} chars)`;
  }
  return mask(v, 0);
}

/** Replaces every credential in `s` by its masked form (a safety net for any text that leaves the linter). */
export function redactCredentials(s: string): string {
  const found = findCredentials(s);
  if (found.length === 0) return s;
  let out = "";
  let at = 0;
  for (const f of found) {
    out += s.slice(at, f.index) + f.masked;
    at = f.index + f.length;
  }
  return out + s.slice(at);
}
