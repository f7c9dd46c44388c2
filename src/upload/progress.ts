/**
 * Progress on a terminal: bytes, rate and ETA on one rewritten stderr line. Nothing at all when stderr is not a TTY.
 */
import type { UploadProgress } from "./types.js";

export interface ProgressStream {
  write(chunk: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export function formatBytes(n: number): string {
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let i = 0;
  let v = n;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${i === 0 ? v : v.toFixed(v >= 100 ? 0 : 1)} ${units[i]}`;
}

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return "--";
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(s % 60).padStart(2, "0")}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, "0")}m`;
}

export interface ProgressRenderer {
  onProgress(p: UploadProgress): void;
  /** A status line for the processing phase. */
  status(path: string, text: string): void;
  /** Clear the line (before printing anything else). */
  clear(): void;
}

/** A renderer that draws on `stream` only when it is a TTY; a no-op otherwise. */
export function createProgressRenderer(stream: ProgressStream, now: () => number = Date.now): ProgressRenderer {
  if (!stream.isTTY) return { onProgress() {}, status() {}, clear() {} };
  const { draw, clear } = statusLine(stream);
  let lastDraw = 0;
  let current: { path: string; start: number; startBytes: number } | null = null;
  return {
    onProgress(p) {
      const t = now();
      if (!current || current.path !== p.path || p.bytesSent < current.startBytes)
        current = { path: p.path, start: t, startBytes: p.bytesSent };
      if (p.phase === "processing") {
        draw(`${p.path}: uploaded ${formatBytes(p.totalBytes)}, waiting for Together to process it…`);
        return;
      }
      const done = p.bytesSent >= p.totalBytes;
      if (!done && t - lastDraw < 100) return;
      lastDraw = t;
      const elapsed = (t - current.start) / 1000;
      const rate = elapsed > 0 ? (p.bytesSent - current.startBytes) / elapsed : 0;
      const pct = p.totalBytes > 0 ? Math.floor((p.bytesSent / p.totalBytes) * 100) : 100;
      const eta = rate > 0 ? (p.totalBytes - p.bytesSent) / rate : NaN;
      draw(
        `↑ ${p.path}  ${formatBytes(p.bytesSent)} / ${formatBytes(p.totalBytes)}  ${pct}%  ${rate > 0 ? `${formatBytes(rate)}/s` : "--"}  ETA ${done ? "0s" : formatDuration(eta)}`,
      );
    },
    status(path, text) {
      draw(`${path}: ${text}`);
    },
    clear,
  };
}

/**
 * One line on a terminal, redrawn in place (cut to the terminal's width) and erased by `clear` (only if drawn). The
 * upload's and the check's progress lines both draw through it.
 */
export function statusLine(stream: ProgressStream): { draw(line: string): void; clear(): void } {
  let drawn = false;
  return {
    draw(line) {
      const width = Math.max(20, (stream.columns || 80) - 1);
      stream.write(`\r\x1b[2K${line.length > width ? line.slice(0, width - 1) + "…" : line}`);
      drawn = true;
    },
    clear() {
      if (drawn) stream.write("\r\x1b[2K");
      drawn = false;
    },
  };
}
