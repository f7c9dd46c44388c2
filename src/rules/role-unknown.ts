import { MESSAGE_PATH, allMessages, path } from "./utils/record.js";
import { nearest } from "../util/nearest.js";
import { defineRule, type FixOperation } from "./types.js";

const AT = path(`${MESSAGE_PATH}/role`);
export const ROLES = ["system", "user", "assistant", "tool"] as const;
const ALIASES: Record<string, string> = {
  human: "user",
  gpt: "assistant",
  bot: "assistant",
  model: "assistant",
  ai: "assistant",
  chatgpt: "assistant",
  developer: "system",
  function: "tool",
  ipython: "tool",
};

/** Aliases `tunelint fix` renames: same speaker, other vocabulary (ShareGPT, Gemini). The rest need `tunelint convert`. */
export const FIXABLE_ROLE_ALIASES: Readonly<Record<string, string>> = {
  human: "user",
  gpt: "assistant",
  bot: "assistant",
  model: "assistant",
};

/** The role `tunelint fix` writes for `role`, or undefined when there is nothing safe to do. */
export function fixedRole(role: string): string | undefined {
  const r = role.trim().toLowerCase();
  const to = (ROLES as readonly string[]).includes(r) ? r : FIXABLE_ROLE_ALIASES[r];
  return to !== undefined && to !== role ? to : undefined;
}

export default defineRule({
  meta: {
    id: "role-unknown",
    severity: "error",
    description: "Require `role` to be system, user, assistant or tool.",
    messages: { unknown: "Unknown role {{role}}: use system, user, assistant or tool.{{hint}}" },
    scope: "record",
    formats: ["conversation", "preference"],
    docs:
      "Together accepts the roles `system`, `user`, `assistant` and (for tool-capable models) `tool`, lower case. Roles from other formats " +
      "(`human`/`gpt` in ShareGPT, `model` in Gemini exports, `developer` in newer OpenAI exports) are named with their replacement. " +
      "`tunelint fix` lower-cases and trims roles and renames `human`, `gpt`, `bot` and `model`; `developer` and `function` need " +
      "`tunelint convert` (they change the message's shape).",
    examples: { bad: ['{"messages": [{"role": "User", "content": "Hi"}]}'] },
    since: "0.1.0",
    fixable: "code",
  },
  fix: {
    // Case and surrounding spaces (`User`, ` user `) and the ShareGPT/Gemini aliases human, gpt, bot, model.
    record({ record, format }) {
      const ops: FixOperation[] = [];
      for (const { message, pointer } of allMessages(record, format)) {
        if (typeof message.role !== "string") continue;
        const to = fixedRole(message.role);
        if (to) ops.push({ op: "set", pointer: `${pointer}/role`, value: to });
      }
      return ops;
    },
  },
  fromSchema({ error }) {
    if (error.keyword !== "enum" || !AT.test(error.instancePath) || typeof error.data !== "string") return undefined;
    const role = error.data;
    const near = ALIASES[role.toLowerCase()] ?? nearest(role, ROLES, 1)[0];
    return {
      messageId: "unknown",
      pointer: error.instancePath,
      data: { role: JSON.stringify(role), hint: near ? ` Did you mean "${near}"?` : "" },
    };
  },
});
