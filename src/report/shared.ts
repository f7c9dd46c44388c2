/** Helpers shared by the formatters (pure). */
import path from "node:path";

/** An integer with thousands separators ("12,345"). */
export function fmtInt(n: number): string {
  const s = String(Math.abs(Math.round(n)));
  return (n < 0 ? "-" : "") + s.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

/**
 * The path of a result file relative to `cwd` (the repository root), with forward slashes, as GitHub,
 * SARIF and links want it. Pseudo paths such as `<stdin>` are kept as they are; a path outside `cwd`
 * stays absolute.
 */
export function repoRelativePath(filePath: string, cwd: string): string {
  if (/^<.*>$/.test(filePath)) return filePath;
  const absolute = path.resolve(cwd, filePath);
  const relative = path.relative(cwd, absolute);
  if (relative === "") return toPosix(path.basename(absolute));
  if (relative.startsWith("..") || path.isAbsolute(relative)) return toPosix(absolute);
  return toPosix(relative);
}

function toPosix(p: string): string {
  return p.split(path.sep).join("/").replace(/\\/g, "/");
}
