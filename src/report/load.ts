/**
 * The formats by name, each loaded only when asked for (`loadFormatter`): a `check` that prints stylish text never
 * parses the SARIF, JUnit, Markdown or HTML formatters. formatters.ts is the same set, loaded at once, for the library.
 */
import { UsageError } from "../errors.js";
import type { FormatContext, LintReport } from "../types.js";

export const FORMAT_NAMES = ["stylish", "json", "sarif", "github", "markdown", "junit", "html"] as const;

/** Formats that print a machine document (only the document may go to stdout). */
export const MACHINE_FORMATS = new Set(["json", "sarif", "junit", "github", "html"]);

export const isFormatName = (name: string): boolean => (FORMAT_NAMES as readonly string[]).includes(name);

/** A format's report as pieces of text (their concatenation is the formatter's output). */
export type ChunkFormatter = (report: LintReport, ctx: FormatContext) => Iterable<string>;

/**
 * The named format, as pieces: streamed where the format streams, else one piece. With `env` (the caller's
 * environment, e.g. process.env) Markdown links findings to lines inside GitHub Actions; without it, no links.
 */
export async function loadFormatter(name: string, options: { env?: Record<string, string | undefined> } = {}): Promise<ChunkFormatter> {
  switch (name) {
    case "stylish":
      return (await import("./stylish.js")).stylishChunks;
    case "json":
      return (await import("./json.js")).jsonChunks;
    case "sarif":
      return (await import("./sarif.js")).sarifChunks;
    case "github":
      return (await import("./github.js")).githubChunks;
    case "junit":
      return (await import("./junit.js")).junitChunks;
    case "markdown": {
      const { formatMarkdown, linkContextFromEnv } = await import("./markdown.js");
      const link = options.env ? linkContextFromEnv(options.env) : undefined;
      return (report, ctx) => [formatMarkdown(report, ctx, { link })];
    }
    case "html": {
      const { html } = await import("./html.js");
      return (report, ctx) => [html(report, ctx)];
    }
    default:
      throw new UsageError(`Unknown format "${name}": use ${FORMAT_NAMES.join(", ")}.`);
  }
}
