/**
 * JSON text helpers that work on the raw line: where a syntax error is, how deep the nesting goes,
 * and where the value at a JSON Pointer starts (for columns). All iterative, so a 100,000-level line
 * can never overflow the stack. They run only on lines that need them (errors, findings), never on the
 * fast path.
 */

export interface JsonSyntaxError {
  /** 0-based UTF-16 offset of the offending character (text.length for an unexpected end). */
  offset: number;
  /** What was expected / found, in plain words. */
  reason: string;
}

const WS = (c: number) => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;

function describe(text: string, i: number): string {
  if (i >= text.length) return "end of line";
  const cp = text.codePointAt(i)!;
  if (cp < 0x20) return `control character U+${cp.toString(16).toUpperCase().padStart(4, "0")}`;
  return `'${String.fromCodePoint(cp)}'`;
}

/**
 * Finds the first JSON syntax error in `text`, or null if the text is one valid JSON value.
 * Mirrors ECMA-404 exactly (the grammar JSON.parse accepts).
 */
export function findJsonSyntaxError(text: string): JsonSyntaxError | null {
  const n = text.length;
  let i = 0;
  // Stack of containers: 0x7b '{' or 0x5b '['.
  const stack: number[] = [];
  const err = (reason: string): JsonSyntaxError => ({ offset: i, reason: `${reason}, found ${describe(text, i)}` });
  const skipWs = () => {
    while (i < n && WS(text.charCodeAt(i))) i++;
  };

  // Parses a string starting at text[i] === '"'; returns an error or null; leaves i after the closing quote.
  const parseString = (): JsonSyntaxError | null => {
    i++;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        i++;
        return null;
      }
      if (c === 0x5c) {
        const e = text.charCodeAt(i + 1);
        if (e === 0x75) {
          for (let k = 2; k < 6; k++) {
            const h = text.charCodeAt(i + k);
            const hex = (h >= 0x30 && h <= 0x39) || (h >= 0x41 && h <= 0x46) || (h >= 0x61 && h <= 0x66);
            if (!hex) {
              i = i + k;
              return err("expected 4 hex digits after \\u");
            }
          }
          i += 6;
          continue;
        }
        if (e === 0x22 || e === 0x5c || e === 0x2f || e === 0x62 || e === 0x66 || e === 0x6e || e === 0x72 || e === 0x74) {
          i += 2;
          continue;
        }
        i++;
        return err("invalid escape in string");
      }
      if (c < 0x20) return err("unescaped control character in string (write it as \\n, \\t or \\u00XX)");
      i++;
    }
    return err("unterminated string");
  };

  const parseNumber = (): JsonSyntaxError | null => {
    if (text.charCodeAt(i) === 0x2d) i++;
    const d0 = text.charCodeAt(i);
    if (d0 === 0x30) i++;
    else if (d0 >= 0x31 && d0 <= 0x39) while (i < n && text.charCodeAt(i) >= 0x30 && text.charCodeAt(i) <= 0x39) i++;
    else return err("expected a digit");
    if (text.charCodeAt(i) === 0x2e) {
      i++;
      const s = i;
      while (i < n && text.charCodeAt(i) >= 0x30 && text.charCodeAt(i) <= 0x39) i++;
      if (i === s) return err("expected a digit after the decimal point");
    }
    const e = text.charCodeAt(i);
    if (e === 0x65 || e === 0x45) {
      i++;
      const sgn = text.charCodeAt(i);
      if (sgn === 0x2b || sgn === 0x2d) i++;
      const s = i;
      while (i < n && text.charCodeAt(i) >= 0x30 && text.charCodeAt(i) <= 0x39) i++;
      if (i === s) return err("expected a digit in the exponent");
    }
    return null;
  };

  // Value expected at i. Returns an error, or null after consuming a scalar or opening a container
  // (never recursing: containers are tracked on `stack`, so any depth is fine).
  // `pendingKey` is set when an object was just opened and its first key (or '}') is expected.
  let pendingKey = false;
  const parseValue = (): JsonSyntaxError | null => {
    skipWs();
    if (i >= n) return err("expected a value");
    const c = text.charCodeAt(i);
    if (c === 0x7b || c === 0x5b) {
      i++;
      skipWs();
      const close = c === 0x7b ? 0x7d : 0x5d;
      if (text.charCodeAt(i) === close) {
        i++;
        return null;
      }
      stack.push(c);
      if (c === 0x7b) pendingKey = true;
      else pendingValue = true;
      return null;
    }
    if (c === 0x22) return parseString();
    if (c === 0x2d || (c >= 0x30 && c <= 0x39)) return parseNumber();
    for (const lit of ["true", "false", "null"]) {
      if (text.startsWith(lit, i)) {
        i += lit.length;
        return null;
      }
    }
    if (c === 0x27) return err("expected a value (JSON strings use double quotes, not single quotes)");
    for (const [word, fix] of [
      ["True", "true"],
      ["False", "false"],
      ["None", "null"],
      ["NaN", "null"],
      ["Infinity", "a number"],
      ["undefined", "null"],
    ] as const) {
      if (text.startsWith(word, i)) return err(`expected a value (${word} is not JSON; use ${fix})`);
    }
    return err("expected a value");
  };
  let pendingValue = false;

  // Parses `"key":` and leaves the value to the main loop.
  const parseKey = (): JsonSyntaxError | null => {
    skipWs();
    const c = text.charCodeAt(i);
    if (c === 0x7d) return err("trailing comma before '}'");
    if (c !== 0x22) {
      if (c === 0x27) return err("expected a property name in double quotes (single quotes are not JSON)");
      return err("expected a property name in double quotes");
    }
    const e = parseString();
    if (e) return e;
    skipWs();
    if (text.charCodeAt(i) !== 0x3a) return err("expected ':' after the property name");
    i++;
    pendingValue = true;
    return null;
  };

  let e = parseValue();
  while (!e) {
    if (pendingKey) {
      pendingKey = false;
      e = parseKey();
      continue;
    }
    if (pendingValue) {
      pendingValue = false;
      e = parseValue();
      continue;
    }
    skipWs();
    if (stack.length === 0) {
      if (i < n) return { offset: i, reason: `unexpected ${describe(text, i)} after the end of the JSON value` };
      return null;
    }
    const top = stack[stack.length - 1]!;
    const c = text.charCodeAt(i);
    const close = top === 0x7b ? 0x7d : 0x5d;
    if (c === close) {
      stack.pop();
      i++;
      continue;
    }
    if (c === 0x2c) {
      i++;
      if (top === 0x7b) e = parseKey();
      else {
        skipWs();
        if (text.charCodeAt(i) === 0x5d) return err("trailing comma before ']'");
        e = parseValue();
      }
      continue;
    }
    if (i >= n) return err(top === 0x7b ? "unterminated object: expected ',' or '}'" : "unterminated array: expected ',' or ']'");
    return err(top === 0x7b ? "expected ',' or '}'" : "expected ',' or ']'");
  }
  return e;
}

/**
 * Maximum nesting depth of the JSON text (objects and arrays), ignoring brackets inside strings.
 * Cheap pre-check: callers first count bracket bytes; only lines with many brackets get here.
 */
export function jsonDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0, n = text.length; i < n; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
      continue;
    }
    if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > max) max = depth;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return max;
}

/** Decodes an RFC 6901 pointer into its reference tokens. */
export function parsePointer(pointer: string): string[] {
  if (pointer === "") return [];
  return pointer
    .slice(1)
    .split("/")
    .map((t) => t.replace(/~1/g, "/").replace(/~0/g, "~"));
}

/** Encodes reference tokens as an RFC 6901 pointer. */
export function pointerOf(...tokens: (string | number)[]): string {
  let out = "";
  for (const t of tokens) out += "/" + String(t).replace(/~/g, "~0").replace(/\//g, "~1");
  return out;
}

export interface Location {
  /** 0-based UTF-16 offset of the value (or of the key when `key` was asked). */
  offset: number;
  /** true when the whole pointer was resolved. */
  exact: boolean;
}

export interface PointerRequest {
  pointer: string;
  /** Locate the member's key rather than its value. */
  key?: boolean;
}

/**
 * Finds where the value at `pointer` starts in the JSON `text`. With `key: true` and a pointer ending in an
 * object member, finds the member's key instead. When the pointer cannot be fully resolved (a missing key),
 * returns the deepest value that exists. A duplicated key resolves to its last occurrence, the one JSON.parse keeps.
 */
export function locatePointer(text: string, pointer: string, opts: { key?: boolean } = {}): Location {
  return locatePointers(text, [{ pointer, key: opts.key }])[0]!;
}

interface PointerNode {
  children: Map<string, PointerNode> | null;
  /** Offset of the value (-1: not seen), of its key when it is an object member (-1: none). */
  offset: number;
  keyOffset: number;
}

function resetNode(node: PointerNode): void {
  node.offset = -1;
  node.keyOffset = -1;
  if (node.children) for (const c of node.children.values()) if (c.offset >= 0) resetNode(c);
}

/**
 * `locatePointer` for many pointers of one line at once, in one pass over the text (so a line with N findings costs
 * O(length + N), not O(length x N)). Only the subtrees some pointer descends into are walked; the rest are skipped.
 * Iterative (any depth); never throws, also on text that is not valid JSON (the result is then a best effort).
 */
export function locatePointers(text: string, requests: readonly PointerRequest[]): Location[] {
  const root: PointerNode = { children: null, offset: -1, keyOffset: -1 };
  const paths = requests.map((r) => parsePointer(r.pointer));
  for (const tokens of paths) {
    let node = root;
    for (const t of tokens) {
      node.children ??= new Map();
      let next = node.children.get(t);
      if (!next) node.children.set(t, (next = { children: null, offset: -1, keyOffset: -1 }));
      node = next;
    }
  }

  const n = text.length;
  let i = 0;
  const skipWs = () => {
    while (i < n && WS(text.charCodeAt(i))) i++;
  };
  // To the next quote not escaped (an even run of backslashes before it), by indexOf: strings are most of a line.
  const skipString = () => {
    i++;
    for (;;) {
      const q = text.indexOf('"', i);
      if (q < 0) {
        i = n;
        return;
      }
      let b = q - 1;
      while (b >= i && text.charCodeAt(b) === 0x5c) b--;
      i = q + 1;
      if ((q - 1 - b) % 2 === 0) return;
    }
  };
  const skipValue = () => {
    skipWs();
    const c = text.charCodeAt(i);
    if (c === 0x22) return skipString();
    if (c === 0x7b || c === 0x5b) {
      let depth = 0;
      while (i < n) {
        const d = text.charCodeAt(i);
        if (d === 0x22) {
          skipString();
          continue;
        }
        if (d === 0x7b || d === 0x5b) depth++;
        else if (d === 0x7d || d === 0x5d) {
          depth--;
          if (depth === 0) {
            i++;
            return;
          }
        }
        i++;
      }
      return;
    }
    const from = i;
    while (i < n) {
      const d = text.charCodeAt(i);
      if (d === 0x2c || d === 0x7d || d === 0x5d || d === 0x3a || WS(d)) break;
      i++;
    }
    if (i === from && i < n) i++; // always make progress on bad input
  };

  interface Frame {
    node: PointerNode;
    object: boolean;
    index: number;
  }
  const stack: Frame[] = [];
  // The value at i belongs to `node`: record it, then walk into it only if some pointer goes deeper.
  const visit = (node: PointerNode) => {
    skipWs();
    if (node.offset >= 0) resetNode(node); // a duplicate key: the last occurrence wins, as in JSON.parse
    node.offset = i;
    const c = text.charCodeAt(i);
    if (node.children && (c === 0x7b || c === 0x5b)) {
      stack.push({ node, object: c === 0x7b, index: 0 });
      i++;
    } else skipValue();
  };

  if (requests.length) visit(root);
  while (stack.length && i < n) {
    const top = stack[stack.length - 1]!;
    skipWs();
    const c = text.charCodeAt(i);
    if (c === 0x7d || c === 0x5d) {
      stack.pop();
      i++;
      continue;
    }
    if (c === 0x2c) {
      i++;
      continue;
    }
    if (top.object) {
      if (c !== 0x22) {
        skipValue(); // not JSON: step over and go on
        continue;
      }
      const keyStart = i;
      skipString();
      const raw = text.slice(keyStart + 1, i - 1);
      let key = raw;
      if (raw.includes("\\")) {
        try {
          key = JSON.parse(text.slice(keyStart, i)) as string;
        } catch {
          key = raw;
        }
      }
      skipWs();
      if (text.charCodeAt(i) === 0x3a) i++;
      const child = top.node.children!.get(key);
      if (child) {
        visit(child);
        child.keyOffset = keyStart;
      } else skipValue();
    } else {
      const child = top.node.children!.get(String(top.index++));
      if (child) visit(child);
      else skipValue();
    }
  }

  return requests.map((r, k) => {
    const tokens = paths[k]!;
    let node = root;
    let at = root.offset >= 0 ? root.offset : 0;
    for (const t of tokens) {
      const next = node.children?.get(t);
      if (!next || next.offset < 0) return { offset: at, exact: false };
      node = next;
      at = next.offset;
    }
    if (r.key && tokens.length && node.keyOffset >= 0) return { offset: node.keyOffset, exact: true };
    return { offset: at, exact: true };
  });
}

/**
 * Offset in the JSON `text` of the character at index `index` (UTF-16 units) of the decoded string whose opening
 * quote is at `quote`: walks the escapes (`\n` is 2 characters of text for 1 decoded, `\uXXXX` 6 for 1). For a
 * column inside a string value (a special token in a message, a syntax error inside tool-call arguments).
 */
export function offsetInString(text: string, quote: number, index: number): number {
  let i = quote + 1;
  let decoded = 0;
  const n = text.length;
  while (decoded < index && i < n) {
    const c = text.charCodeAt(i);
    if (c === 0x22) break;
    if (c === 0x5c) i += text.charCodeAt(i + 1) === 0x75 ? 6 : 2;
    else i++;
    decoded++;
  }
  return i;
}

/** 1-based column in `text` of index `index` of the string value at `pointer` (the value's column if it is no string). */
export function columnInString(text: string, pointer: string, index: number): number {
  const at = locatePointer(text, pointer).offset;
  if (text.charCodeAt(at) !== 0x22) return at + 1;
  return offsetInString(text, at, index) + 1;
}
