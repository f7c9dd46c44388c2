/**
 * Tool calls of a record, for the tool-call rules: the declared tools, each call with its pointer, arguments decoded,
 * and the pairing of calls with `tool` messages along each conversation (DPO: the input followed by each output).
 */
import { anyMessage, isObject } from "./record.js";
import type { DatasetFormat } from "../../types.js";
import type { RecordContext } from "../types.js";

type Msg = Record<string, unknown>;

export interface MessageAt {
  message: Msg;
  pointer: string;
}

export interface CallAt {
  /** Pointer of the call (`.../tool_calls/j`). */
  pointer: string;
  id: string | null;
  name: string | null;
  /** `function.arguments` as given. */
  args: unknown;
  /** Index of the call's message in its thread. */
  at: number;
}

/** The record's declared tools (`tools`, or `input.tools` for DPO) and their pointer; null when absent. */
export function toolsOf(record: Record<string, unknown>, format: DatasetFormat): { tools: unknown; pointer: string } | null {
  if (format === "preference") {
    if (isObject(record.input) && record.input.tools !== undefined) return { tools: record.input.tools, pointer: "/input/tools" };
    return null;
  }
  if (record.tools !== undefined) return { tools: record.tools, pointer: "/tools" };
  return null;
}

export interface Declared {
  name: string;
  parameters: unknown;
  /** Pointer of the tool (`/tools/i`). */
  pointer: string;
}

/** Declared functions by name (the first declaration of a name wins). */
export function declaredFunctions(tools: unknown, base: string): Map<string, Declared> {
  const out = new Map<string, Declared>();
  if (!Array.isArray(tools)) return out;
  tools.forEach((t, i) => {
    const fn = isObject(t) ? t.function : undefined;
    if (isObject(fn) && typeof fn.name === "string" && !out.has(fn.name)) {
      out.set(fn.name, { name: fn.name, parameters: fn.parameters, pointer: `${base}/${i}` });
    }
  });
  return out;
}

/** The conversations to follow: SFT messages; DPO input + preferred output, input + non-preferred output. */
export function threads(record: Record<string, unknown>, format: DatasetFormat): MessageAt[][] {
  const list = (v: unknown, base: string): MessageAt[] =>
    Array.isArray(v) ? v.flatMap((m, i) => (isObject(m) ? [{ message: m, pointer: `${base}/${i}` }] : [])) : [];
  if (format === "conversation") return [list(record.messages, "/messages")];
  if (format === "preference") {
    const input = list(isObject(record.input) ? record.input.messages : undefined, "/input/messages");
    return [
      [...input, ...list(record.preferred_output, "/preferred_output")],
      [...input, ...list(record.non_preferred_output, "/non_preferred_output")],
    ];
  }
  return [];
}

/** Whether a record has anything the tool rules look at: a plain loop, no allocation (every record pays it). */
export function hasToolTraffic(record: Record<string, unknown>, format: DatasetFormat): boolean {
  return anyMessage(record, format, (m) => m.role === "tool" || m.tool_calls !== undefined);
}

/** The calls of one message. */
export function callsOf(message: Msg, pointer: string, at: number): CallAt[] {
  const calls = message.tool_calls;
  if (!Array.isArray(calls)) return [];
  const out: CallAt[] = [];
  calls.forEach((c, j) => {
    if (!isObject(c)) return;
    const fn = isObject(c.function) ? c.function : null;
    out.push({
      pointer: `${pointer}/tool_calls/${j}`,
      id: typeof c.id === "string" ? c.id : null,
      name: fn && typeof fn.name === "string" ? fn.name : null,
      args: fn ? fn.arguments : undefined,
      at,
    });
  });
  return out;
}

export type Decoded =
  | { ok: true; value: Record<string, unknown> }
  | { ok: false; kind: "unparsable"; error: string }
  | { ok: false; kind: "notObject"; found: string }
  | { ok: false; kind: "doubleEncoded" }
  | { ok: false; kind: "absent" };

/** Decodes `function.arguments`: an object as is, a string as JSON that must give an object. */
export function decodeArguments(args: unknown): Decoded {
  if (isObject(args)) return { ok: true, value: args };
  if (typeof args !== "string") return { ok: false, kind: "absent" };
  let v: unknown;
  try {
    v = JSON.parse(args);
  } catch (e) {
    return { ok: false, kind: "unparsable", error: (e as Error).message };
  }
  if (isObject(v)) return { ok: true, value: v };
  if (typeof v === "string") {
    try {
      const inner: unknown = JSON.parse(v);
      if (typeof inner === "object" && inner !== null) return { ok: false, kind: "doubleEncoded" };
    } catch {
      // a plain string
    }
  }
  return { ok: false, kind: "notObject", found: v === null ? "null" : Array.isArray(v) ? "an array" : `a ${typeof v}` };
}

export type PairingEvent =
  | { kind: "duplicateId"; call: CallAt; first: CallAt }
  | { kind: "orphan"; reason: "noCall" | "unknownId" | "alreadyAnswered" | "missingId"; pointer: string; id: string | null }
  | { kind: "unanswered"; call: CallAt; next: { role: string; pointer: string } | null };

/**
 * Follows one conversation: call ids unique; every tool message answers an earlier call (by tool_call_id, or the next
 * unanswered call when it gives none); every call answered before the next user or assistant message. A conversation
 * that ends with calls and no tool message is fine (the example teaches the call); one that ends after answering only
 * some of them reports the others.
 */
export function pairCalls(thread: MessageAt[]): PairingEvent[] {
  const events: PairingEvent[] = [];
  // calls by id: a repeated id is reported once (duplicateId) and its answers go to its calls in order, no cascade
  const byId = new Map<string, CallAt[]>();
  const answered = new Set<CallAt>();
  let pending: CallAt[] = [];
  let answeredSome = false;
  const flush = (next: { role: string; pointer: string } | null) => {
    for (const call of pending) if (!answered.has(call)) events.push({ kind: "unanswered", call, next });
    pending = [];
    answeredSome = false;
  };
  thread.forEach(({ message, pointer }, i) => {
    const role = message.role;
    if (role === "tool") {
      const id = typeof message.tool_call_id === "string" ? message.tool_call_id : null;
      let call: CallAt | undefined;
      if (id !== null) {
        const calls = byId.get(id);
        if (!calls) {
          events.push({
            kind: "orphan",
            reason: byId.size === 0 && pending.length === 0 ? "noCall" : "unknownId",
            pointer: `${pointer}/tool_call_id`,
            id,
          });
          return;
        }
        call = calls.find((c) => !answered.has(c));
        if (!call) {
          events.push({ kind: "orphan", reason: "alreadyAnswered", pointer: `${pointer}/tool_call_id`, id });
          return;
        }
      } else {
        call = pending.find((c) => !answered.has(c));
        if (!call) {
          events.push({ kind: "orphan", reason: "noCall", pointer, id: null });
          return;
        }
        // the waiting call has an id: a result without one cannot say it answers it (paired in order all the same)
        if (call.id !== null) events.push({ kind: "orphan", reason: "missingId", pointer, id: call.id });
      }
      answered.add(call);
      answeredSome = true;
      return;
    }
    if (role === "user" || role === "assistant") {
      if (pending.length) flush({ role, pointer });
      if (role === "assistant") {
        for (const call of callsOf(message, pointer, i)) {
          if (call.id !== null) {
            const same = byId.get(call.id);
            if (same) {
              events.push({ kind: "duplicateId", call, first: same[0]! });
              same.push(call);
            } else byId.set(call.id, [call]);
          }
          pending.push(call);
        }
      }
    }
  });
  if (pending.length && answeredSome) flush(null);
  return events;
}

const pairings = new WeakMap<RecordContext, PairingEvent[]>();

/**
 * The pairing events of one record, of one kind: `pairCalls` over the record's threads runs once per judged record
 * (the context object is new for every line) and serves the three rules that read it. An event of the DPO input,
 * which both threads share, is kept once: the first seen for its pointer.
 */
export function pairingEvents<K extends PairingEvent["kind"]>(ctx: RecordContext, kind: K): Extract<PairingEvent, { kind: K }>[] {
  let all = pairings.get(ctx);
  if (!all) {
    all = [];
    if (hasToolTraffic(ctx.record, ctx.format)) {
      const seen = new Set<string>();
      for (const thread of threads(ctx.record, ctx.format)) {
        for (const e of pairCalls(thread)) {
          const key = `${e.kind}\u0000${e.kind === "orphan" ? e.pointer : e.call.pointer}`;
          if (seen.has(key)) continue;
          seen.add(key);
          all.push(e);
        }
      }
    }
    pairings.set(ctx, all);
  }
  return all.filter((e): e is Extract<PairingEvent, { kind: K }> => e.kind === kind);
}
