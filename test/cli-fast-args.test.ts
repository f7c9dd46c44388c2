/**
 * `tunelint check` arguments read without yargs (src/cli/fast-check.ts) must mean exactly what yargs makes of them:
 * the same argument lists are parsed by both (yargs with the CLI's real set-up, src/cli/yargs-cli.ts) and everything
 * `check` reads is compared. Where the fast reader is unsure it answers null and yargs decides; it must never accept
 * a list that yargs rejects.
 */
import { describe, expect, it } from "vitest";
import { fastCheckArgs } from "../src/cli/fast-check.js";
import { parseWithYargs } from "../src/cli/yargs-cli.js";
import { lintOptionsFromArgs } from "../src/cli/options.js";

const CHECK_KEYS = [
  "files",
  "--",
  "format",
  "output-file",
  "stdin-filename",
  "error-on-unmatched-pattern",
  "color",
  "epochs",
  "staged",
  "validation-file",
  "progress",
  "quiet",
  "max-warnings",
] as const;

/** What runCheck reads of an argv: its own keys and the lint options derived from the shared ones. */
function projection(argv: Record<string, unknown>): unknown {
  const own = Object.fromEntries(CHECK_KEYS.map((k) => [k, k === "files" ? ((argv[k] as unknown[] | undefined) ?? []) : argv[k]]));
  let lint: unknown;
  try {
    lint = lintOptionsFromArgs(argv);
  } catch (e) {
    lint = `throws ${(e as Error).message}`;
  }
  return { own, lint };
}

async function compare(args: string[]): Promise<"fast" | "slow"> {
  const fast = fastCheckArgs(args);
  const slow = await parseWithYargs(args);
  if (fast === null) return "slow";
  expect("usage" in slow ? `yargs rejects: ${slow.usage}` : "yargs accepts", args.join(" ")).toBe("yargs accepts");
  if (!("argv" in slow)) return "fast";
  // yargs ran check's handler (the argv is check's) only when it chose the check command.
  expect(Object.getOwnPropertySymbols(slow.argv).length, `${args.join(" ")}: yargs ran check`).toBe(1);
  expect(projection(fast as Record<string, unknown>), args.join(" ")).toEqual(projection(slow.argv));
  return "fast";
}

describe("check's arguments without yargs", () => {
  const accepted: string[][] = [
    ["check", "a.jsonl", "--no-config"],
    ["a.jsonl"],
    ["a.jsonl", "b.jsonl", "data/"],
    ["check"],
    [],
    ["check", "--staged"],
    ["check", "-"],
    ["-", "--stdin-filename", "x.jsonl"],
    ["check", "a.jsonl", "--format", "json"],
    ["check", "a.jsonl", "--format=json", "-f", "sarif=out.sarif"],
    ["check", "a.jsonl", "-f", "json", "b.jsonl"],
    ["check", "a.jsonl", "--output-file", "report.txt"],
    ["check", "a.jsonl", "--model", "meta-llama/Meta-Llama-3.1-8B-Instruct-Reference", "--method", "dpo"],
    ["check", "a.jsonl", "--model=Qwen/Qwen2.5-7B-Instruct", "--epochs", "3", "--train-on-inputs", "true"],
    ["check", "a.jsonl", "--rule", "blank-line=off", "--rule=duplicate-key=warning", "b.jsonl"],
    ["check", "a.jsonl", "-c", "cfg.json", "-q", "-j", "2"],
    ["check", "a.jsonl", "--config", "cfg.json", "--jobs", "1", "--quiet"],
    ["check", "a.jsonl", "--max-warnings", "0", "--max-line-bytes", "1000", "--max-findings-per-rule", "0"],
    ["check", "a.jsonl", "--max-seq-length", "4096", "--tokenizer", "tok.json", "--chat-template", "t.jinja"],
    ["check", "a.jsonl", "--jobs", "0"],
    ["check", "a.jsonl", "--no-color", "--no-progress", "--no-error-on-unmatched-pattern"],
    ["check", "a.jsonl", "--color", "--progress", "--error-on-unmatched-pattern"],
    ["check", "a.jsonl", "--validation-file", "v.jsonl"],
    ["check", "2024-data.jsonl", "v1.2.jsonl"],
    ["check", "--staged", "data/"],
  ];
  it.each(accepted.map((a) => [a.join(" ") || "(none)", a]))("reads %s as yargs does", async (_name, args) => {
    expect(await compare(args as string[])).toBe("fast");
  });

  const leftToYargs: string[][] = [
    ["--help"],
    ["check", "--help"],
    ["-h"],
    ["--version"],
    ["-v"],
    ["rules"],
    ["models", "list"],
    ["help"],
    ["check", "a.jsonl", "--unknown"],
    ["check", "a.jsonl", "--model"],
    ["check", "a.jsonl", "--model", "--quiet"],
    ["check", "a.jsonl", "--jobs", "two"],
    ["check", "a.jsonl", "--jobs", "-1"],
    ["check", "a.jsonl", "--jobs", "1.5"],
    ["check", "a.jsonl", "--jobs", "1", "--jobs", "2"],
    ["check", "a.jsonl", "--method", "rlhf"],
    ["check", "a.jsonl", "--train-on-inputs", "yes"],
    ["check", "a.jsonl", "--quiet=false"],
    ["check", "a.jsonl", "--no-quiet"],
    ["check", "a.jsonl", "-qj2"],
    ["check", "a.jsonl", "--maxWarnings", "3"],
    ["check", "--", "-odd.jsonl"],
    ["check", "123"],
    ["check", "0x10"],
    ["check", "a.jsonl", "--config", "x.json", "--no-config"],
    ["check", "a.jsonl", "--model", ""],
    ["check", "a.jsonl", "--stdin-filename", "-"],
    ["check", " a.jsonl"],
    // yargs picks the command before it knows check's flags: only a leading "check" is certainly the command.
    ["--no-config", "check", "a.jsonl"],
    ["--quiet", "rules"],
    ["check", "check", "a.jsonl"],
  ];
  it.each(leftToYargs.map((a) => [a.join(" "), a]))("leaves %s to yargs", async (_name, args) => {
    expect(fastCheckArgs(args as string[])).toBeNull();
    await compare(args as string[]);
  });

  it("never accepts what yargs rejects, and agrees on what both accept (1,500 generated argument lists)", async () => {
    const pool = [
      "check",
      "a.jsonl",
      "b.jsonl",
      "-",
      "--no-config",
      "--config",
      "c.json",
      "-c",
      "--model",
      "m/x",
      "--method",
      "sft",
      "dpo",
      "--rule",
      "x=off",
      "--rule=y=error",
      "--format",
      "json",
      "-f",
      "stylish",
      "sarif=o.sarif",
      "-o",
      "out.txt",
      "--jobs",
      "-j",
      "2",
      "0",
      "--max-warnings",
      "--epochs",
      "--quiet",
      "-q",
      "--staged",
      "--color",
      "--no-color",
      "--no-progress",
      "--progress",
      "--validation-file",
      "v.jsonl",
      "--stdin-filename",
      "--train-on-inputs",
      "auto",
      "--tokenizer",
      "--chat-template",
      "--max-seq-length",
      "--max-line-bytes",
      "--max-findings-per-rule",
      "rules",
      "--",
      "--error-on-unmatched-pattern",
      "--no-error-on-unmatched-pattern",
      "--help",
      "--bogus",
      "7",
    ];
    let seed = 15;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    let fast = 0;
    for (let k = 0; k < 1500; k++) {
      const args = Array.from({ length: 1 + rand(6) }, () => pool[rand(pool.length)]!);
      let paired: string[];
      try {
        const { pairOutputArgs } = await import("../src/cli/output.js");
        paired = pairOutputArgs(args);
      } catch {
        continue;
      }
      if ((await compare(paired)) === "fast") fast++;
    }
    // The generator must exercise the fast path, not only the fallback.
    expect(fast).toBeGreaterThan(100);
  });
});
