/** Leaf strings of a JSON value with their paths, for "every text preserved" checks. */
export function leafStrings(value: unknown, keep: (path: string) => boolean = () => true, path = ""): string[] {
  if (typeof value === "string") return keep(path) ? [value] : [];
  if (Array.isArray(value)) return value.flatMap((v, i) => leafStrings(v, keep, `${path}/${i}`));
  if (value && typeof value === "object") {
    return Object.entries(value).flatMap(([k, v]) => leafStrings(v, keep, `${path}/${k}`));
  }
  return [];
}
