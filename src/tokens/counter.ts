/**
 * Turns one dataset record into token counts the way the fine-tuning trainer sees it.
 *
 * - conversation: `messages` (and `tools`, when present) rendered with the model's chat template exactly like
 *   transformers `apply_chat_template(messages, tools=tools, tokenize=True, add_generation_prompt=False)`: the
 *   template supplies BOS and every special token, nothing is added on top, special-token text inside content is
 *   matched as special tokens. promptTokens = tokens of the messages before the first trained assistant message
 *   (first assistant message whose `weight` is not 0), rendered with add_generation_prompt=True. It is computed
 *   lazily, on first read of the property (a second render + tokenization that most records never need).
 * - preference (DPO): `input.messages` + `preferred_output`, and + `non_preferred_output`, both rendered as above;
 *   total = the longer of the two; promptTokens = `input.messages` rendered with add_generation_prompt=True.
 * - instruction: no chat template. The tokenizer's own specials (what add_special_tokens=True adds, e.g. BOS) +
 *   tokens(prompt) + tokens(completion) + 1 (EOS). Prompt and completion are tokenized separately, as a trainer that
 *   masks the prompt must. promptTokens = specials + tokens(prompt).
 * - general: specials + tokens(text) + 1 (EOS); promptTokens = 0 (every token is trained).
 * Multimodal content (a list of parts, also `prompt` / `completion` of the VLM instruction format): the text parts are
 * joined (no separator) and passed as a string; image parts add no tokens (their cost depends on the vision encoder and
 * resolution) and are reported in `images`.
 * Reasoning (`reasoning` or `reasoning_content` on assistant messages): handed to the template as `reasoning_content`,
 * the name chat templates read; it counts exactly as far as the template prints it (Qwen 3: inside <think>, for the
 * turns after the last user message; the other shipped templates ignore it).
 * A template error (raise_exception, or a record shape the template cannot handle) never throws: the record is
 * counted with a neutral fallback layout and flagged `exact: false` with the template's message.
 */
import type { DatasetFormat, TrainOnInputs } from "../types.js";
import type { Engine } from "./types.js";
import type { ChatTemplate } from "./jinja.js";
import { SkeletonRenderer, type SkeletonContract } from "./skeleton.js";

export interface RecordTokens {
  /** Tokens of the whole example as trained (DPO: input + longer output). */
  total: number;
  /** Tokens before the first trained token (assistant / completion / preferred output). */
  promptTokens: number;
  /**
   * Tokens that enter the loss as Together trains them (see `TrainOnInputs`). Conversation: for each trained message
   * (assistant, weight not 0; with train_on_inputs true every message but those of weight 0) the tokens it adds to the
   * rendering: render(messages[0..i+1]) minus render(messages[0..i], add_generation_prompt for an assistant message),
   * i.e. its content and end-of-turn tokens, not the role header; with train_on_inputs true, total minus the spans
   * of the weight-0 messages. DPO: both outputs (each input + output minus the input with the generation prompt).
   * Instruction: completion + EOS (train_on_inputs true: total). General: total. Computed on first read.
   */
  trained: number;
  /** Present and false when this record could not be counted exactly (template error: see `note`). */
  exact?: boolean;
  /** Image parts seen in multimodal content (not counted in `total`). */
  images?: number;
  /** Why the count is not exact. */
  note?: string;
}

type Msg = Record<string, unknown>;

export interface CounterParts {
  engine: Engine;
  template: ChatTemplate | null;
  bosToken: string | null;
  eosToken: string | null;
  /** Tokens the model's tokenizer adds on a plain encode (BOS: 1, or 0), for instruction and general records. */
  specials: number;
  extra?: Record<string, unknown>;
  now?: () => Date;
  /** The template is content-opaque for plain conversations (skeleton.ts): render those from a cached skeleton. */
  contract?: SkeletonContract;
  /** Together's train_on_inputs (default "auto"): which tokens `trained` counts. */
  trainOnInputs?: TrainOnInputs;
}

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Copies messages, flattening multimodal content to its text. */
function normalize(messages: unknown, img: { n: number }): Msg[] {
  if (!Array.isArray(messages)) return [];
  const out: Msg[] = [];
  for (const m of messages) {
    if (!isObj(m)) continue;
    const c = m.content;
    const copy: Msg = Array.isArray(c) ? { ...m, content: partsText(c, img) } : { ...m };
    // Reasoning format: Together takes `reasoning` or `reasoning_content`; chat templates read `reasoning_content`
    // (Qwen 3 renders it inside <think>), so `reasoning` is passed under that name. Templates that ignore it count nothing.
    if (typeof m.reasoning === "string" && m.reasoning_content === undefined) copy.reasoning_content = m.reasoning;
    out.push(copy);
  }
  return out;
}

/** The text parts of a content-part list joined without separator; other parts are images (counted in `img`). */
function partsText(parts: unknown[], img: { n: number }): string {
  let text = "";
  for (const part of parts) {
    if (isObj(part) && part.type === "text" && typeof part.text === "string") text += part.text;
    else if (typeof part === "string") text += part;
    else img.n++;
  }
  return text;
}

function weightZero(m: Msg): boolean {
  return m.weight === 0 || m.weight === false;
}

/**
 * Lazily computed, cached, writable number properties (never computed unless read): own enumerable accessors (a
 * JSON or structured copy of the result has them), whose getters and setters are the same functions for every record.
 * A getter closing over the record would give each result its own hidden class, and V8 keeps those maps (and through
 * them each record's messages and rendered text) alive through every minor collection until the next full one: on a
 * 50 MB chat file that promoted about 80 MB of garbage to the old generation.
 */
const LAZY = Symbol("lazy");
type LazyState = { fns: Record<string, () => number>; values: Record<string, number> };
type WithLazy = { [LAZY]: LazyState };
function accessor(key: string): PropertyDescriptor {
  return {
    enumerable: true,
    configurable: true,
    get(this: WithLazy) {
      const s = this[LAZY];
      return (s.values[key] ??= s.fns[key]!());
    },
    set(this: WithLazy, v: number) {
      this[LAZY].values[key] = v;
    },
  };
}
const LAZY_PROPS = { promptTokens: accessor("promptTokens"), trained: accessor("trained") };
function lazyTokens(total: number, prompt: () => number, trained: (r: RecordTokens) => number): RecordTokens {
  const r = { total } as RecordTokens & WithLazy;
  Object.defineProperty(r, LAZY, { value: { fns: { promptTokens: prompt, trained: () => trained(r) }, values: {} } });
  Object.defineProperties(r, LAZY_PROPS);
  return r;
}

function firstTrained(messages: Msg[]): number {
  let firstAssistant = -1;
  for (let i = 0; i < messages.length; i++) {
    const m = messages[i]!;
    if (m.role !== "assistant") continue;
    if (firstAssistant < 0) firstAssistant = i;
    if (m.weight !== 0 && m.weight !== false) return i;
  }
  return firstAssistant;
}

export class RecordCounter {
  private readonly skeleton: SkeletonRenderer | null;
  constructor(private readonly p: CounterParts) {
    this.skeleton = p.contract && p.template ? new SkeletonRenderer(p.contract, (m, g) => this.jinja(m, null, g)) : null;
  }

  private render(messages: Msg[], tools: unknown, addGen: boolean): string {
    if (this.skeleton) {
      const s = this.skeleton.tryRender(messages, tools, addGen);
      if (s !== undefined) return s;
    }
    return this.jinja(messages, tools, addGen);
  }

  private jinja(messages: Msg[], tools: unknown, addGen: boolean): string {
    if (!this.p.template) throw new Error("no chat template");
    return this.p.template.render({
      messages,
      tools: Array.isArray(tools) && tools.length > 0 ? tools : null,
      addGenerationPrompt: addGen,
      bosToken: this.p.bosToken,
      eosToken: this.p.eosToken,
      extra: this.p.extra,
      now: this.p.now,
    });
  }

  /** Renders; on failure retries with null contents as "" (some templates concatenate content); else throws. */
  private renderSafe(messages: Msg[], tools: unknown, addGen: boolean): string {
    try {
      return this.render(messages, tools, addGen);
    } catch (e) {
      if (messages.some((m) => m.content === null || m.content === undefined)) {
        const fixed = messages.map((m) => (m.content === null || m.content === undefined ? { ...m, content: "" } : m));
        return this.render(fixed, tools, addGen);
      }
      throw e;
    }
  }

  /** Neutral layout when the template refuses a record: BOS + per message role line + content + end marker. */
  private fallbackCount(messages: Msg[], tools: unknown): number {
    const e = this.p.engine;
    let n = this.p.specials;
    if (Array.isArray(tools) && tools.length > 0) n += e.count(JSON.stringify(tools)) + 4;
    for (const m of messages) {
      n += 4 + e.count(typeof m.content === "string" ? m.content : m.content == null ? "" : JSON.stringify(m.content));
      if (m.tool_calls !== undefined) n += e.count(JSON.stringify(m.tool_calls));
    }
    return n;
  }

  /** Whether a message of a conversation enters the loss (`all`: train_on_inputs true). */
  private trainedMessage(m: Msg, all: boolean): boolean {
    return !weightZero(m) && (all || m.role === "assistant");
  }

  /** Trained tokens by the neutral layout (the template refused the record): 4 + content (+ tool calls) per message. */
  private fallbackTrained(messages: Msg[], total: number, outputs: boolean): number {
    const all = !outputs && this.p.trainOnInputs === true;
    const span = (m: Msg) => this.fallbackCount([m], null) - this.p.specials;
    let n = 0;
    if (all) {
      n = total;
      for (const m of messages) if (weightZero(m)) n -= span(m);
      return Math.max(0, n);
    }
    for (const m of messages) if (this.trainedMessage(m, false)) n += span(m);
    return Math.min(n, total);
  }

  private conversation(messages: Msg[], tools: unknown, outputs: Msg[][] | null): RecordTokens {
    const e = this.p.engine;
    const variants = outputs ? outputs.map((o) => [...messages, ...o]) : [messages];
    const full = variants[0]!;
    const k = outputs ? messages.length : firstTrained(full);
    let total = 0;
    const totals: number[] = [];
    try {
      for (const v of variants) {
        const n = e.count(this.renderSafe(v, tools, false));
        totals.push(n);
        total = Math.max(total, n);
      }
    } catch (err) {
      const note = `chat template failed: ${err instanceof Error ? err.message : String(err)}`;
      for (const v of variants) total = Math.max(total, this.fallbackCount(v, tools));
      const promptTokens = k < 0 ? total : this.fallbackCount(full.slice(0, k), tools);
      const trained = outputs
        ? outputs.reduce((n, o) => n + this.fallbackTrained(o, total, true), 0)
        : this.fallbackTrained(full, total, false);
      return { total, promptTokens: Math.min(promptTokens, total), trained, exact: false, note };
    }
    // promptTokens costs a second render and tokenization: computed on first read only (rules read it when an
    // example is over the limit). Never throws.
    const prompt = (): number => {
      if (k < 0) return total;
      try {
        return Math.min(total, e.count(this.renderSafe(full.slice(0, k), tools, true)));
      } catch {
        // k === 0: most templates cannot render an empty conversation; a prefix the template refuses: neutral layout.
        return k === 0 ? 0 : Math.min(total, this.fallbackCount(full.slice(0, k), tools));
      }
    };
    return lazyTokens(total, prompt, (r) => {
      if (outputs) {
        // DPO: both outputs enter the loss; each is its full rendering minus the input with the generation prompt.
        const p = r.promptTokens;
        return totals.reduce((n, t) => n + Math.max(0, t - p), 0);
      }
      return this.trainedSpans(full, tools, total, k, () => r.promptTokens);
    });
  }

  /** Tokens the message at `i` adds to the rendering of the messages before it (see RecordTokens.trained). */
  private span(messages: Msg[], tools: unknown, i: number, total: number, prompt: (() => number) | null): number {
    const e = this.p.engine;
    try {
      const upTo = i === messages.length - 1 ? total : e.count(this.renderSafe(messages.slice(0, i + 1), tools, false));
      let before: number;
      if (prompt) before = prompt();
      else if (i === 0) before = 0;
      else before = e.count(this.renderSafe(messages.slice(0, i), tools, messages[i]!.role === "assistant"));
      return Math.max(0, upTo - before);
    } catch {
      return Math.max(0, this.fallbackCount([messages[i]!], null) - this.p.specials);
    }
  }

  private trainedSpans(messages: Msg[], tools: unknown, total: number, first: number, prompt: () => number): number {
    if (this.p.trainOnInputs === true) {
      let n = total;
      for (let i = 0; i < messages.length; i++) if (weightZero(messages[i]!)) n -= this.span(messages, tools, i, total, null);
      return Math.max(0, n);
    }
    let n = 0;
    for (let i = 0; i < messages.length; i++) {
      const m = messages[i]!;
      if (!this.trainedMessage(m, false)) continue;
      // The first trained message starts where the prompt (rendered with the generation prompt) ends.
      n += this.span(messages, tools, i, total, i === first ? prompt : null);
    }
    return Math.min(n, total);
  }

  count(record: Record<string, unknown>, format: DatasetFormat): RecordTokens {
    const e = this.p.engine;
    e.nextRecord?.();
    const img = { n: 0 };
    let r: RecordTokens;
    try {
      switch (format) {
        case "conversation":
          r = this.conversation(normalize(record.messages, img), record.tools, null);
          break;
        case "preference": {
          const input = isObj(record.input) ? record.input : {};
          const tools = input.tools ?? record.tools;
          r = this.conversation(normalize(input.messages, img), tools, [
            normalize(record.preferred_output, img),
            normalize(record.non_preferred_output, img),
          ]);
          break;
        }
        case "instruction": {
          const prompt = this.p.specials + e.count(str(record.prompt, img));
          const total = prompt + e.count(str(record.completion, img)) + 1;
          r = { total, promptTokens: prompt, trained: this.p.trainOnInputs === true ? total : total - prompt };
          break;
        }
        case "general":
        default: {
          const total = this.p.specials + e.count(str(record.text)) + 1;
          r = { total, promptTokens: 0, trained: total };
        }
      }
    } catch (err) {
      r = {
        total: 0,
        promptTokens: 0,
        trained: 0,
        exact: false,
        note: `could not count: ${err instanceof Error ? err.message : String(err)}`,
      };
    }
    if (img.n > 0) r.images = img.n;
    return r;
  }
}

/** A field as text: a string, or the text parts of a part list (VLM instruction format; images counted in `img`). */
function str(v: unknown, img?: { n: number }): string {
  if (Array.isArray(v) && img) return partsText(v, img);
  return typeof v === "string" ? v : v == null ? "" : JSON.stringify(v);
}
