/**
 * Render cache for chat templates that treat message contents as opaque text.
 *
 * Rendering a record with @huggingface/jinja costs about as much as tokenizing it. For the templates listed in
 * CONTRACTS, the rendered string of a plain conversation (roles system/user/assistant, string contents, no tools, no
 * tool calls) is a fixed skeleton that depends only on the sequence of roles and add_generation_prompt, with each
 * message's content (Llama 3.x: `content|trim`) spliced in. The skeleton is obtained by rendering the template itself
 * with sentinel contents once per shape, so everything the template prints around the contents comes from the real
 * template. Records outside the contract (tools, tool calls, other keys or roles, non-string content) are rendered by
 * Jinja as before. Equality with the Jinja rendering is tested in test/tokens/skeleton.test.ts.
 *
 * Why a contract per template and not every template: a template may branch on the content itself (Qwen 3 and
 * DeepSeek R1 split assistant content at `</think>`), which no sentinel can reveal. The listed templates were read:
 * they only print the content (or `content|trim`).
 */
import { pyStrip } from "./jinja.js";

export interface SkeletonContract {
  /** The template prints `content|trim` (Python str.strip), never the raw content. */
  trim: boolean;
}

/** Shipped templates (data/templates/<name>.jinja) whose plain conversations are content-opaque. */
export const CONTRACTS: Record<string, SkeletonContract> = {
  llama3: { trim: true },
  "llama3.1": { trim: true },
  "qwen2.5": { trim: false },
};

const ROLES = new Set(["system", "user", "assistant"]);
const KEYS = new Set(["role", "content", "weight"]);
const SENTINEL = /\uE000(\d+)\uE001/g;
const sentinel = (i: number) => `\uE000${i}\uE001`;

interface Skeleton {
  parts: string[];
  order: number[];
}

type Msg = Record<string, unknown>;

export class SkeletonRenderer {
  private readonly shapes = new Map<string, Skeleton | null>();
  constructor(
    private readonly contract: SkeletonContract,
    /** Renders with the real template (same variables as the counter). */
    private readonly render: (messages: Msg[], addGen: boolean) => string,
    private readonly maxShapes = 512,
  ) {}

  /** The rendered string, or undefined when the record is outside the contract (render it with Jinja). */
  tryRender(messages: Msg[], tools: unknown, addGen: boolean): string | undefined {
    if (Array.isArray(tools) && tools.length > 0) return undefined;
    if (tools !== undefined && tools !== null && !Array.isArray(tools)) return undefined;
    if (messages.length === 0) return undefined;
    let key = addGen ? "g" : "n";
    for (const m of messages) {
      if (typeof m.content !== "string" || typeof m.role !== "string" || !ROLES.has(m.role)) return undefined;
      for (const k in m) if (!KEYS.has(k)) return undefined;
      key += m.role[0];
    }
    let sk = this.shapes.get(key);
    if (sk === undefined) {
      sk = this.build(messages, addGen);
      if (this.shapes.size >= this.maxShapes) this.shapes.clear();
      this.shapes.set(key, sk);
    }
    if (sk === null) return undefined;
    let out = sk.parts[0]!;
    for (let i = 0; i < sk.order.length; i++) {
      const c = messages[sk.order[i]!]!.content as string;
      out += (this.contract.trim ? pyStrip(c) : c) + sk.parts[i + 1]!;
    }
    return out;
  }

  private build(messages: Msg[], addGen: boolean): Skeleton | null {
    let text: string;
    try {
      text = this.render(
        messages.map((m, i) => ({ role: m.role, content: sentinel(i) })),
        addGen,
      );
    } catch {
      return null; // the template refuses this shape: Jinja raises the real error for each record
    }
    const parts: string[] = [];
    const order: number[] = [];
    const seen = new Set<number>();
    let pos = 0;
    for (const m of text.matchAll(SENTINEL)) {
      const i = Number(m[1]);
      if (seen.has(i) || i >= messages.length) return null;
      seen.add(i);
      parts.push(text.slice(pos, m.index));
      order.push(i);
      pos = m.index! + m[0].length;
    }
    parts.push(text.slice(pos));
    // every content printed exactly once, and nothing of a sentinel left over
    if (seen.size !== messages.length || parts.some((p) => p.includes("\uE000") || p.includes("\uE001"))) return null;
    return { parts, order };
  }
}
