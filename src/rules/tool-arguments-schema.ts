import { SchemaCache } from "../dataset-formats/json-schema.js";
import { allMessages, isObject } from "./utils/record.js";
import { callsOf, decodeArguments, declaredFunctions, hasToolTraffic, toolsOf } from "./utils/tools.js";
import { needDecoded } from "./utils/view.js";
import { defineRule } from "./types.js";

export default defineRule({
  meta: {
    id: "tool-arguments-schema",
    severity: "warning",
    description: "Check tool-call arguments against the declared `parameters` JSON Schema, and that schema itself.",
    messages: {
      mismatch: "Arguments of {{name}} do not match its declared parameters: {{problem}}{{where}}.",
      invalidSchema: "The `parameters` of {{name}} is not a valid JSON Schema: {{problem}}{{where}}.",
      notObjectSchema:
        'The `parameters` of {{name}} must describe an object of named arguments ("type": "object"), found "type": {{type}}.',
    },
    scope: "record",
    formats: ["conversation", "preference"],
    defaultOptions: { maxPerCall: 3 },
    docs:
      "Each declared tool's `function.parameters` is a JSON Schema of its arguments; the chat template shows it to the model next to the " +
      "function's name. A call whose arguments break it (a missing required argument, a number where the schema says string, a value " +
      "outside an `enum`, an argument the schema does not know when `additionalProperties` is false) teaches the model to call the " +
      'function wrongly; a schema that is itself invalid (`"type": "str"`, `"required": true` inside a property, a `pattern` that ' +
      "is no regular expression) is shown to the model as the contract and is refused by OpenAI-compatible APIs at inference.\n\n" +
      "The arguments (decoded from their JSON string) are validated against the declared schema: types, `required`, `properties`, " +
      "`additionalProperties`, `enum`/`const`, `items`, bounds, `pattern`, `anyOf`/`oneOf`/`allOf`/`not` and local `$ref`s; annotation " +
      "keywords (`description`, `format`, `default`...) are not checked. Each distinct schema is compiled once per file (cached by its " +
      "content), so thousands of records sharing a tool cost one compilation. An invalid schema is reported on the tool's `parameters` " +
      "(once per record), and its calls are not validated. At most `maxPerCall` problems (default 3) are reported per call. Arguments " +
      "that are not a JSON object at all are [`tool-arguments-invalid`](tool-arguments-invalid.md)'s; calls to undeclared functions are " +
      "[`tool-undeclared`](tool-undeclared.md)'s.\n\n" +
      "**Severity: warning.** Together accepts such records; they train the model to call tools wrongly. Fix the call or the schema.",
    examples: {
      bad: [
        '{"messages": [{"role": "user", "content": "Weather?"}, {"role": "assistant", "tool_calls": [{"id": "c1", "type": "function", "function": {"name": "get_weather", "arguments": "{\\"town\\": \\"Paris\\"}"}}]}], "tools": [{"type": "function", "function": {"name": "get_weather", "parameters": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}}}]}',
      ],
      good: [
        '{"messages": [{"role": "user", "content": "Weather?"}, {"role": "assistant", "tool_calls": [{"id": "c1", "type": "function", "function": {"name": "get_weather", "arguments": "{\\"city\\": \\"Paris\\"}"}}]}], "tools": [{"type": "function", "function": {"name": "get_weather", "parameters": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}}}]}',
      ],
    },
    since: "0.1.0",
  },
  latin1View: "safe",
  create: ({ options }) => {
    const cache = new SchemaCache();
    const maxPerCall = Math.max(1, Number(options.maxPerCall ?? 3));
    return {
      record(ctx, report) {
        const t = toolsOf(ctx.record, ctx.format);
        if (!t || !Array.isArray(t.tools)) return;
        const declared = declaredFunctions(t.tools, t.pointer);
        // A user's JSON Schema (patterns, lengths, formats) judges decoded strings: never judge it on the Latin-1 view.
        for (const d of declared.values()) if (isObject(d.parameters)) needDecoded(ctx);
        const usable = new Set<string>();
        for (const d of declared.values()) {
          if (d.parameters === undefined || !isObject(d.parameters)) continue; // absent: no contract; not an object: tools-invalid
          const p = `${d.pointer}/function/parameters`;
          const type = d.parameters.type;
          if (type !== undefined && type !== "object") {
            report({ messageId: "notObjectSchema", pointer: `${p}/type`, data: { name: d.name, type: JSON.stringify(type) } });
            continue;
          }
          const c = cache.get(d.parameters);
          if (!c.ok) {
            report({
              messageId: "invalidSchema",
              pointer: `${p}${c.path}`,
              data: { name: d.name, problem: c.message, where: c.path ? ` (at ${c.path})` : "" },
            });
            continue;
          }
          usable.add(d.name);
        }
        if (usable.size === 0 || !hasToolTraffic(ctx.record, ctx.format)) return;
        for (const { message, pointer, index } of allMessages(ctx.record, ctx.format)) {
          for (const call of callsOf(message, pointer, index)) {
            if (call.name === null || !usable.has(call.name)) continue;
            const args = decodeArguments(call.args);
            if (!args.ok) continue;
            const c = cache.get(declared.get(call.name)!.parameters);
            if (!c.ok) continue;
            const base = `${call.pointer}/function/arguments`;
            for (const problem of c.schema.validate(args.value, maxPerCall)) {
              report({
                messageId: "mismatch",
                // inside an object we can point at the argument; inside a JSON string, at the string
                pointer: isObject(call.args) ? `${base}${problem.path}` : base,
                data: { name: call.name, problem: problem.message, where: problem.path ? ` (at ${problem.path})` : "" },
              });
            }
          }
        }
      },
    };
  },
});
