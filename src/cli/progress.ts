/**
 * The check's progress line on a terminal: bytes and lines done, rate, ETA, redrawn in place on stderr and cleared at
 * the end. Nothing at all unless stderr is a TTY; nothing for the first second (a small file never shows it).
 */
import type { LintProgress } from "../lint/lint.js";
import { fmtInt } from "../report/shared.js";
import { formatBytes, formatDuration, statusLine, type ProgressStream } from "../upload/progress.js";

export interface LintProgressLine {
  onProgress(p: LintProgress): void;
  /** Erase the line (before anything else is printed, and at the end). */
  clear(): void;
}

export interface ProgressLineOptions {
  /** Show nothing before this many ms (default 1000). */
  delayMs?: number;
  /** Redraw at most this often (default 100 ms). */
  intervalMs?: number;
  now?: () => number;
}

export function createLintProgress(stream: ProgressStream, options: ProgressLineOptions = {}): LintProgressLine {
  if (!stream.isTTY) return { onProgress() {}, clear() {} };
  const now = options.now ?? Date.now;
  const delay = options.delayMs ?? 1000;
  const interval = options.intervalMs ?? 100;
  const start = now();
  let fileStart = start;
  let path: string | null = null;
  let lastDraw = 0;
  const line = statusLine(stream);
  return {
    onProgress(p) {
      const t = now();
      if (p.path !== path) {
        path = p.path;
        fileStart = t;
      }
      if (t - start < delay || t - lastDraw < interval) return;
      lastDraw = t;
      const elapsed = (t - fileStart) / 1000;
      const rate = elapsed > 0 ? p.bytes / elapsed : 0;
      const parts = [p.path];
      if (p.totalBytes) {
        const pct = Math.min(100, Math.floor((p.bytes / p.totalBytes) * 100));
        parts.push(`${formatBytes(p.bytes)} / ${formatBytes(p.totalBytes)}  ${pct}%`);
      } else parts.push(formatBytes(p.bytes));
      parts.push(`${fmtInt(p.lines)} lines`);
      parts.push(rate > 0 ? `${formatBytes(rate)}/s` : "--");
      if (p.totalBytes) parts.push(`ETA ${rate > 0 ? formatDuration((p.totalBytes - p.bytes) / rate) : "--"}`);
      line.draw(`tunelint: ${parts.join("  ")}`);
    },
    clear: line.clear,
  };
}
