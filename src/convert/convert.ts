/**
 * `tunelint convert` as a library: records of other tools' formats -> Together records.
 *
 *   openai    OpenAI chat (and its legacy `functions` / `function_call` / role `function`), OpenAI DPO
 *   sharegpt  `conversations` of `from`/`value` (LLaMA-Factory's function_call/observation turns, `tools` as a JSON
 *             string, `system`, DPO `chosen`/`rejected`)
 *   alpaca    `instruction`, `input`, `output`, `system`, `history` (and `chosen`/`rejected` pairs)
 *   vertex    Vertex AI / Gemini `systemInstruction` + `contents` of `parts`
 *   trl       TRL preference `prompt`/`chosen`/`rejected` (strings or message lists, implicit prompts too)
 *
 * Every converted record then goes through the fixers (role case, weights, extra keys, null content). Text is never
 * rewritten: each content string of the source appears unchanged in the output (alpaca's instruction and input are
 * joined with a newline, as LLaMA-Factory does). A record that cannot be converted without guessing is an issue,
 * never silently dropped.
 */
import { isObject } from "../rules/utils/record.js";
import { fixValueInPlace } from "./fix.js";
import { readRecords, type Container } from "./json-stream.js";
import type { ByteSource } from "./source.js";

export type SourceFormat = "openai" | "sharegpt" | "alpaca" | "vertex" | "trl" | "together";
export const SOURCE_FORMATS: readonly SourceFormat[] = ["openai", "sharegpt", "alpaca", "vertex", "trl"];
export type TargetFormat = "auto" | "conversation" | "instruction";

export interface ConvertOptions {
  /** Source format (default "auto": detected per record). */
  from?: SourceFormat | "auto";
  /** "auto" (default): conversation, or preference for preference data; "instruction": prompt/completion. */
  to?: TargetFormat;
  /** Longest JSONL line / array element read (default 64 MiB). */
  maxLineBytes?: number;
  signal?: AbortSignal;
}

/** What a conversion did to a record, as a short label (counted in the report). */
export type ConvertChange = string;

export interface ConvertIssue {
  /** 0-based record index (null for a file-level problem such as a truncated array). */
  index: number | null;
  /** 1-based line where the record starts. */
  line: number | null;
  /** JSON Pointer into the source record. */
  pointer: string;
  message: string;
}

export interface ConvertRecordResult {
  /** The Together record; undefined when `error` is set. */
  record?: Record<string, unknown>;
  /** The source format the record was read as. */
  from: SourceFormat | null;
  changes: ConvertChange[];
  error?: { pointer: string; message: string };
}

class Unconvertible extends Error {
  constructor(
    readonly pointer: string,
    message: string,
  ) {
    super(message);
  }
}

const fail = (pointer: string, message: string): never => {
  throw new Unconvertible(pointer, message);
};

/** The source format of one record, from its keys and shapes; null when none fits. */
export function detectSource(value: unknown): SourceFormat | null {
  if (!isObject(value)) return null;
  const r = value;
  if (Array.isArray(r.conversations)) return "sharegpt";
  if (Array.isArray(r.conversation) && r.conversation.every((t) => isObject(t) && "input" in t && "output" in t)) return "sharegpt";
  if ("instruction" in r && ("output" in r || "response" in r || "chosen" in r)) return "alpaca";
  // Preference before messages: HF's ultrafeedback_binarized carries `messages` (a copy of chosen) beside the pair.
  if (("chosen" in r && "rejected" in r) || (Array.isArray(r.chosen_messages) && Array.isArray(r.rejected_messages))) return "trl";
  if (Array.isArray(r.messages)) {
    const m0 = r.messages.find(isObject);
    if (m0 && ("from" in m0 || "value" in m0) && !("role" in m0)) return "sharegpt";
    return "openai";
  }
  if (Array.isArray(r.contents)) return "vertex";
  if (isObject(r.input) && ("preferred_output" in r || "non_preferred_output" in r)) return "openai";
  if ("prompt" in r && "completion" in r) {
    return Array.isArray(r.prompt) || Array.isArray(r.completion) ? "trl" : "together";
  }
  if ("text" in r && typeof r.text === "string") return "together";
  return null;
}

/** Why a record is not of the (given) source format, or null when its core keys are there. */
function fits(from: SourceFormat, r: Record<string, unknown>): { pointer: string; message: string } | null {
  const keys =
    Object.keys(r)
      .map((k) => JSON.stringify(k))
      .join(", ") || "none";
  const need = (ok: boolean, what: string) =>
    ok ? null : { pointer: "", message: `not a ${from} record: expected ${what} (keys: ${keys})` };
  switch (from) {
    case "openai":
      return need(
        Array.isArray(r.messages) || (isObject(r.input) && Array.isArray(r.input.messages)),
        "`messages`, or `input.messages` with preferred/non-preferred outputs",
      );
    case "sharegpt":
      return need(
        Array.isArray(r.conversations) || Array.isArray(r.messages) || Array.isArray(r.conversation),
        "a `conversations` list of {from, value} turns",
      );
    case "alpaca":
      return need(typeof r.instruction === "string", "a string `instruction` with `output` (or `response`, or `chosen`/`rejected`)");
    case "vertex":
      return need(Array.isArray(r.contents), "a `contents` list of {role, parts}");
    case "trl":
      return need(
        ("chosen" in r && "rejected" in r) ||
          (Array.isArray(r.chosen_messages) && Array.isArray(r.rejected_messages)) ||
          ("prompt" in r && "completion" in r),
        "`prompt`/`chosen`/`rejected` (or `prompt`/`completion`)",
      );
    case "together":
      return null;
  }
}

/** Converts one record (a parsed value) into a Together record. */
export function convertRecord(value: unknown, options: Pick<ConvertOptions, "from" | "to"> = {}): ConvertRecordResult {
  const from = !options.from || options.from === "auto" ? detectSource(value) : options.from;
  const changes: ConvertChange[] = [];
  if (!isObject(value)) return { from, changes, error: { pointer: "", message: `a record must be a JSON object, found ${kind(value)}` } };
  if (!from) {
    return {
      from,
      changes,
      error: {
        pointer: "",
        message: `no known source format fits the keys ${
          Object.keys(value)
            .map((k) => JSON.stringify(k))
            .join(", ") || "(none)"
        } (give --from)`,
      },
    };
  }
  const misfit = fits(from, value);
  if (misfit) return { from, changes, error: { pointer: misfit.pointer, message: misfit.message } };
  try {
    const ctx = new Ctx(changes);
    let out: Record<string, unknown>;
    const rec = kto(value, ctx);
    switch (from) {
      case "openai":
        out = fromOpenAI(rec, ctx);
        break;
      case "sharegpt":
        out = fromShareGPT(rec, ctx);
        break;
      case "alpaca":
        out = fromAlpaca(rec, ctx, options.to ?? "auto");
        break;
      case "vertex":
        out = fromVertex(rec, ctx);
        break;
      case "trl":
        out = fromTRL(rec, ctx);
        break;
      case "together":
        out = { ...rec };
        break;
    }
    if (options.to === "instruction" && !("prompt" in out)) out = toInstruction(out, ctx);
    else if (options.to === "conversation" && "prompt" in out && typeof out.prompt === "string") {
      out = {
        messages: [
          { role: "user", content: out.prompt },
          { role: "assistant", content: out.completion },
        ],
      };
      changes.push("prompt/completion -> messages");
    }
    // `out` is this function's own object (sources build new records; "together" copies): fixed in place.
    if (from === "together") out = JSON.parse(JSON.stringify(out)) as Record<string, unknown>;
    for (const c of fixValueInPlace(out)) changes.push(fixLabel(c));
    return { record: out, from, changes };
  } catch (e) {
    if (e instanceof Unconvertible) return { from, changes, error: { pointer: e.pointer, message: e.message } };
    throw e;
  }
}

function fixLabel(c: { ruleId: string; pointer: string; before: string; after: string }): string {
  if (c.ruleId === "unknown-key") return `dropped key ${c.before.slice(0, c.before.indexOf(":"))}`;
  if (c.ruleId === "role-unknown") return `role ${c.before} -> ${c.after}`;
  if (c.ruleId === "content-null") return "dropped null content beside tool_calls";
  return `${c.ruleId}: ${c.before} -> ${c.after}`;
}

function kind(v: unknown): string {
  return v === null ? "null" : Array.isArray(v) ? "an array" : typeof v;
}

/** Per-record state: changes made and tool call ids handed out. */
class Ctx {
  private calls = 0;
  constructor(readonly changes: ConvertChange[]) {}
  change(c: ConvertChange) {
    this.changes.push(c);
  }
  callId(): string {
    return `call_${++this.calls}`;
  }
}

/**
 * KTO (unpaired preference, e.g. LLaMA-Factory's kto_en_demo): `label: false` marks an answer not to learn, and
 * Together has no KTO training, so SFT would learn it: not convertible. `label: true` is an ordinary example.
 */
function kto(value: Record<string, unknown>, ctx: Ctx): Record<string, unknown> {
  if (typeof value.label !== "boolean") return value;
  if (!value.label)
    fail("/label", "a KTO example labelled false (an undesirable answer): Together has no KTO training, and SFT would learn it");
  const { label: _, ...rest } = value;
  ctx.change("dropped KTO label true");
  return rest;
}

// ---------- OpenAI ----------

function fromOpenAI(r: Record<string, unknown>, ctx: Ctx): Record<string, unknown> {
  if (isObject(r.input) && ("preferred_output" in r || "non_preferred_output" in r)) {
    const input = { ...r.input };
    const out: Record<string, unknown> = { ...r };
    const conv = openAIConversation(input, ctx, "/input");
    input.messages = conv.messages;
    if (conv.tools) input.tools = conv.tools;
    delete input.functions;
    if ("parallel_tool_calls" in input) {
      delete input.parallel_tool_calls;
      ctx.change("dropped parallel_tool_calls");
    }
    out.input = input;
    for (const key of ["preferred_output", "non_preferred_output"]) {
      if (Array.isArray(r[key])) out[key] = openAIMessages(r[key], ctx, `/${key}`, conv.pending);
    }
    return out;
  }
  const out: Record<string, unknown> = { ...r };
  mediaByPath(r);
  const conv = openAIConversation(r, ctx, "");
  // UltraChat-style: `prompt` beside `messages` repeats the first user message.
  if (typeof r.prompt === "string") {
    const firstUser = conv.messages.find((m) => isObject(m) && m.role === "user") as Record<string, unknown> | undefined;
    if (firstUser?.content === r.prompt) {
      delete out.prompt;
      ctx.change("dropped prompt (a copy of the first user message)");
    }
  }
  if (typeof r.system === "string") {
    // LLaMA-Factory's OpenAI-style files may carry the system prompt beside `messages`.
    const first = conv.messages[0];
    if (r.system !== "") {
      if (isObject(first) && first.role === "system") fail("/system", "a `system` field and a system message: which one is meant?");
      conv.messages.unshift({ role: "system", content: r.system });
      ctx.change("system field -> system message");
    }
    delete out.system;
  }
  out.messages = conv.messages;
  delete out.functions;
  if (conv.tools) out.tools = conv.tools;
  if ("parallel_tool_calls" in out) {
    delete out.parallel_tool_calls;
    ctx.change("dropped parallel_tool_calls");
  }
  return out;
}

/** Assistant names of other exports (Cohere's Chatbot, "ai"); the fixer handles human/gpt/bot/model and case. */
const CONVERT_ROLES: Record<string, string> = { chatbot: "assistant", ai: "assistant", chatgpt: "assistant" };

interface PendingCalls {
  /** Calls not answered yet, oldest first: id and function name. */
  open: { id: string; name: string }[];
}

function openAIConversation(
  r: Record<string, unknown>,
  ctx: Ctx,
  base: string,
): { messages: unknown[]; tools?: unknown[]; pending: PendingCalls } {
  const pending: PendingCalls = { open: [] };
  let tools: unknown[] | undefined;
  if (Array.isArray(r.tools)) tools = normaliseTools(r.tools, ctx, `${base}/tools`);
  else if (typeof r.tools === "string") tools = shareGPTTools(r.tools, ctx);
  if (Array.isArray(r.functions)) {
    const fns = r.functions.map((f, i) => {
      if (!isObject(f) || typeof f.name !== "string") fail(`${base}/functions/${i}`, "a function definition needs a string `name`");
      return { type: "function", function: f };
    });
    tools = [...(tools ?? []), ...fns];
    ctx.change("functions -> tools");
  }
  if (!Array.isArray(r.messages)) fail(`${base}/messages`, "`messages` must be a list");
  return { messages: openAIMessages(r.messages as unknown[], ctx, `${base}/messages`, pending), tools, pending };
}

function openAIMessages(list: unknown[], ctx: Ctx, base: string, pending: PendingCalls): unknown[] {
  return list.flatMap((m, i) => {
    if (!isObject(m)) return [m]; // left for the linter to report
    const out: Record<string, unknown> = { ...m };
    if (isLlamaFactoryParts(m.content)) {
      const split = llamaFactoryParallelResults(m, ctx, pending);
      if (split) return split;
      llamaFactoryParts(out, m.content as Record<string, unknown>[], ctx, `${base}/${i}`, pending);
    }
    if ("loss_weight" in m) {
      // LLaMA-Factory v1: a per-message loss multiplier; 0 and 1 are exactly Together's message weight.
      if (m.loss_weight !== 0 && m.loss_weight !== 1)
        fail(`${base}/${i}/loss_weight`, `loss_weight ${JSON.stringify(m.loss_weight)}: Together's message weight is 0 or 1 only`);
      if (!("weight" in m)) out.weight = m.loss_weight;
      delete out.loss_weight;
      ctx.change("loss_weight -> weight");
    }
    let role = typeof m.role === "string" ? m.role.trim().toLowerCase() : m.role;
    if (role === "developer") {
      out.role = "system";
      ctx.change("role developer -> system");
    } else if (typeof role === "string" && CONVERT_ROLES[role]) {
      out.role = role = CONVERT_ROLES[role];
      ctx.change(`role ${m.role} -> ${role}`);
    }
    if (isObject(m.function_call)) {
      const fc = m.function_call;
      if (typeof fc.name !== "string") fail(`${base}/${i}/function_call`, "`function_call` needs a string `name`");
      const id = ctx.callId();
      const call = { id, type: "function", function: { name: fc.name, arguments: argumentsText(fc.arguments, ctx) } };
      out.tool_calls = [...(Array.isArray(m.tool_calls) ? m.tool_calls : []), call];
      delete out.function_call;
      if (out.content === null || out.content === "") delete out.content;
      pending.open.push({ id, name: fc.name as string });
      ctx.change("function_call -> tool_calls");
    } else if (Array.isArray(m.tool_calls)) {
      out.tool_calls = m.tool_calls.map((tc, k) => {
        if (!isObject(tc)) return tc;
        const t: Record<string, unknown> = { ...tc };
        if (typeof t.id !== "string" || t.id === "") {
          t.id = ctx.callId();
          ctx.change("generated tool call id");
        }
        t.type ??= "function";
        if (isObject(t.function)) {
          const f = { ...t.function };
          if (f.arguments !== undefined && typeof f.arguments !== "string") f.arguments = argumentsText(f.arguments, ctx);
          t.function = f;
          pending.open.push({ id: t.id as string, name: String(f.name) });
        } else fail(`${base}/${i}/tool_calls/${k}`, "a tool call needs a `function` object with `name` and `arguments`");
        return t;
      });
    }
    if (role === "function") {
      const name = typeof m.name === "string" ? m.name : undefined;
      const at = pending.open.findIndex((c) => c.name === name);
      const call = at >= 0 ? pending.open.splice(at, 1)[0] : pending.open.shift();
      if (!call) fail(`${base}/${i}`, "a `function` message answers no earlier function call: there is no call id to give it");
      out.role = "tool";
      out.tool_call_id = call!.id;
      delete out.name;
      ctx.change("role function -> tool");
    } else if (role === "tool" && typeof out.tool_call_id === "string") {
      const at = pending.open.findIndex((c) => c.id === out.tool_call_id);
      if (at >= 0) pending.open.splice(at, 1);
    } else if (role === "tool" && out.tool_call_id === undefined) {
      const call = pending.open.shift();
      if (!call) fail(`${base}/${i}`, "a tool message answers no earlier tool call: there is no call id to give it");
      out.tool_call_id = call!.id;
      ctx.change("tool_call_id from the call it answers");
    }
    return [out];
  });
}

/**
 * LLaMA-Factory v1 answers parallel calls with one tool message whose text is a JSON list of
 * `{tool_call_id, name, content}`, one per call: Together wants one tool message per call. Split only when the list
 * matches the open calls one for one (same count, same names in order); each `content` string is kept as it is.
 */
function llamaFactoryParallelResults(m: Record<string, unknown>, ctx: Ctx, pending: PendingCalls): Record<string, unknown>[] | null {
  if (m.role !== "tool" || pending.open.length < 2) return null;
  const parts = m.content as Record<string, unknown>[];
  if (parts.length !== 1 || parts[0]!.type !== "text") return null;
  let list: unknown;
  try {
    list = JSON.parse(parts[0]!.value as string);
  } catch {
    return null;
  }
  if (!Array.isArray(list) || list.length !== pending.open.length) return null;
  const ok = (r: unknown, k: number) =>
    isObject(r) &&
    (typeof r.content === "string" || isObject(r.content) || Array.isArray(r.content)) &&
    (r.name === undefined || r.name === pending.open[k]!.name);
  if (!list.every(ok)) return null;
  const calls = pending.open.splice(0, list.length);
  ctx.change("one tool message for parallel calls -> one per call");
  // A result given as JSON (an object) is the tool's output as JSON text.
  return (list as Record<string, unknown>[]).map((r, k) => ({
    role: "tool",
    tool_call_id: calls[k]!.id,
    content: typeof r.content === "string" ? r.content : JSON.stringify(r.content),
  }));
}

/** LLaMA-Factory v1 content: a list of `{type, value}` parts (text, reasoning, tool_call). */
function isLlamaFactoryParts(content: unknown): boolean {
  return (
    Array.isArray(content) &&
    content.length > 0 &&
    content.every(
      (p) =>
        isObject(p) &&
        typeof p.value === "string" &&
        !("text" in p) &&
        (p.type === "text" || p.type === "reasoning" || p.type === "tool_call"),
    )
  );
}

function llamaFactoryParts(
  out: Record<string, unknown>,
  parts: Record<string, unknown>[],
  ctx: Ctx,
  at: string,
  pending: PendingCalls,
): void {
  const text = parts.filter((p) => p.type === "text").map((p) => p.value as string);
  const reasoning = parts.filter((p) => p.type === "reasoning").map((p) => p.value as string);
  const calls = parts.filter((p) => p.type === "tool_call");
  ctx.change("content parts {type, value} -> content");
  if (text.length) out.content = text.join("");
  else delete out.content;
  if (reasoning.length) {
    if (out.role !== "assistant") fail(`${at}/content`, "reasoning in a message that is not the assistant's");
    out.reasoning = reasoning.join("");
    ctx.change("reasoning part -> reasoning");
  }
  if (calls.length) {
    out.tool_calls = calls.map((p, k) => {
      let c: unknown;
      try {
        c = JSON.parse(p.value as string);
      } catch {
        return fail(`${at}/content`, `tool call ${k + 1} is not JSON`);
      }
      if (!isObject(c) || typeof c.name !== "string") return fail(`${at}/content`, `tool call ${k + 1} has no string "name"`);
      const id = ctx.callId();
      pending.open.push({ id, name: c.name });
      return { id, type: "function", function: { name: c.name, arguments: argumentsText(c.arguments ?? {}, ctx) } };
    });
    ctx.change("tool_call part -> tool_calls");
  }
  if (out.role === "tool" && typeof out.tool_call_id !== "string") {
    const call = pending.open.shift();
    if (!call) fail(at, "a tool message answers no earlier tool call: there is no call id to give it");
    out.tool_call_id = call!.id;
  }
}

function argumentsText(args: unknown, ctx: Ctx): string {
  if (typeof args === "string") return args;
  ctx.change("arguments object -> JSON string");
  return JSON.stringify(args ?? {});
}

/** Tools as Together wants them: `{type: "function", function: {...}}`; bare function definitions are wrapped. */
function normaliseTools(tools: unknown[], ctx: Ctx, base: string): unknown[] {
  return tools.map((t, i) => {
    if (!isObject(t)) fail(`${base}/${i}`, "a tool must be an object");
    const obj = t as Record<string, unknown>;
    if (isObject(obj.function)) return obj.type === undefined ? { type: "function", ...obj } : obj;
    if (typeof obj.name === "string") {
      ctx.change("bare function -> tool");
      return { type: "function", function: obj };
    }
    return fail(`${base}/${i}`, "a tool needs a `function` object (or a function definition with a `name`)");
  });
}

/** LLaMA-Factory's multimodal columns: media by path, placed by `<image>` tags. Not convertible without guessing. */
function mediaByPath(r: Record<string, unknown>): void {
  if (Array.isArray(r.images) && r.images.length) {
    fail(
      "/images",
      "images given by file path (with <image> tags): Together needs each image inline, as a base64 data URL in a content part",
    );
  }
  for (const k of ["videos", "audios"]) {
    if (Array.isArray(r[k]) && (r[k] as unknown[]).length) fail(`/${k}`, `${k} are not supported by Together's fine-tuning formats`);
  }
}

// ---------- ShareGPT ----------

const SHAREGPT_ROLES: Record<string, string> = {
  human: "user",
  user: "user",
  gpt: "assistant",
  assistant: "assistant",
  chatgpt: "assistant",
  bing: "assistant",
  bard: "assistant",
  model: "assistant",
  bot: "assistant",
  system: "system",
  function_call: "function_call",
  observation: "observation",
  function: "observation",
  tool: "observation",
};

function fromShareGPT(r: Record<string, unknown>, ctx: Ctx): Record<string, unknown> {
  if (!Array.isArray(r.conversations) && !Array.isArray(r.messages) && Array.isArray(r.conversation)) {
    // Capybara-style: `conversation` of {input, output} exchanges.
    const { conversation, ...rest } = r;
    const turns = (conversation as unknown[]).flatMap((t, i) => {
      if (!isObject(t) || typeof t.input !== "string" || typeof t.output !== "string")
        return fail(`/conversation/${i}`, "an exchange needs string `input` and `output`");
      return [
        { from: "human", value: t.input },
        { from: "gpt", value: t.output },
      ];
    });
    ctx.change("conversation of input/output -> turns");
    return fromShareGPT({ ...rest, conversations: turns }, ctx);
  }
  const key = Array.isArray(r.conversations) ? "conversations" : "messages";
  const turns = r[key] as unknown[];
  const { [key]: _, system, tools, chosen, rejected, ...rest } = r;
  mediaByPath(rest);
  const pending: PendingCalls = { open: [] };
  const messages: unknown[] = [];
  if (typeof system === "string" && system !== "") {
    messages.push({ role: "system", content: system });
    ctx.change("system field -> system message");
  } else if (system !== undefined && system !== "" && system !== null) fail("/system", "`system` must be a string");
  turns.forEach((t, i) => messages.push(...shareGPTTurn(t, `/${key}/${i}`, ctx, pending)));
  ctx.change(`${key} -> messages`);
  const out: Record<string, unknown> = { ...rest };
  const parsedTools = shareGPTTools(tools, ctx);
  if (chosen !== undefined || rejected !== undefined) {
    const input: Record<string, unknown> = { messages };
    if (parsedTools) input.tools = parsedTools;
    ctx.change("chosen/rejected -> preference");
    return {
      ...out,
      input,
      preferred_output: shareGPTOutput(chosen, "/chosen", ctx, pending),
      non_preferred_output: shareGPTOutput(rejected, "/rejected", ctx, { open: [...pending.open] }),
    };
  }
  out.messages = messages;
  if (parsedTools) out.tools = parsedTools;
  return out;
}

function shareGPTTools(tools: unknown, ctx: Ctx): unknown[] | undefined {
  if (tools === undefined || tools === null || tools === "" || tools === "[]") return undefined;
  let list = tools;
  if (typeof tools === "string") {
    try {
      list = JSON.parse(tools);
    } catch {
      fail("/tools", "`tools` is a string but not JSON");
    }
    ctx.change("tools JSON string -> list");
  }
  if (isObject(list)) list = [list];
  if (!Array.isArray(list)) return fail("/tools", "`tools` must be a list of function definitions");
  if (list.length === 0) return undefined;
  return normaliseTools(list, ctx, "/tools");
}

function shareGPTTurn(t: unknown, at: string, ctx: Ctx, pending: PendingCalls): unknown[] {
  if (!isObject(t)) fail(at, "a turn must be an object with `from` and `value`");
  const turn = t as Record<string, unknown>;
  const from = turn.from ?? turn.role;
  const value = turn.value ?? turn.content;
  if (typeof from !== "string") return fail(`${at}/from`, "a turn needs a string `from`");
  const role = SHAREGPT_ROLES[from.trim().toLowerCase()];
  if (!role)
    return fail(`${at}/from`, `unknown speaker ${JSON.stringify(from)} (expected human, gpt, system, function_call or observation)`);
  if (typeof value !== "string" && !Array.isArray(value)) return fail(`${at}/value`, "a turn needs a string `value`");
  const written = role === "observation" ? "tool" : role === "function_call" ? "assistant" : role;
  if (from !== written) ctx.change(`role ${from} -> ${written}`);
  const extra: Record<string, unknown> = {};
  if (turn.weight !== undefined && turn.weight !== null) extra.weight = turn.weight; // SlimOrca: null on system turns
  if (role === "function_call") {
    if (typeof value !== "string") return fail(`${at}/value`, "a function_call turn holds the call as a JSON string");
    let parsed: unknown;
    try {
      parsed = JSON.parse(value);
    } catch {
      return fail(`${at}/value`, 'the function_call value is not JSON (expected {"name": ..., "arguments": ...})');
    }
    const calls = Array.isArray(parsed) ? parsed : [parsed];
    const toolCalls = calls.map((c, k) => {
      if (!isObject(c) || typeof c.name !== "string") return fail(`${at}/value`, `call ${k + 1} has no string "name"`);
      const id = ctx.callId();
      pending.open.push({ id, name: c.name });
      return { id, type: "function", function: { name: c.name, arguments: argumentsText(c.arguments ?? c.parameters ?? {}, ctx) } };
    });
    return [{ role: "assistant", tool_calls: toolCalls, ...extra }];
  }
  if (role === "observation") {
    const call = pending.open.shift();
    if (!call) return fail(at, "an observation answers no earlier function_call: there is no call id to give it");
    return [{ role: "tool", tool_call_id: call.id, content: value, ...extra }];
  }
  return [{ role, content: value, ...extra }];
}

function shareGPTOutput(v: unknown, at: string, ctx: Ctx, pending: PendingCalls): unknown[] {
  if (v === undefined) return fail(at, `${at.slice(1)} is missing`);
  if (typeof v === "string") return [{ role: "assistant", content: v }];
  const turns = Array.isArray(v) ? v : [v];
  const out = turns.flatMap((t, i) => shareGPTTurn(t, Array.isArray(v) ? `${at}/${i}` : at, ctx, pending));
  if (out.length !== 1 || !isObject(out[0]) || out[0].role !== "assistant") {
    return fail(at, "a preference output must be exactly one assistant turn");
  }
  return out;
}

// ---------- Alpaca ----------

function fromAlpaca(r: Record<string, unknown>, ctx: Ctx, to: TargetFormat): Record<string, unknown> {
  const { instruction, system, history, chosen, rejected, ...more } = r;
  // Dolly: `context` and `response` for input and output.
  const { input: input0, output: output0, context, response, ...rest } = more;
  const input = input0 ?? context;
  const output = output0 ?? response;
  if (typeof instruction !== "string") fail("/instruction", "`instruction` must be a string");
  if (input !== undefined && input !== null && typeof input !== "string") fail("/input", "`input` must be a string");
  const prompt = typeof input === "string" && input !== "" ? `${instruction}\n${input}` : (instruction as string);
  if (prompt !== instruction) ctx.change("instruction + input -> prompt (joined by a newline)");
  const messages: unknown[] = [];
  if (typeof system === "string" && system !== "") messages.push({ role: "system", content: system });
  else if (system !== undefined && system !== null && system !== "") fail("/system", "`system` must be a string");
  if (history !== undefined && history !== null) {
    if (!Array.isArray(history)) fail("/history", "`history` must be a list of [prompt, response] pairs");
    (history as unknown[]).forEach((h, i) => {
      if (!Array.isArray(h) || h.length !== 2 || typeof h[0] !== "string" || typeof h[1] !== "string") {
        fail(`/history/${i}`, "a history entry must be a [prompt, response] pair of strings");
      }
      messages.push({ role: "user", content: (h as string[])[0] }, { role: "assistant", content: (h as string[])[1] });
    });
    if ((history as unknown[]).length) ctx.change("history -> messages");
  }
  messages.push({ role: "user", content: prompt });
  if (chosen !== undefined || rejected !== undefined || Array.isArray(output)) {
    const [c, rj] = Array.isArray(output) ? output : [chosen, rejected];
    if (typeof c !== "string" || typeof rj !== "string") fail("/chosen", "a preference pair needs `chosen` and `rejected` strings");
    ctx.change("chosen/rejected -> preference");
    return {
      ...rest,
      input: { messages },
      preferred_output: [{ role: "assistant", content: c }],
      non_preferred_output: [{ role: "assistant", content: rj }],
    };
  }
  if (typeof output !== "string") fail("/output", "`output` must be a string");
  if (to === "instruction") {
    if (messages.length > 1) {
      fail(
        messages[0] && (messages[0] as { role: string }).role === "system" ? "/system" : "/history",
        "the instruction format has no place for a system prompt or history: convert to conversation",
      );
    }
    ctx.change("alpaca -> prompt/completion");
    return { ...rest, prompt, completion: output };
  }
  messages.push({ role: "assistant", content: output });
  ctx.change("alpaca -> messages");
  return { ...rest, messages };
}

/** A conversation of one user turn and one assistant turn as prompt/completion (`--to instruction`). */
function toInstruction(r: Record<string, unknown>, ctx: Ctx): Record<string, unknown> {
  const msgs = r.messages;
  if (!Array.isArray(msgs)) return fail("", "only a conversation can become prompt/completion");
  const [u, a] = msgs as Record<string, unknown>[];
  if (
    msgs.length !== 2 ||
    !isObject(u) ||
    !isObject(a) ||
    u.role !== "user" ||
    a.role !== "assistant" ||
    typeof u.content !== "string" ||
    typeof a.content !== "string"
  ) {
    return fail("/messages", "only a single user turn and assistant reply (no system prompt, no tools) can become prompt/completion");
  }
  ctx.change("messages -> prompt/completion");
  const { messages: _, tools: __, ...rest } = r;
  return { ...rest, prompt: u.content, completion: a.content };
}

// ---------- Vertex / Gemini ----------

function partsText(parts: unknown, at: string): string {
  if (!Array.isArray(parts)) return fail(at, "`parts` must be a list");
  const texts = parts.map((p, i) => {
    if (!isObject(p) || typeof p.text !== "string")
      return fail(`${at}/${i}`, "only text parts can be converted (inline data and files cannot)");
    return p.text;
  });
  return texts.join("");
}

function fromVertex(r: Record<string, unknown>, ctx: Ctx): Record<string, unknown> {
  const { systemInstruction, system_instruction, contents, tools, ...rest } = r;
  const messages: unknown[] = [];
  const sys = systemInstruction ?? system_instruction;
  const sysKey = systemInstruction !== undefined ? "/systemInstruction" : "/system_instruction";
  if (sys !== undefined && sys !== null) {
    const text =
      typeof sys === "string"
        ? sys
        : isObject(sys)
          ? partsText(sys.parts, `${sysKey}/parts`)
          : fail(sysKey, "`systemInstruction` must hold `parts`");
    messages.push({ role: "system", content: text });
    ctx.change("systemInstruction -> system message");
  }
  const pending: PendingCalls = { open: [] };
  (contents as unknown[]).forEach((c, i) => {
    const at = `/contents/${i}`;
    if (!isObject(c)) return fail(at, "a content must be an object with `role` and `parts`");
    const role =
      c.role === "model"
        ? "assistant"
        : c.role === "user" || c.role === undefined
          ? "user"
          : c.role === "function"
            ? "function"
            : fail(`${at}/role`, `unknown role ${JSON.stringify(c.role)}`);
    if (!Array.isArray(c.parts)) return fail(`${at}/parts`, "`parts` must be a list");
    const parts = c.parts as unknown[];
    const calls = parts.filter((p) => isObject(p) && isObject(p.functionCall));
    const responses = parts.filter((p) => isObject(p) && isObject(p.functionResponse));
    if (calls.length) {
      if (calls.length !== parts.length) {
        // text beside calls: keep it as the message content
        const text = parts
          .filter((p) => !(isObject(p) && isObject(p.functionCall)))
          .map((p, k) =>
            isObject(p) && typeof p.text === "string" ? p.text : fail(`${at}/parts/${k}`, "only text parts can be converted"),
          )
          .join("");
        messages.push({
          role: "assistant",
          content: text,
          tool_calls: calls.map((p) => vertexCall(p as Record<string, unknown>, ctx, pending)),
        });
      } else messages.push({ role: "assistant", tool_calls: calls.map((p) => vertexCall(p as Record<string, unknown>, ctx, pending)) });
      ctx.change("functionCall -> tool_calls");
      return;
    }
    if (responses.length) {
      if (responses.length !== parts.length) return fail(`${at}/parts`, "function responses mixed with other parts");
      for (const p of responses) {
        const fr = (p as Record<string, Record<string, unknown>>).functionResponse!;
        const k = pending.open.findIndex((x) => x.name === fr.name);
        const call = k >= 0 ? pending.open.splice(k, 1)[0] : pending.open.shift();
        if (!call) return fail(at, "a functionResponse answers no earlier functionCall");
        messages.push({
          role: "tool",
          tool_call_id: call!.id,
          content: typeof fr.response === "string" ? fr.response : JSON.stringify(fr.response ?? {}),
        });
      }
      ctx.change("functionResponse -> tool");
      return;
    }
    if (role === "function") return fail(`${at}/role`, "a function turn without functionResponse parts");
    messages.push({ role, content: partsText(parts, `${at}/parts`) });
  });
  ctx.change("contents -> messages");
  const out: Record<string, unknown> = { ...rest, messages };
  if (Array.isArray(tools)) {
    const decls = tools.flatMap((t) =>
      isObject(t) && Array.isArray(t.functionDeclarations)
        ? t.functionDeclarations
        : isObject(t) && Array.isArray(t.function_declarations)
          ? t.function_declarations
          : [],
    );
    if (decls.length) {
      out.tools = decls.map((d) => ({ type: "function", function: d }));
      ctx.change("functionDeclarations -> tools");
    }
  }
  return out;
}

function vertexCall(p: Record<string, unknown>, ctx: Ctx, pending: PendingCalls) {
  const fc = p.functionCall as Record<string, unknown>;
  const id = ctx.callId();
  pending.open.push({ id, name: String(fc.name) });
  return { id, type: "function", function: { name: fc.name, arguments: JSON.stringify(fc.args ?? {}) } };
}

// ---------- TRL ----------

function trlMessages(v: unknown, at: string, ctx: Ctx, role: "user" | "assistant"): Record<string, unknown>[] {
  if (typeof v === "string") return [{ role, content: v }];
  if (!Array.isArray(v)) return fail(at, "expected a string or a list of messages");
  const conv = openAIMessages(v, ctx, at, { open: [] });
  return conv.map((m, i) => (isObject(m) ? m : fail(`${at}/${i}`, "a message must be an object")));
}

function fromTRL(r: Record<string, unknown>, ctx: Ctx): Record<string, unknown> {
  const { prompt, question, completion, system, chosen_messages, rejected_messages, messages, ...rest } = r;
  if (messages !== undefined && JSON.stringify(messages) !== JSON.stringify(r.chosen)) {
    fail("/messages", "`messages` beside chosen/rejected that is not a copy of chosen: which conversation is meant?");
  }
  if (messages !== undefined) ctx.change("dropped messages (a copy of chosen)");
  // LLaMA-Factory v1 preference files name them chosen_messages / rejected_messages (whole conversations).
  const chosen = rest.chosen ?? chosen_messages;
  const rejected = rest.rejected ?? rejected_messages;
  delete rest.chosen;
  delete rest.rejected;
  const p = prompt ?? question;
  if (completion !== undefined && chosen === undefined) {
    // TRL prompt/completion (conversational): one conversation
    const msgs = [...trlMessages(p, "/prompt", ctx, "user"), ...trlMessages(completion, "/completion", ctx, "assistant")];
    ctx.change("prompt/completion messages -> conversation");
    return { ...rest, messages: msgs };
  }
  const head: Record<string, unknown>[] = [];
  if (typeof system === "string" && system !== "") head.push({ role: "system", content: system });
  let input: Record<string, unknown>[];
  let good: Record<string, unknown>[];
  let bad: Record<string, unknown>[];
  if (p === undefined || p === null) {
    // Implicit prompt: chosen and rejected are whole conversations sharing the prompt.
    const c = trlMessages(chosen, "/chosen", ctx, "assistant");
    const rj = trlMessages(rejected, "/rejected", ctx, "assistant");
    let k = 0;
    while (k < c.length - 1 && k < rj.length - 1 && JSON.stringify(c[k]) === JSON.stringify(rj[k])) k++;
    input = c.slice(0, k);
    good = c.slice(k);
    bad = rj.slice(k);
    if (input.length === 0) fail("/chosen", "no prompt: chosen and rejected share no leading messages, and there is no `prompt`");
    ctx.change("implicit prompt -> input");
  } else {
    input = trlMessages(p, prompt !== undefined ? "/prompt" : "/question", ctx, "user");
    good = trlMessages(chosen, "/chosen", ctx, "assistant");
    bad = trlMessages(rejected, "/rejected", ctx, "assistant");
    // UltraFeedback-style: chosen and rejected repeat the prompt before their answers.
    if (good.length > 1 || bad.length > 1) {
      let k = 0;
      while (k < good.length - 1 && k < bad.length - 1 && JSON.stringify(good[k]) === JSON.stringify(bad[k])) k++;
      if (k > 0) {
        if (JSON.stringify(good.slice(0, k)) !== JSON.stringify(input)) {
          fail("/chosen", "chosen and rejected start with messages that differ from the prompt");
        }
        good = good.slice(k);
        bad = bad.slice(k);
        ctx.change("prompt repeated in chosen/rejected -> input");
      }
    }
  }
  for (const [list, at] of [
    [good, "/chosen"],
    [bad, "/rejected"],
  ] as const) {
    if (list.length !== 1 || list[0]!.role !== "assistant") fail(at, "a preference output must be exactly one assistant message");
  }
  ctx.change("prompt/chosen/rejected -> preference");
  return { ...rest, input: { messages: [...head, ...input] }, preferred_output: good, non_preferred_output: bad };
}

// ---------- streams ----------

/** One input record's outcome in a stream. */
export interface ConvertedItem {
  /** 0-based record index (-1 for a file-level problem). */
  index: number;
  /** 1-based line where the record starts in the input. */
  line: number;
  from: SourceFormat | null;
  /** The Together record as one JSONL line (undefined when it could not be converted). */
  text?: string;
  record?: Record<string, unknown>;
  changes: ConvertChange[];
  /** Why the record could not be converted. */
  issue?: ConvertIssue;
  /** The source record as one line (to keep it when it cannot be converted); null for a file-level problem. */
  original: string | null;
  /** A blank JSONL line (no record). */
  blank?: boolean;
}

/**
 * Converts a byte stream (a JSON array, JSONL, or concatenated JSON values; plain or gzip) record by record, without
 * holding the file. With `from: "auto"` the first record's format is used for every record after it that fits
 * no other format; each record is still detected on its own.
 */
export async function* convertStream(
  source: ByteSource,
  options: ConvertOptions & { onContainer?: (c: Container) => void } = {},
): AsyncGenerator<ConvertedItem> {
  for await (const item of readRecords(source, {
    maxElementBytes: options.maxLineBytes,
    signal: options.signal,
    onContainer: options.onContainer,
  })) {
    if (item.blank) {
      yield { index: -1, line: item.line, from: null, changes: [], original: null, blank: true };
      continue;
    }
    if (item.error !== undefined) {
      yield {
        index: item.index,
        line: item.line,
        from: null,
        changes: [],
        original: item.index >= 0 ? oneLine(item.text) : null,
        issue: { index: item.index >= 0 ? item.index : null, line: item.line, pointer: "", message: item.error },
      };
      continue;
    }
    const r = convertRecord(item.value, options);
    if (r.error) {
      yield {
        index: item.index,
        line: item.line,
        from: r.from,
        changes: r.changes,
        original: JSON.stringify(item.value),
        issue: { index: item.index, line: item.line, pointer: r.error.pointer, message: r.error.message },
      };
      continue;
    }
    yield {
      index: item.index,
      line: item.line,
      from: r.from,
      record: r.record,
      text: JSON.stringify(r.record),
      changes: r.changes,
      original: null,
    };
  }
}

/** Unparseable element text on one line (newlines escaped would change it: join lines with a space). */
function oneLine(text: string): string {
  return text.replace(/\r?\n/g, " ");
}
