import { conversationOf, isObject } from "./utils/record.js";
import { isBlankView } from "./utils/view.js";
import { defineRule } from "./types.js";

type Msg = Record<string, unknown>;

const zero = (m: Msg) => m.weight === 0 || m.weight === false;

/** The text a message trains on: its string content or text parts joined; tool calls count as something. */
function hasText(m: Msg, latin1: boolean | undefined): boolean {
  const isBlank = (s: string) => isBlankView(s, latin1);
  if (Array.isArray(m.tool_calls) && m.tool_calls.length > 0) return true;
  for (const key of ["reasoning", "reasoning_content"]) if (typeof m[key] === "string" && !isBlank(m[key])) return true;
  const c = m.content;
  if (typeof c === "string") return !isBlank(c);
  if (Array.isArray(c))
    return c.some((p) => (isObject(p) && typeof p.text === "string" ? !isBlank(p.text) : isObject(p) && p.type === "image_url"));
  return false;
}

export default defineRule({
  meta: {
    id: "no-trained-tokens",
    severity: "warning",
    description: "Report examples of which no token enters the loss (every assistant message weight 0, or empty).",
    messages: {
      allWeightZero:
        "Every assistant message has weight 0: with train_on_inputs {{mode}} nothing else is trained, so this example trains nothing.",
      emptyAssistant: "Every trained assistant message is empty: this example trains nothing but end-of-turn tokens.",
      emptyOutputs: "Both DPO outputs are empty: this pair teaches no preference.",
    },
    scope: "record",
    formats: ["conversation", "preference", "instruction"],
    docs:
      "Together trains on the assistant messages of a conversation (those whose `weight` is not 0), the completion of an instruction " +
      'record and the whole text of a general record (its `train_on_inputs: "auto"` default; `--train-on-inputs true` trains every token ' +
      "but those of weight-0 messages). An example in which no token enters the loss still costs its tokens (it is processed and billed) and " +
      'in some trainers makes the loss of its batch undefined ("all labels are -100").\n\n' +
      "Reported on the example's line:\n" +
      '- every assistant message has `"weight": 0` (works without `--model`; with `--train-on-inputs true` the other messages train and ' +
      "this is not reported);\n" +
      "- every trained assistant message is empty or whitespace (no text, no tool calls): the example trains an end-of-turn token only;\n" +
      "- both outputs of a DPO pair are empty.\n\n" +
      "With `--model` the count agrees: such a record has 0 trained tokens (or only end-of-turn tokens), and " +
      "`stats.tokens.untrained` counts the records of which no token is trained.\n\n" +
      "An example whose prompt alone fills the model's limit, so that truncation cuts every trained token, is reported by " +
      "[`assistant-truncated`](assistant-truncated.md).\n\n" +
      "**Severity: warning.** Together accepts such examples; they only waste tokens and money. Give the example a trained reply, set " +
      "`weight` to 1 on the reply to learn, or drop the example.",
    examples: {
      bad: ['{"messages": [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello!", "weight": 0}]}'],
      good: ['{"messages": [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello!"}]}'],
    },
    since: "0.1.0",
  },
  latin1View: "safe",
  create: () => ({
    record(ctx, report) {
      const mode = String(ctx.trainOnInputs);
      if (ctx.format === "conversation") {
        const conv = conversationOf(ctx.record, ctx.format);
        if (conv) {
          const assistants: { m: Msg; i: number }[] = [];
          conv.messages.forEach((m, i) => {
            if (isObject(m) && m.role === "assistant") assistants.push({ m, i });
          });
          if (assistants.length === 0) return; // assistant-missing
          const trained = assistants.filter((a) => !zero(a.m));
          if (ctx.trainOnInputs !== true) {
            if (trained.length === 0) {
              report({ messageId: "allWeightZero", pointer: `${conv.base}/${assistants[0]!.i}/weight`, data: { mode } });
              return;
            }
            if (!trained.some((a) => hasText(a.m, ctx.latin1))) {
              report({ messageId: "emptyAssistant", pointer: `${conv.base}/${trained[0]!.i}/content` });
              return;
            }
          } else if (!conv.messages.some((m) => isObject(m) && !zero(m) && hasText(m, ctx.latin1))) {
            report({ messageId: "allWeightZero", pointer: `${conv.base}/${assistants[0]!.i}/weight`, data: { mode } });
            return;
          }
        }
      } else if (ctx.format === "preference") {
        const outs = [ctx.record.preferred_output, ctx.record.non_preferred_output];
        if (outs.every((o) => Array.isArray(o) && o.length > 0 && o.every((m) => isObject(m) && !hasText(m, ctx.latin1)))) {
          report({ messageId: "emptyOutputs", pointer: "/preferred_output/0/content" });
          return;
        }
      }
    },
  }),
});
