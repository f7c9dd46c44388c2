#!/usr/bin/env node
/**
 * Bundles the CLI into dist/bundle/ (run by `npm run build` after tsc): `tunelint.mjs` (the bin), `worker.js` (the
 * parallel-check worker) and lazily loaded chunks (tokenizers, uploader). Loading one file instead of ~70 modules
 * takes most of the module-loading time out of start-up; dist/ (tsc) stays the library entry point.
 */
import { build } from "esbuild";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { assetUrlPlugin, BANNER } from "./build-action.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const OUT = "dist/bundle";

/**
 * yargs' help layout (cliui) uses string-width, whose module top level builds an Intl.Segmenter (ICU data) and
 * Unicode-property regexes (\p{RGI_Emoji} ...): about 13 ms of CPU on every start-up, for text only help output
 * measures. This plugin defers that module body to the first stringWidth() call (same code, same results).
 */
export const lazyStringWidthPlugin = {
  name: "lazy-string-width",
  setup(b) {
    b.onLoad({ filter: /[\\/]string-width[\\/]index\.js$/ }, (args) => {
      const src = readFileSync(args.path, "utf8");
      const lines = src.split("\n");
      const imports = lines.filter((l) => /^import .* from '[^']+';$/.test(l));
      const body = lines.filter((l) => !imports.includes(l)).join("\n");
      if (
        imports.length === 0 ||
        !/^export default function stringWidth\(/m.test(body) ||
        /^export (?!default function stringWidth\()/m.test(body)
      ) {
        throw new Error(`lazy-string-width: unexpected shape of ${args.path}`);
      }
      const inner = body.replace(/^export default function stringWidth\(/m, "function stringWidth(");
      const contents = `${imports.join("\n")}\nlet impl;\nexport default function stringWidthLazy(...a) {\n  impl ??= (() => {\n${inner}\nreturn stringWidth;\n})();\n  return impl(...a);\n}\n`;
      return { contents, loader: "js" };
    });
  },
};

rmSync(path.join(root, OUT), { recursive: true, force: true });
// `--metafile FILE`: also write esbuild's metafile (which modules went into which chunk) for analysis.
const metaAt = process.argv.indexOf("--metafile");
const result = await build({
  absWorkingDir: root,
  entryPoints: { tunelint: "src/cli/bin.ts", worker: "src/lint/worker.ts" },
  bundle: true,
  splitting: true,
  platform: "node",
  format: "esm",
  target: "node20",
  outdir: OUT,
  outExtension: { ".js": ".mjs" },
  // Chunks sit beside the entries: rebased asset URLs (schemas/, data/, package.json) assume dist/bundle/.
  chunkNames: "[name]-[hash]",
  legalComments: "none",
  charset: "utf8",
  logLevel: "warning",
  // Packages with native or data files stay external (resolved from node_modules at run time).
  external: ["tokenizers"],
  plugins: [assetUrlPlugin(OUT), lazyStringWidthPlugin],
  banner: { js: BANNER },
  metafile: metaAt > 0,
});
if (metaAt > 0) writeFileSync(process.argv[metaAt + 1], JSON.stringify(result.metafile));
