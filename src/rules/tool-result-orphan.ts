import { pairingEvents } from "./utils/tools.js";
import { defineRule } from "./types.js";

export default defineRule({
  meta: {
    id: "tool-result-orphan",
    severity: "error",
    description: "Require every `tool` message to answer an earlier tool call.",
    messages: {
      noCall: "This tool message answers no call: no earlier assistant message has `tool_calls`.",
      unknownId: 'This tool message answers call "{{id}}", but no earlier call has that id.',
      alreadyAnswered: 'Call "{{id}}" was already answered by an earlier tool message.',
      missingId: 'This tool message has no "tool_call_id": give the id of the call it answers ("{{id}}").',
    },
    scope: "record",
    formats: ["conversation", "preference"],
    docs:
      "A `tool` message carries the result of a call the assistant made: its `tool_call_id` names that call (an earlier " +
      "`tool_calls[].id`). A tool message without a matching call (the call was cut from the conversation, ids renumbered, or the " +
      "result duplicated) shows the model results out of nowhere. A tool message without `tool_call_id` is paired with the next " +
      "unanswered call in order, as chat templates pair them: it is reported when no call is waiting, and when the waiting call " +
      "has an `id` (the result should name it, as Together's format gives it). Data without ids on either side is fine.\n\n" +
      "**Severity: error.** OpenAI-compatible chat APIs refuse such a conversation (\"messages with role 'tool' must be a response to a " +
      "preceding message with 'tool_calls'\"), and templates that pair results with calls by id fail or misplace it. Fix the ids, or " +
      "drop the stray result.",
    examples: {
      bad: [
        '{"messages": [{"role": "user", "content": "Weather?"}, {"role": "assistant", "tool_calls": [{"id": "c1", "type": "function", "function": {"name": "w", "arguments": "{}"}}]}, {"role": "tool", "tool_call_id": "c2", "content": "sunny"}, {"role": "assistant", "content": "Sunny."}]}',
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
      for (const e of pairingEvents(ctx, "orphan")) {
        report({ messageId: e.reason, pointer: e.pointer, data: { id: e.id } });
      }
    },
  }),
});
