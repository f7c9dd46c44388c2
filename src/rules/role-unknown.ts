import { MESSAGE_PATH, path } from "./utils/record.js";
import { nearest } from "../util/nearest.js";
import { defineRule } from "./types.js";

const AT = path(`${MESSAGE_PATH}/role`);
export const ROLES = ["system", "user", "assistant", "tool"] as const;
// A Map, not an object literal: a role named "__proto__" or "constructor" must not find Object.prototype's members.
const ALIASES = new Map<string, string>([
  ["human", "user"],
  ["gpt", "assistant"],
  ["bot", "assistant"],
  ["model", "assistant"],
  ["ai", "assistant"],
  ["chatgpt", "assistant"],
  ["developer", "system"],
  ["function", "tool"],
  ["ipython", "tool"],
]);

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
      "(`human`/`gpt` in ShareGPT, `model` in Gemini exports, `developer` in newer OpenAI exports) are named with their replacement.",
    examples: { bad: ['{"messages": [{"role": "User", "content": "Hi"}]}'] },
    since: "0.1.0",
  },
  fromSchema({ error }) {
    if (error.keyword !== "enum" || !AT.test(error.instancePath) || typeof error.data !== "string") return undefined;
    const role = error.data;
    const near = ALIASES.get(role.toLowerCase()) ?? nearest(role, ROLES, 1)[0];
    return {
      messageId: "unknown",
      pointer: error.instancePath,
      data: { role: JSON.stringify(role), hint: near ? ` Did you mean "${near}"?` : "" },
    };
  },
});
