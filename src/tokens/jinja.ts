/**
 * Chat-template rendering with @huggingface/jinja, made to behave like transformers' apply_chat_template
 * (Python Jinja2 in an ImmutableSandboxedEnvironment with trim_blocks and lstrip_blocks on).
 *
 * Corners where @huggingface/jinja 0.5 differs from Python and that are fixed here:
 *   - `|trim`, `.strip()`, `.lstrip()`, `.rstrip()` use JavaScript's whitespace set (it strips U+FEFF, Python does
 *     not; Python strips U+001C..U+001F and U+0085, JavaScript does not), and the methods ignore their `chars`
 *     argument (Qwen 3 calls `.lstrip('\n')`): both replaced by Python's str.strip semantics.
 *   - `strftime_now` formats month names with the host locale: replaced by an English (C locale) strftime.
 *   - `raise_exception` throws a TemplateError (caught by the counter, never surfaced as a crash).
 * Heavy module: only imported (lazily) by the token counter.
 */
import { Environment, Interpreter, parse, tokenize } from "@huggingface/jinja";

export class TemplateError extends Error {
  override name = "TemplateError";
}

/** A render that went over its budget (steps, time, output or list size): the template, not the record, is at fault. */
export class TemplateBudgetError extends TemplateError {
  override name = "TemplateBudgetError";
}

/**
 * Bounds of one render. Real templates render a conversation in thousands of steps and milliseconds; these stop a
 * template that loops without end (nested loops, `range(10**9)`, a list or string doubled in a loop) with a clear
 * error instead of a hang or a V8 out-of-memory abort.
 */
export const RENDER_LIMITS = {
  /** Evaluated template nodes per render. */
  steps: 5_000_000,
  /** Wall-clock time per render (ms). */
  timeMs: 3_000,
  /** Characters of any string a render builds (the output, a concatenation, a filter's result). */
  chars: 128 * 1024 * 1024,
  /** Elements of any list a render builds (`range()`, list `+`). */
  items: 1_000_000,
};

interface Budget {
  steps: number;
  maxSteps: number;
  deadline: number;
}
const budgets = new WeakMap<object, Budget>();

function overBudget(what: string): never {
  throw new TemplateBudgetError(`the chat template went over its rendering budget (${what})`);
}

function checkSize(v: { type: string; value: unknown }): void {
  if (v.type === "StringValue" && (v.value as string).length > RENDER_LIMITS.chars)
    overBudget(`a string of more than ${RENDER_LIMITS.chars} characters`);
  if (v.type === "ArrayValue" && (v.value as unknown[]).length > RENDER_LIMITS.items)
    overBudget(`a list of more than ${RENDER_LIMITS.items} items`);
}

/** Python's str.isspace() set, which str.strip() with no argument removes. */
const PY_WS = new Set(
  [0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x1c, 0x1d, 0x1e, 0x1f, 0x20, 0x85, 0xa0, 0x1680, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000]
    .concat(Array.from({ length: 11 }, (_, i) => 0x2000 + i))
    .map((c) => String.fromCharCode(c)),
);

function stripper(chars: string | null | undefined): (ch: string) => boolean {
  if (chars === null || chars === undefined) return (ch) => PY_WS.has(ch);
  const set = new Set(Array.from(chars));
  return (ch) => set.has(ch);
}

/** Python str.strip/lstrip/rstrip. Works on code points, like Python. */
export function pyStrip(s: string, chars?: string | null, mode: "both" | "left" | "right" = "both"): string {
  // fast path: nothing to strip at either end (PY_WS holds BMP characters only, so one UTF-16 unit decides)
  if (chars == null && (s.length === 0 || ((mode === "right" || !PY_WS.has(s[0]!)) && (mode === "left" || !PY_WS.has(s[s.length - 1]!)))))
    return s;
  const test = stripper(chars);
  const cps = Array.from(s);
  let start = 0;
  let end = cps.length;
  if (mode !== "right") while (start < end && test(cps[start]!)) start++;
  if (mode !== "left") while (end > start && test(cps[end - 1]!)) end--;
  return start === 0 && end === cps.length ? s : cps.slice(start, end).join("");
}

const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
const DAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
const pad = (n: number, w = 2) => String(n).padStart(w, "0");

/** strftime with Python's C-locale names, local time (transformers calls datetime.now().strftime). */
export function strftime(date: Date, format: string): string {
  return format.replace(/%([a-zA-Z%])/g, (m, c: string) => {
    switch (c) {
      case "Y":
        return String(date.getFullYear());
      case "y":
        return pad(date.getFullYear() % 100);
      case "m":
        return pad(date.getMonth() + 1);
      case "d":
        return pad(date.getDate());
      case "e":
        return String(date.getDate()).padStart(2, " ");
      case "b":
      case "h":
        return MONTHS[date.getMonth()]!.slice(0, 3);
      case "B":
        return MONTHS[date.getMonth()]!;
      case "a":
        return DAYS[date.getDay()]!.slice(0, 3);
      case "A":
        return DAYS[date.getDay()]!;
      case "H":
        return pad(date.getHours());
      case "I":
        return pad(((date.getHours() + 11) % 12) + 1);
      case "p":
        return date.getHours() < 12 ? "AM" : "PM";
      case "M":
        return pad(date.getMinutes());
      case "S":
        return pad(date.getSeconds());
      case "j": {
        const start = new Date(date.getFullYear(), 0, 1);
        return pad(Math.floor((date.getTime() - start.getTime()) / 86400000) + 1, 3);
      }
      case "%":
        return "%";
      default:
        return m;
    }
  });
}

/** Python repr() of a str. */
export function pyReprString(s: string): string {
  const q = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = q;
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (ch === "\\") out += "\\\\";
    else if (ch === q) out += "\\" + q;
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\t") out += "\\t";
    else if (ch !== " " && /[\p{C}\p{Z}]/u.test(ch)) {
      out +=
        cp < 0x100
          ? "\\x" + cp.toString(16).padStart(2, "0")
          : cp < 0x10000
            ? "\\u" + cp.toString(16).padStart(4, "0")
            : "\\U" + cp.toString(16).padStart(8, "0");
    } else out += ch;
  }
  return out + q;
}

type PyValue = { type: string; value: unknown };
/** Python repr() of a runtime value (inside containers). */
function pyRepr(v: PyValue): string {
  switch (v.type) {
    case "StringValue":
      return pyReprString(v.value as string);
    case "NullValue":
    case "UndefinedValue":
      return "None";
    case "BooleanValue":
      return v.value ? "True" : "False";
    case "ArrayValue":
      return "[" + (v.value as PyValue[]).map(pyRepr).join(", ") + "]";
    case "ObjectValue":
      return "{" + [...(v.value as Map<string, PyValue>)].map(([k, x]) => pyReprString(k) + ": " + pyRepr(x)).join(", ") + "}";
    default:
      return String((v as unknown as { toString(): string }).toString());
  }
}
/** Python str() of a runtime value, as `{{ value }}` prints it. */
function pyStr(v: PyValue): string {
  return v.type === "StringValue" ? (v.value as string) : pyRepr(v);
}

// ---- patches, applied once to the module's classes --------------------------------------------------------------
type AnyValue = { type: string; value: unknown };
let StringValueCtor: (new (v: string) => AnyValue) | null = null;

function installPatches(): void {
  if (StringValueCtor) return;
  const env = new Environment();
  env.set("s", "x");
  const sample = env.lookupVariable("s") as unknown as AnyValue & { builtins: Map<string, unknown> };
  const SV = sample.constructor as new (v: string) => AnyValue;
  StringValueCtor = SV;
  // The builtins map holds FunctionValue objects; reuse its class to build ours.
  const FunctionValue = (sample.builtins.get("strip") as object).constructor as new (fn: (args: AnyValue[]) => AnyValue) => unknown;
  const proto = SV.prototype as object;
  const desc = Object.getOwnPropertyDescriptor(proto, "builtins");
  if (!desc?.get) throw new Error("@huggingface/jinja: StringValue.builtins getter not found");
  const origGet = desc.get;
  const patched = new WeakSet<object>();
  Object.defineProperty(proto, "builtins", {
    configurable: true,
    get(this: AnyValue) {
      const map = origGet.call(this) as Map<string, unknown>;
      if (!patched.has(map)) {
        patched.add(map);
        // oxlint-disable-next-line typescript/no-this-alias -- the patched methods need the interpreter and their own `this`
        const self = this;
        const charsArg = (args: AnyValue[]) => {
          const a = args[0];
          if (!a || a.type === "NullValue" || a.type === "UndefinedValue") return null;
          return String(a.value);
        };
        map.set("strip", new FunctionValue((args) => new SV(pyStrip(self.value as string, charsArg(args), "both"))));
        map.set("lstrip", new FunctionValue((args) => new SV(pyStrip(self.value as string, charsArg(args), "left"))));
        map.set("rstrip", new FunctionValue((args) => new SV(pyStrip(self.value as string, charsArg(args), "right"))));
      }
      return map;
    },
  });
  env.set("b", true);
  const BV = (env.lookupVariable("b") as unknown as AnyValue).constructor as new (v: boolean) => AnyValue;
  type Node = { type: string; value?: unknown; operator?: { value: string }; left?: unknown; right?: unknown };
  const ip = Interpreter.prototype as unknown as {
    applyFilter(operand: AnyValue, filterNode: Node, env: unknown): AnyValue;
    evaluateBinaryExpression(node: Node, env: unknown): AnyValue;
    evaluate(node: unknown, env: unknown): AnyValue;
  };

  // Every node evaluation counts a step; the clock is read every 4,096 steps.
  const origEvaluate = ip.evaluate;
  ip.evaluate = function (node, environment) {
    const b = budgets.get(this as object);
    if (b) {
      if (++b.steps > b.maxSteps) overBudget(`more than ${b.maxSteps} steps`);
      if ((b.steps & 4095) === 0 && Date.now() > b.deadline) overBudget(`more than ${RENDER_LIMITS.timeMs / 1000} s`);
    }
    return origEvaluate.call(this, node, environment);
  };

  const origApply = ip.applyFilter;
  ip.applyFilter = function (operand, filterNode, environment) {
    const r = applyFilter0.call(this, operand, filterNode, environment);
    checkSize(r);
    return r;
  };
  const applyFilter0 = function (this: unknown, operand: AnyValue, filterNode: Node, environment: unknown): AnyValue {
    if (filterNode.type === "Identifier" && filterNode.value === "trim") {
      // Jinja2: soft_str(value).strip() -- str(None) is "None", str(True) is "True".
      if (operand.type === "StringValue") return new SV(pyStrip(operand.value as string));
      if (operand.type === "NullValue") return new SV("None");
      if (operand.type === "BooleanValue") return new SV(operand.value ? "True" : "False");
      if (operand.type === "IntegerValue") return new SV(String(operand.value));
    }
    return origApply.call(this, operand, filterNode, environment);
  };
  // Output of `{{ expr }}`: Python prints str(value): None, True/False, and repr() inside lists and dicts.
  const STATEMENTS = new Set(["Program", "If", "For", "Break", "Continue", "Set", "Macro", "Comment", "FilterStatement", "CallStatement"]);
  const ipb = ip as unknown as {
    evaluateBlock(statements: Node[], env: unknown): AnyValue;
    evaluate(node: unknown, env: unknown): AnyValue;
  };
  ipb.evaluateBlock = function (statements, environment) {
    // a block (a loop iteration's body, even an empty one) counts as a step too
    const b = budgets.get(this as object);
    if (b) {
      if (++b.steps > b.maxSteps) overBudget(`more than ${b.maxSteps} steps`);
      if ((b.steps & 4095) === 0 && Date.now() > b.deadline) overBudget(`more than ${RENDER_LIMITS.timeMs / 1000} s`);
    }
    let result = "";
    for (const st of statements) {
      const v = this.evaluate(st, environment);
      if (v.type === "UndefinedValue") continue;
      const isOutput = !STATEMENTS.has(st.type);
      if (v.type === "NullValue") {
        if (isOutput) result += "None";
        continue;
      }
      if (isOutput && (v.type === "BooleanValue" || v.type === "ArrayValue" || v.type === "ObjectValue")) {
        result += pyStr(v);
        continue;
      }
      result += (v as unknown as { toString(): string }).toString();
      if (result.length > RENDER_LIMITS.chars) overBudget(`an output of more than ${RENDER_LIMITS.chars} characters`);
    }
    return new SV(result);
  };
  const origBinary = ip.evaluateBinaryExpression;
  const numeric = (v: AnyValue) => v.type === "IntegerValue" || v.type === "FloatValue" || v.type === "BooleanValue";
  /** Python ==; undefined when the library's own comparison is right (other value kinds: functions, macros). */
  const pyEquals = (a: AnyValue, b: AnyValue): boolean | undefined => {
    if (numeric(a) && numeric(b)) return Number(a.value) === Number(b.value);
    if (a.type === "StringValue" && b.type === "StringValue") return a.value === b.value;
    const scalar = (v: AnyValue) => numeric(v) || v.type === "StringValue" || v.type === "NullValue" || v.type === "UndefinedValue";
    if (scalar(a) || scalar(b)) return a.type === b.type && a.value === b.value;
    if (a.type === "ArrayValue" && b.type === "ArrayValue") {
      const x = a.value as AnyValue[];
      const y = b.value as AnyValue[];
      return x.length === y.length && x.every((v, i) => pyEquals(v, y[i]!) === true);
    }
    if (a.type === "ObjectValue" && b.type === "ObjectValue") {
      const x = a.value as Map<string, AnyValue>;
      const y = b.value as Map<string, AnyValue>;
      return x.size === y.size && [...x].every(([k, v]) => y.has(k) && pyEquals(v, y.get(k)!) === true);
    }
    if ((a.type === "ArrayValue" || a.type === "ObjectValue") && (b.type === "ArrayValue" || b.type === "ObjectValue")) return false;
    return undefined;
  };
  const pyTypeName = (v: AnyValue) =>
    ({
      NullValue: "NoneType",
      IntegerValue: "int",
      FloatValue: "float",
      BooleanValue: "bool",
      ArrayValue: "list",
      ObjectValue: "dict",
      StringValue: "str",
    })[v.type] ?? v.type;
  ip.evaluateBinaryExpression = function (node, environment) {
    const r = binary0.call(this, node, environment);
    checkSize(r);
    return r;
  };
  const binary0 = function (this: typeof ip, node: Node, environment: unknown): AnyValue {
    const op = node.operator?.value;
    if (op !== "==" && op !== "!=" && op !== "+") return origBinary.call(this, node, environment);
    const left = this.evaluate(node.left, environment);
    const right = this.evaluate(node.right, environment);
    if (op === "+") {
      if (left.type === "StringValue" && right.type === "StringValue") return new SV((left.value as string) + (right.value as string));
      if (left.type === "StringValue" && right.type !== "UndefinedValue") {
        throw new TemplateError(`can only concatenate str (not "${pyTypeName(right)}") to str`);
      }
      if (right.type === "StringValue" && left.type !== "UndefinedValue") {
        throw new TemplateError(`unsupported operand type(s) for +: '${pyTypeName(left)}' and 'str'`);
      }
      return origBinary.call(this, node, environment);
    }
    const eq = pyEquals(left, right);
    if (eq === undefined) return origBinary.call(this, node, environment);
    return new BV(op === "==" ? eq : !eq);
  };
}

function pyRange(start: number, stop?: number, step = 1): number[] {
  if (stop === undefined) {
    stop = start;
    start = 0;
  }
  if (step === 0) throw new TemplateError("range() arg 3 must not be zero");
  const n = step > 0 ? Math.ceil((stop - start) / step) : Math.ceil((start - stop) / -step);
  if (!Number.isFinite(n) || n > RENDER_LIMITS.items) overBudget(`range() of more than ${RENDER_LIMITS.items} items`);
  const out: number[] = [];
  if (step > 0) for (let i = start; i < stop; i += step) out.push(i);
  else for (let i = start; i > stop; i += step) out.push(i);
  return out;
}

export interface RenderOptions {
  messages: unknown[];
  tools?: unknown[] | null;
  addGenerationPrompt: boolean;
  bosToken: string | null;
  eosToken: string | null;
  /** Extra template variables (e.g. reasoning_effort, enable_thinking). */
  extra?: Record<string, unknown>;
  /** Clock for strftime_now (tests pin it). */
  now?: () => Date;
}

export class ChatTemplate {
  private readonly parsed: ReturnType<typeof parse>;
  private budgetFailures = 0;
  private disabled: string | null = null;
  constructor(public readonly source: string) {
    installPatches();
    // transformers: ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True)
    this.parsed = parse(tokenize(source, { lstrip_blocks: true, trim_blocks: true }));
  }

  render(o: RenderOptions): string {
    const now = o.now ?? (() => new Date());
    const vars: Record<string, unknown> = {
      false: false,
      true: true,
      none: null,
      False: false,
      True: true,
      None: null,
      range: pyRange,
      ...(o.extra ?? {}),
      messages: o.messages,
      tools: o.tools ?? null,
      documents: null,
      add_generation_prompt: o.addGenerationPrompt,
      bos_token: o.bosToken ?? null,
      eos_token: o.eosToken ?? null,
      raise_exception: (msg: unknown) => {
        throw new TemplateError(String(msg));
      },
      strftime_now: (fmt: unknown) => strftime(now(), String(fmt)),
    };
    // bos/eos absent from tokenizer_config (Qwen's bos_token is null) are simply not passed by transformers.
    if (o.bosToken === null) delete vars.bos_token;
    if (o.eosToken === null) delete vars.eos_token;
    if (this.disabled) throw new TemplateBudgetError(this.disabled);
    const env = new Environment();
    for (const [k, v] of Object.entries(vars)) {
      if (k === "messages" && Array.isArray(v)) env.declareVariable(k, runtimeList(v));
      else if (k === "tools" && v !== null && typeof v === "object") env.declareVariable(k, runtimeOf(v));
      else env.set(k, v);
    }
    const interp = new Interpreter(env);
    budgets.set(interp, { steps: 0, maxSteps: RENDER_LIMITS.steps, deadline: Date.now() + RENDER_LIMITS.timeMs });
    try {
      const result = interp.run(this.parsed) as unknown as { value: string };
      return result.value;
    } catch (e) {
      if (e instanceof TemplateBudgetError) {
        // A template that runs away twice is not rendered again (each try costs up to the time budget).
        if (++this.budgetFailures >= 2) this.disabled = `${e.message}; not rendered again in this run`;
        throw e;
      }
      if (e instanceof RangeError) {
        // "Maximum call stack size exceeded" (deep recursion in a macro) or "Invalid string length"
        throw new TemplateBudgetError(`the chat template went over its rendering budget (${e.message})`);
      }
      throw e;
    }
  }
}

/**
 * Jinja runtime values of the objects a record passes to every render (its tools, its messages), converted once:
 * counting trained tokens renders several prefixes of the same conversation, and converting a record's tool schemas
 * again for each render cost more than the rendering. Safe because templates cannot mutate values (no `append`, and
 * `set` binds new names). Keyed by object identity (a WeakMap: nothing outlives the record).
 */
type RuntimeValue = ReturnType<Environment["set"]>;
const converted = new WeakMap<object, RuntimeValue>();
let ArrayValue: (new (items: RuntimeValue[]) => RuntimeValue) | null = null;

function runtimeOf(v: object): RuntimeValue {
  let rv = converted.get(v);
  if (!rv) {
    rv = new Environment().set("v", v);
    converted.set(v, rv);
  }
  return rv;
}

function runtimeList(items: unknown[]): RuntimeValue {
  ArrayValue ??= (new Environment().set("v", []) as unknown as { constructor: new (items: RuntimeValue[]) => RuntimeValue }).constructor;
  return new ArrayValue(items.map((m) => (m !== null && typeof m === "object" ? runtimeOf(m) : new Environment().set("v", m))));
}
