import { pairingEvents } from "./utils/tools.js";
import { defineRule } from "./types.js";

export default defineRule({
  meta: {
    id: "tool-call-unanswered",
    severity: "error",
    description: "Require every tool call to be answered by a `tool` message before the conversation moves on.",
    messages: {
      unanswered:
        "Tool call {{id}}({{name}}) gets no answer: no tool message answers it before the next {{next}} message ({{nextPointer}}).",
      unansweredAtEnd:
        "Tool call {{id}}({{name}}) gets no answer: the conversation ends after answering only some of the calls of its message.",
    },
    scope: "record",
    formats: ["conversation", "preference"],
    docs:
      "After an assistant message with `tool_calls`, each call is answered by a `tool` message (its `tool_call_id` is the call's `id`) " +
      "before the conversation continues. A call with no answer before the next user or assistant message means the result was lost " +
      "in the export, or the ids do not match: the model learns to go on without results (or to invent them).\n\n" +
      "A conversation that **ends** with the calls is fine: that is how an example teaches the model to call (the last assistant " +
      "message is the call). It is reported only when some of that message's calls are answered and others are not.\n\n" +
      "**Severity: error.** OpenAI-compatible chat APIs refuse such a conversation (\"An assistant message with 'tool_calls' must be " +
      "followed by tool messages responding to each 'tool_call_id'\"). Add the missing result, or fix its `tool_call_id`.",
    examples: {
      bad: [
        '{"messages": [{"role": "user", "content": "Weather?"}, {"role": "assistant", "tool_calls": [{"id": "c1", "type": "function", "function": {"name": "w", "arguments": "{}"}}]}, {"role": "user", "content": "Well?"}, {"role": "assistant", "content": "Sorry."}]}',
      ],
      good: [
        '{"messages": [{"role": "user", "content": "Weather?"}, {"role": "assistant", "tool_calls": [{"id": "c1", "type": "function", "function": {"name": "w", "arguments": "{}"}}]}, {"role": "tool", "tool_call_id": "c1", "content": "sunny"}, {"role": "assistant", "content": "Sunny."}]}',
      ],
    },
    since: "0.1.0",
  },
  latin1View: "safe",
  create: () => ({
    record(ctx, report) {
      for (const e of pairingEvents(ctx, "unanswered")) {
        const data = { id: e.call.id !== null ? `"${e.call.id}" ` : "", name: e.call.name ?? "?" };
        if (e.next)
          report({ messageId: "unanswered", pointer: e.call.pointer, data: { ...data, next: e.next.role, nextPointer: e.next.pointer } });
        else report({ messageId: "unansweredAtEnd", pointer: e.call.pointer, data });
      }
    },
  }),
});
