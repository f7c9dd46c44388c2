#!/usr/bin/env node
/**
 * Bundles the GitHub Action (src/action/main.ts and the library it calls) into one committed file,
 * dist-action/index.mjs, that the runner executes with its own Node (action.yml: runs.using node24).
 *
 *   node scripts/build-action.mjs           write dist-action/index.mjs
 *   node scripts/build-action.mjs --check   exit 1 when the committed bundle differs from a fresh build
 *
 * The output is deterministic (no timestamps, no absolute paths), so the check is a plain byte compare.
 */
import { build } from "esbuild";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const OUTFILE = path.join(root, "dist-action", "index.mjs");

/**
 * Library modules find files that ship beside the code (schemas/, data/, package.json) relative to their
 * own compiled location: `new URL("../../schemas/", import.meta.url)` in src/dataset-formats/validate.ts means
 * <root>/schemas/ from dist/dataset-formats/validate.js. Bundled, every module's import.meta.url is
 * dist-action/index.mjs, so each such relative literal is rebased: resolved from the module's place in
 * dist/, then made relative to dist-action/ ("../schemas/"). The files themselves are read at run time
 * from the action's checkout (they are committed).
 *
 * Rewritten: `new URL("<relative>", import.meta.url)` and `createRequire(import.meta.url)("<relative>")`.
 * Any other use of import.meta.url in src/ fails the build, rather than shipping a bundle that looks in
 * the wrong place.
 */
/**
 * Bare uses of import.meta.url known to be right in the bundle too, with the reason.
 * src/lint/parallel.ts: `new URL("./worker.js", here)` finds dist-action/worker.js, which this script emits.
 */
const ALLOWED = [{ file: "src/lint/parallel.ts", snippet: "const here = import.meta.url;" }];

export function rebaseAssetUrls(source, file, outDir = "dist-action") {
  const relDir = path.relative(path.join(root, "src"), path.dirname(file));
  const rebase = (literal) => {
    const target = path.resolve(root, "dist", relDir, literal);
    let rel = path.relative(path.join(root, outDir), target).split(path.sep).join("/");
    if (!rel.startsWith(".")) rel = `./${rel}`;
    if (literal.endsWith("/") && !rel.endsWith("/")) rel += "/";
    return rel;
  };
  const errors = [];
  let out = source.replace(
    /new URL\((["'])(\.{1,2}\/[^"']*)\1,\s*import\.meta\.url\)/g,
    (_m, q, lit) => `new URL(${q}${rebase(lit)}${q}, import.meta.url)`,
  );
  out = out.replace(
    /createRequire\(import\.meta\.url\)\((["'])(\.{1,2}\/[^"']*)\1\)/g,
    (_m, q, lit) => `createRequire(import.meta.url)(${q}${rebase(lit)}${q})`,
  );
  // Whatever still mentions import.meta.url (outside comments) is a use this function does not understand.
  const code = out.replace(/\/\*[\s\S]*?\*\//g, "").replace(/(^|[^:"'`])\/\/.*$/gm, "$1");
  const rest = code.match(/.{0,40}import\.meta\.url.{0,40}/g) ?? [];
  const understood =
    /new URL\((["'])\.{1,2}\/[^"']*\1,\s*import\.meta\.url\)|createRequire\(import\.meta\.url\)\((["'])\.{1,2}\/[^"']*\2\)/;
  const rel = path.relative(root, file).split(path.sep).join("/");
  const allowed = ALLOWED.filter((a) => a.file === rel).map((a) => a.snippet);
  for (const m of rest)
    if (!understood.test(m) && !allowed.some((a) => m.includes(a)))
      errors.push(`unsupported use of import.meta.url in ${path.relative(root, file)}: ${m.trim()}`);
  return { contents: out, errors };
}

/** esbuild plugin: rebases each module's asset URLs for a bundle written to `outDir` (relative to the root). */
export function assetUrlPlugin(outDir = "dist-action") {
  return {
    name: "tunelint-asset-urls",
    setup(b) {
      b.onLoad({ filter: /[\\/]src[\\/].*\.ts$/ }, (args) => {
        const source = readFileSync(args.path, "utf8");
        if (!source.includes("import.meta.url")) return undefined;
        if (path.relative(root, args.path).split(path.sep).join("/").startsWith("src/action/")) return undefined; // the entry's own
        const { contents, errors } = rebaseAssetUrls(source, args.path, outDir);
        if (errors.length) return { errors: errors.map((text) => ({ text: `build: ${text}` })) };
        return { contents, loader: "ts" };
      });
    },
  };
}

export const BANNER = [
  'import { createRequire as __tunelintCreateRequire } from "node:module";',
  // Bundled CommonJS dependencies (ajv, fast-glob, ...) call require() for Node built-ins.
  "const require = __tunelintCreateRequire(import.meta.url);",
].join("\n");

/**
 * The bundles: the action itself, and the lint worker that src/lint/parallel.ts starts for big files
 * (it looks for ./worker.js beside the running module; without it, big files are linted on one thread).
 */
export const BUNDLES = [
  { entry: "src/action/main.ts", out: "dist-action/index.mjs" },
  { entry: "src/lint/worker.ts", out: "dist-action/worker.js" },
].filter((b) => existsSync(path.join(root, b.entry)));

async function bundleOne({ entry, out }) {
  const result = await build({
    absWorkingDir: root,
    entryPoints: [entry],
    bundle: true,
    platform: "node",
    format: "esm",
    // The runner's Node is 24; 20 keeps the bundle runnable on this project's minimum Node too.
    target: "node20",
    write: false,
    outfile: out,
    legalComments: "eof",
    charset: "utf8",
    logLevel: "warning",
    plugins: [assetUrlPlugin()],
    banner: { js: `// Generated by scripts/build-action.mjs from ${entry}: do not edit; run \`npm run build:action\`.\n${BANNER}` },
  });
  const file = result.outputFiles.find((f) => f.path === path.join(root, out));
  if (!file) throw new Error(`esbuild produced no ${out}`);
  return file.text;
}

/** Build every bundle in memory: { "dist-action/index.mjs": text, ... }. */
export async function bundleAll() {
  const out = {};
  for (const b of BUNDLES) out[b.out] = await bundleOne(b);
  return out;
}

/** The action's main bundle as text. */
export async function bundleAction() {
  return (await bundleAll())["dist-action/index.mjs"];
}

async function main() {
  const fresh = await bundleAll();
  if (process.argv.includes("--check")) {
    const stale = Object.keys(fresh).filter((out) => {
      const file = path.join(root, out);
      return !existsSync(file) || readFileSync(file, "utf8") !== fresh[out];
    });
    if (stale.length) {
      process.stderr.write(
        `${stale.join(", ")} stale: differs from a fresh build of src/.\nRun \`npm run build:action\` and commit dist-action/.\n`,
      );
      process.exitCode = 1;
      return;
    }
    process.stdout.write("dist-action/ is up to date.\n");
    return;
  }
  for (const [out, text] of Object.entries(fresh)) {
    const file = path.join(root, out);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, text);
    process.stdout.write(`wrote ${out} (${(Buffer.byteLength(text) / 1024).toFixed(0)} KiB)\n`);
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((e) => {
    process.stderr.write(`${e instanceof Error ? e.stack : e}\n`);
    process.exitCode = 2;
  });
}
