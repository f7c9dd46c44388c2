/**
 * `tunelint models`: list the fine-tunable models (SFT/DPO limits, tokenizer family, exact or estimated counts);
 * `--refresh` pulls the live list from the Together API into the on-disk cache first.
 * Exit codes: 0 ok; 2 usage / missing TOGETHER_API_KEY / local I/O; 3 the API refused or failed.
 * Never calls process.exit(), never prints a stack trace or the API key.
 */
import type { ArgumentsCamelCase, Argv, CommandModule } from "yargs";
import { defer } from "../command.js";
import { defaultCacheFile, listModels, registryDate, type ModelInfo } from "../../models/index.js";
import { DEFAULT_BASE_URL } from "../../upload/defaults.js";
import { getProfile } from "../../tokens/profiles.js";

export interface ModelsArgs {
  refresh?: boolean;
  "base-url"?: string;
  format?: "text" | "json";
  "cache-file"?: string;
  "allow-http"?: boolean;
  /** Per-request time-out, seconds. */
  timeout?: number;
}

export interface ModelsIo {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  env: NodeJS.ProcessEnv;
  /** Retry policy (tests pass instant sleeps). */
  retry?: Partial<import("../../upload/retry.js").RetryPolicy>;
}

const defaultIo = (): ModelsIo => ({
  stdout: (s) => void process.stdout.write(s),
  stderr: (s) => void process.stderr.write(s),
  env: process.env,
});

function renderText(models: ModelInfo[], date: string, source: string): string {
  const lim = (n: number | null) => (n === null ? "-" : String(n));
  const rows = models.map((m) => [
    m.id,
    lim(m.sftMaxSeqLength),
    lim(m.dpoMaxSeqLength) + (m.dpoDocumented || m.dpoMaxSeqLength === null ? "" : "*"),
    m.family,
    m.hub ? "exact (Hub)" : m.exact ? "exact" : "estimate",
  ]);
  const head = ["MODEL", "SFT", "DPO", "TOKENIZER", "COUNTS"];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) =>
    r
      .map((c, i) => (i === 1 || i === 2 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join("  ")
      .trimEnd();
  const estimates = models.filter((m) => !m.exact && !m.hub).length;
  const out = [
    `${models.length} fine-tunable models (${source === "cache" ? `fetched ${date}` : `built-in table of ${date}`}); limits in tokens.`,
    "",
    line(head),
    ...rows.map(line),
    "",
    "exact: the model's own tokenizer and chat template ship with tunelint. exact (Hub): they are read from the model's Hugging Face",
    "repository (the local Hugging Face cache first; HF_TOKEN for gated models; an estimate with the nearest family when the Hub",
    `cannot be reached). estimate: ${estimates} model(s) counted with the nearest family. DPO*: half the SFT limit (Together: "generally`,
    'half"), not a documented value. -: not documented (give --max-seq-length). Refresh the table with: tunelint models --refresh',
  ];
  return out.join("\n") + "\n";
}

/** The command's work, with its I/O injectable for tests. Returns the exit code (also set on process.exitCode by the handler). */
export async function runModels(args: ModelsArgs, io: ModelsIo = defaultIo()): Promise<number> {
  const cacheFile = args["cache-file"] ?? defaultCacheFile(io.env);
  const format = args.format ?? "text";
  if (args.refresh) {
    const code = await refresh(args, io, cacheFile, format);
    if (code !== 0) return code;
  }
  const models = listModels({ cacheFile });
  const { date, source } = registryDate({ cacheFile });
  if (format === "json") {
    const doc = {
      date,
      source,
      models: models.map((m) => ({ ...m, tokenizer: getProfile(m.family).label })),
    };
    io.stdout(JSON.stringify(doc, null, 2) + "\n");
  } else {
    io.stdout(renderText(models, date, source));
  }
  return 0;
}

/** The refresh through the uploader's Together client (loaded only here). Exit 2 for usage/local I/O, 3 for the API. */
async function refresh(args: ModelsArgs, io: ModelsIo, cacheFile: string, format: string): Promise<number> {
  const prefix = "tunelint models --refresh";
  const [{ refreshModels }, { MissingApiKeyError }, { TogetherApiError, redactText }] = await Promise.all([
    import("../../upload/models-refresh.js"),
    import("../../upload/client.js"),
    import("../../upload/errors.js"),
  ]);
  try {
    const r = await refreshModels({
      env: io.env,
      baseUrl: args["base-url"],
      allowHttp: args["allow-http"],
      onWarning: (m) => io.stderr(`${prefix}: warning: ${redactText(m)}\n`),
      timeoutMs: args.timeout !== undefined ? Math.max(1, args.timeout) * 1000 : undefined,
      retry: io.retry,
      cacheFile,
    });
    if (format === "text")
      io.stderr(`Fetched limits of ${r.models.length} models from ${redactText(r.baseUrl)}; cached in ${cacheFile}.\n`);
    return 0;
  } catch (e) {
    if (e instanceof MissingApiKeyError) {
      io.stderr(
        `${prefix}: TOGETHER_API_KEY is not set. Export your Together API key (https://api.together.ai/settings/api-keys) and retry.\n`,
      );
      return 2;
    }
    if (e instanceof TogetherApiError) {
      const auth = e.category === "auth" ? " (the API refused the key: check TOGETHER_API_KEY)" : "";
      io.stderr(`${prefix}: ${redactText(e.message)}${auth}\n`);
      return 3;
    }
    if (e instanceof TypeError) {
      io.stderr(`${prefix}: ${redactText(e.message)}\n`);
      return 2;
    }
    io.stderr(`${prefix}: cannot write ${cacheFile}: ${redactText((e as Error).message)}\n`);
    return 2;
  }
}

export const modelsCommand: CommandModule<object, ModelsArgs> = {
  command: "models",
  describe: "List fine-tunable models: SFT/DPO sequence limits, tokenizer family, exact or estimated counts",
  builder: (y: Argv<object>) =>
    y
      .option("refresh", {
        type: "boolean",
        describe: "Fetch the model list and limits from the Together API (needs TOGETHER_API_KEY) and cache them",
      })
      .option("base-url", { type: "string", describe: `API base URL (env TOGETHER_BASE_URL; default ${DEFAULT_BASE_URL})` })
      .option("allow-http", { type: "boolean", describe: "Allow a plain http:// base URL to a host that is not loopback (warns)" })
      .option("timeout", { type: "number", describe: "Time-out of one request, seconds (default 60)" })
      .option("format", { choices: ["text", "json"] as const, default: "text" as const, describe: "Output format" })
      .option("cache-file", {
        type: "string",
        describe: "Models cache file (default $XDG_CACHE_HOME/tunelint/models.json)",
      }) as unknown as Argv<ModelsArgs>,
  // main() runs the deferred work (only when parsing succeeded) and sets the exit code.
  handler: (argv: ArgumentsCamelCase<ModelsArgs>) => defer(argv, async () => ({ code: await runModels(argv) })),
};
