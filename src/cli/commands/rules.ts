import type { CommandModule } from "yargs";
import { ruleDocs } from "../../report/formatters.js";
import { defer } from "../command.js";

export const rulesCommand: CommandModule<object, { format?: string }> = {
  command: "rules",
  describe: "List every rule with its default severity",
  builder: (y) => y.option("format", { alias: "f", choices: ["text", "json"], default: "text" }) as never,
  handler: (argv) =>
    defer(argv, async () => {
      const docs = ruleDocs();
      const text =
        argv.format === "json"
          ? JSON.stringify(docs, null, 2) + "\n"
          : docs.map((d) => `${d.id.padEnd(32)} ${(d.defaultOff ? "off" : d.severity).padEnd(8)} ${d.description}`).join("\n") + "\n";
      return { code: 0, stdout: text };
    }),
};
