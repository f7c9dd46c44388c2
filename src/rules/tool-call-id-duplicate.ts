import { pairingEvents } from "./utils/tools.js";
import { defineRule } from "./types.js";

export default defineRule({
  meta: {
    id: "tool-call-id-duplicate",
    severity: "error",
    description: "Require tool-call ids to be unique within a record.",
    messages: {
      duplicate:
        'Tool call id "{{id}}" is used twice in this conversation (first at {{first}}): a tool result cannot say which call it answers.',
    },
    scope: "record",
    formats: ["conversation", "preference"],
    docs:
      "A `tool` message answers a call by its `tool_call_id`. Two calls with the same id in one conversation (often a constant id such as " +
      '`"call_1"` written by an export for every call) make the answers ambiguous: templates that print ids pair them wrongly, and the ' +
      "conversation cannot be sent to an OpenAI-compatible API. In DPO records the input and each output form one conversation; the two " +
      "outputs may reuse each other's ids (they are alternatives).\n\n" +
      "**Severity: error**, like every break of the call/answer pairing: OpenAI-compatible chat APIs refuse such a conversation, so the " +
      "model is trained on exchanges that cannot happen. Give every call its own id.",
    examples: {
      bad: [
        '{"messages": [{"role": "user", "content": "Weather in Paris and Rome?"}, {"role": "assistant", "tool_calls": [{"id": "c1", "type": "function", "function": {"name": "w", "arguments": "{\\"city\\": \\"Paris\\"}"}}, {"id": "c1", "type": "function", "function": {"name": "w", "arguments": "{\\"city\\": \\"Rome\\"}"}}]}]}',
      ],
      good: [
        '{"messages": [{"role": "user", "content": "Weather in Paris and Rome?"}, {"role": "assistant", "tool_calls": [{"id": "c1", "type": "function", "function": {"name": "w", "arguments": "{\\"city\\": \\"Paris\\"}"}}, {"id": "c2", "type": "function", "function": {"name": "w", "arguments": "{\\"city\\": \\"Rome\\"}"}}]}]}',
      ],
    },
    since: "0.1.0",
  },
  latin1View: "safe",
  create: () => ({
    record(ctx, report) {
      for (const e of pairingEvents(ctx, "duplicateId")) {
        report({ messageId: "duplicate", pointer: `${e.call.pointer}/id`, data: { id: e.call.id, first: e.first.pointer } });
      }
    },
  }),
});
