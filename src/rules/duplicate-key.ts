import { pointerOf } from "../io/json-text.js";
import { defineRule } from "./types.js";

/** Members of every object in a parsed value (iterative: any depth). */
function countMembers(value: unknown): number {
  let n = 0;
  const stack: unknown[] = [value];
  while (stack.length) {
    const v = stack.pop();
    if (v === null || typeof v !== "object") continue;
    if (Array.isArray(v)) {
      for (const x of v) if (x !== null && typeof x === "object") stack.push(x);
    } else {
      for (const k in v) {
        n++;
        const x = (v as Record<string, unknown>)[k];
        if (x !== null && typeof x === "object") stack.push(x);
      }
    }
  }
  return n;
}

interface Frame {
  object: boolean;
  /** Object: key -> offset of its first occurrence. */
  keys: Map<string, number> | null;
  index: number;
  /** The token of the member being read (key or array index). */
  token: string;
}

/** Every repeated key of every object in `text` (valid JSON), in order: pointer, offset of the repeat and of the first. */
export function findDuplicateKeys(text: string): { pointer: string; key: string; offset: number; first: number }[] {
  const out: { pointer: string; key: string; offset: number; first: number }[] = [];
  const n = text.length;
  let i = 0;
  const ws = () => {
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) break;
      i++;
    }
  };
  const skipString = () => {
    i++;
    for (;;) {
      const q = text.indexOf('"', i);
      if (q === -1) {
        i = n;
        return;
      }
      let b = q - 1;
      while (b >= i && text.charCodeAt(b) === 0x5c) b--;
      i = q + 1;
      if ((q - 1 - b) % 2 === 0) return; // an even run of backslashes: the quote is not escaped
    }
  };
  const frames: Frame[] = [];
  type State = "value" | "keyOrEnd" | "valueOrEnd" | "after";
  let state: State = "value";
  while (i <= n) {
    ws();
    if (state === "value") {
      const c = text.charCodeAt(i);
      if (c === 0x7b) {
        frames.push({ object: true, keys: new Map(), index: 0, token: "" });
        i++;
        state = "keyOrEnd";
      } else if (c === 0x5b) {
        frames.push({ object: false, keys: null, index: 0, token: "0" });
        i++;
        state = "valueOrEnd";
      } else {
        if (c === 0x22) skipString();
        else while (i < n && !/[,\]}\s]/.test(text[i]!)) i++;
        state = "after";
      }
      continue;
    }
    const top = frames[frames.length - 1];
    if (!top) break;
    const c = text.charCodeAt(i);
    if (i >= n) break;
    if (state === "keyOrEnd" || state === "valueOrEnd") {
      if (c === 0x7d || c === 0x5d) {
        frames.pop();
        i++;
        state = "after";
        continue;
      }
      if (state === "valueOrEnd") {
        state = "value";
        continue;
      }
      const start = i;
      skipString();
      const raw = text.slice(start + 1, i - 1);
      let key = raw;
      if (raw.includes("\\")) {
        try {
          key = JSON.parse(text.slice(start, i)) as string;
        } catch {
          key = raw;
        }
      }
      ws();
      i++; // ':'
      top.token = key;
      const first = top.keys!.get(key);
      if (first === undefined) top.keys!.set(key, start);
      else out.push({ pointer: pointerOf(...frames.map((f) => f.token)), key, offset: start, first });
      state = "value";
      continue;
    }
    // after a value
    if (c === 0x2c) {
      i++;
      if (top.object) state = "keyOrEnd";
      else {
        top.index++;
        top.token = String(top.index);
        state = "value";
      }
    } else if (c === 0x7d || c === 0x5d) {
      frames.pop();
      i++;
    } else i++;
  }
  return out;
}

export default defineRule({
  meta: {
    id: "duplicate-key",
    severity: "error",
    description: "Disallow the same key twice in one JSON object.",
    messages: {
      duplicate:
        "Key {{key}} appears again in this object (first at column {{firstColumn}}): JSON parsers keep only one of the values (JSON.parse and Python the last), so what you see is not what is trained on.",
    },
    scope: "line",
    docs:
      'JSON does not forbid `{"role": "user", "role": "assistant"}`, but every parser keeps only one of the values — JavaScript\'s `JSON.parse` ' +
      "and Python's `json.loads` (Together's checker) the last, some others the first — so the line means something other than what a reader " +
      "sees, and every other finding on it judges the value that was kept. Remove the repeated key. tunelint counts the keys of the parsed " +
      "value against the key separators in the text, so ordinary lines cost nothing extra; only lines that may repeat a key are scanned.",
    examples: { bad: ['{"messages": [{"role": "user", "role": "assistant", "content": "Hi"}]}'] },
    since: "0.1.0",
  },
  // Safe on the Latin-1 view: it reads only JSON structure and escapes (the view is used only for lines without
  // \u escapes), and any finding sends the line back to be judged decoded, so columns and messages are unchanged.
  latin1View: "safe",
  create: () => ({
    value(ctx, report) {
      const { text, value } = ctx;
      if (value === null || typeof value !== "object") return;
      // Fast path: when every key is written `"k":` (no blank before a colon), each key accounts for one `":` in the
      // text; if there are no more `":` than members in the parsed value, no key was repeated.
      let q = 0;
      for (let k = text.indexOf('":'); k !== -1; k = text.indexOf('":', k + 2)) q++;
      if (q === 0) return;
      // (Three indexOf calls: each a native scan, together cheaper than one regex over the line.)
      if (q <= countMembers(value) && text.indexOf(" :") === -1 && text.indexOf("\t:") === -1 && text.indexOf("\r:") === -1) return;
      for (const d of findDuplicateKeys(text)) {
        report({
          messageId: "duplicate",
          pointer: d.pointer,
          column: d.offset + 1,
          data: { key: JSON.stringify(d.key), firstColumn: d.first + 1 },
        });
      }
    },
  }),
});
