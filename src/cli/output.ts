/**
 * Writing reports: several formats in one run, each to stdout or a file; only one format may go to stdout.
 *
 * A format and its file are paired so that the pairing cannot go wrong: `-f sarif=tunelint.sarif`, or `-o` right
 * after the `-f` it belongs to (`-f sarif -o tunelint.sarif`). `pairOutputArgs` binds each `-o` to the `-f` before
 * it on the command line (yargs keeps no order between two options), before parsing.
 */
import { createWriteStream } from "node:fs";
import { mkdir } from "node:fs/promises";
import { dirname } from "node:path";
import { formatContext } from "../report/context.js";
import { FORMAT_NAMES, isFormatName, loadFormatter } from "../report/load.js";
import { UsageError } from "../errors.js";
import type { LintReport } from "../types.js";

export interface OutputPlan {
  format: string;
  file: string | null;
}

const FORMAT_FLAGS = new Set(["-f", "--format"]);
const OUTPUT_FLAGS = new Set(["-o", "--output-file", "--outputFile"]);

/** `--format=x` / `-f=x` / `-f x` -> the flag, its value, and how many arguments it took. */
function flagAt(args: readonly string[], i: number, names: Set<string>): { value: string; width: number } | null {
  const a = args[i]!;
  const eq = a.indexOf("=");
  if (a.startsWith("-") && eq > 0 && names.has(a.slice(0, eq))) return { value: a.slice(eq + 1), width: 1 };
  if (names.has(a) && i + 1 < args.length) return { value: args[i + 1]!, width: 2 };
  return null;
}

/**
 * Rewrites `-f FORMAT -o FILE` into `-f FORMAT=FILE` (each `-o` binds to the `-f` right before it). An `-o` before
 * any `-f` binds to the only `-f` when there is exactly one (`-o out.json -f json`), or to the default stylish when
 * there is none. Anything else is ambiguous: a UsageError that says how to write it.
 */
export function pairOutputArgs(args: readonly string[]): string[] {
  const out: string[] = [];
  const formats: { at: number; value: string; bound: boolean }[] = [];
  const early: string[] = [];
  let i = 0;
  for (; i < args.length;) {
    const a = args[i]!;
    if (a === "--") break;
    const f = flagAt(args, i, FORMAT_FLAGS);
    if (f) {
      formats.push({ at: out.length + 1, value: f.value, bound: f.value.includes("=") });
      out.push("--format", f.value);
      i += f.width;
      continue;
    }
    const o = flagAt(args, i, OUTPUT_FLAGS);
    if (o) {
      const last = formats[formats.length - 1];
      if (!last) early.push(o.value);
      else if (last.bound) {
        throw new UsageError(
          `--output-file ${o.value} follows --format ${last.value}, which already has its file: put each --output-file right after its own --format (or write -f FORMAT=FILE).`,
        );
      } else {
        last.value = `${last.value}=${o.value}`;
        last.bound = true;
        out[last.at] = last.value;
      }
      i += o.width;
      continue;
    }
    out.push(a);
    i++;
  }
  for (; i < args.length; i++) out.push(args[i]!);
  if (early.length) {
    const free = formats.filter((f) => !f.bound);
    if (formats.length === 0 && early.length === 1) out.push("--output-file", early[0]!);
    else if (formats.length === 1 && free.length === 1 && early.length === 1) out[free[0]!.at] = `${free[0]!.value}=${early[0]}`;
    else {
      throw new UsageError(
        `--output-file ${early[0]} comes before any --format: with several formats, put each --output-file right after its --format (e.g. -f sarif -o tunelint.sarif), or write -f sarif=tunelint.sarif.`,
      );
    }
  }
  return out;
}

/** The outputs of a run: `FORMAT` (stdout) or `FORMAT=FILE`; a lone --output-file takes the default stylish. */
export function planOutputs(formats: readonly string[] | undefined, files: readonly string[] | undefined): OutputPlan[] {
  const plan: OutputPlan[] = (formats?.length ? formats : ["stylish"]).map((spec) => {
    const eq = spec.indexOf("=");
    const format = eq >= 0 ? spec.slice(0, eq) : spec;
    const file = eq >= 0 ? spec.slice(eq + 1) : null;
    if (!isFormatName(format)) throw new UsageError(`Unknown format "${format}": use ${FORMAT_NAMES.join(", ")}.`);
    if (file === "") throw new UsageError(`--format ${spec}: give a file name after '='.`);
    return { format, file };
  });
  const outs = files ?? [];
  if (outs.length) {
    const free = plan.filter((p) => p.file === null);
    if (outs.length > 1 || free.length !== 1 || plan.length !== 1) {
      throw new UsageError("Pair each --output-file with its --format: -f sarif -o tunelint.sarif, or -f sarif=tunelint.sarif.");
    }
    free[0]!.file = outs[0]!;
  }
  if (plan.filter((p) => p.file === null).length > 1) {
    throw new UsageError(
      "Only one format can go to stdout: give the others a file (-f sarif=tunelint.sarif or -f sarif -o tunelint.sarif).",
    );
  }
  const files2 = plan.filter((p) => p.file !== null).map((p) => p.file!);
  const dup = files2.find((f, k) => files2.indexOf(f) !== k);
  if (dup) throw new UsageError(`Two formats would write the same file ${dup}.`);
  return plan;
}

/** Writes pieces with backpressure; resolves false when the reader went away (EPIPE: a closed pipe ends quietly). */
async function writePieces(stream: NodeJS.WritableStream, pieces: Iterable<string>): Promise<boolean> {
  let closed = false;
  let failure: Error | null = null;
  const onError = (e: NodeJS.ErrnoException) => {
    if (e.code === "EPIPE") closed = true;
    else failure = e;
  };
  stream.on("error", onError);
  try {
    for (const piece of pieces) {
      if (closed || failure) break;
      if (!stream.write(piece)) {
        await new Promise<void>((resolve) => {
          const done = () => {
            stream.off("drain", done);
            stream.off("error", done);
            stream.off("close", done);
            resolve();
          };
          stream.on("drain", done);
          stream.on("error", done);
          stream.on("close", done);
        });
      }
    }
    if (failure) throw failure;
    return !closed;
  } finally {
    stream.off("error", onError);
  }
}

export async function writeOutputs(plan: OutputPlan[], report: LintReport, opts: { color: boolean; epochs?: number }): Promise<void> {
  for (const p of plan) {
    const ctx = formatContext({ color: p.file === null && opts.color && p.format === "stylish", epochs: opts.epochs });
    // Each format loads only when asked for. Markdown links findings to lines when run inside GitHub Actions (the
    // formatter stays pure: the environment is read here).
    const pieces = (await loadFormatter(p.format, { env: process.env }))(report, ctx);
    if (p.file === null) {
      await writePieces(process.stdout, pieces);
      continue;
    }
    try {
      await mkdir(dirname(p.file), { recursive: true });
      const stream = createWriteStream(p.file);
      await new Promise<void>((resolve, reject) => {
        stream.once("open", () => resolve());
        stream.once("error", reject);
      });
      await writePieces(stream, pieces);
      await new Promise<void>((resolve, reject) => {
        stream.once("error", reject);
        stream.end(() => resolve());
      });
    } catch (e) {
      throw new UsageError(`Cannot write ${p.file}: ${(e as Error).message}`);
    }
  }
}
