#!/usr/bin/env node
/**
 * Bundles the CLI into dist/bundle/ (run by `npm run build` after tsc): `tunelint.mjs` (the bin), `worker.js` (the
 * parallel-check worker) and lazily loaded chunks (tokenizers, uploader). Loading one file instead of ~70 modules
 * takes most of the module-loading time out of start-up; dist/ (tsc) stays the library entry point.
 */
import { build } from "esbuild";
import { rmSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { assetUrlPlugin, BANNER } from "./build-action.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const OUT = "dist/bundle";

rmSync(path.join(root, OUT), { recursive: true, force: true });
await build({
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
  plugins: [assetUrlPlugin(OUT)],
  banner: { js: BANNER },
});
