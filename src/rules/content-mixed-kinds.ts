import { allMessages } from "./utils/record.js";
import { defineRule } from "./types.js";

export default defineRule({
  meta: {
    id: "content-mixed-kinds",
    severity: "error",
    description: "Require a conversation's contents to be all strings or all part lists.",
    messages: {
      mixed:
        "This message's content is a {{kind}} but message {{firstPointer}} uses a {{firstKind}}: a conversation must be all strings or all part lists.",
    },
    scope: "record",
    formats: ["conversation", "preference"],
    docs: 'Together processes a conversation either as text-only or as multimodal; mixing plain-string contents with lists of parts in one example is rejected. Wrap plain strings as `[{"type": "text", "text": "..."}]`.',
    since: "0.1.0",
  },
  latin1View: "safe",
  create: () => ({
    record(ctx, report) {
      let first: { kind: string; pointer: string } | null = null;
      for (const { message, pointer } of allMessages(ctx.record, ctx.format)) {
        const c = message.content;
        const kind = typeof c === "string" ? "string" : Array.isArray(c) ? "list of parts" : null;
        if (!kind) continue;
        if (!first) first = { kind, pointer };
        else if (kind !== first.kind) {
          report({ messageId: "mixed", pointer: `${pointer}/content`, data: { kind, firstKind: first.kind, firstPointer: first.pointer } });
        }
      }
    },
  }),
});
