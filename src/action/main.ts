/**
 * Entry point of the GitHub Action (bundled into dist-action/index.mjs by scripts/build-action.mjs).
 * The runner starts it as `node dist-action/index.mjs` with the inputs in INPUT_* variables.
 */
import { lintFiles } from "../lint/lint.js";
import { ruleDocs } from "../report/formatters.js";
import { stylish } from "../report/stylish.js";
import { escapeData } from "../report/workflow-commands.js";
import { run } from "./action.js";

// The runner starts actions in the workspace already; make sure, since the library reads the matched
// (workspace-relative) paths from the current directory.
if (process.env.GITHUB_WORKSPACE && process.cwd() !== process.env.GITHUB_WORKSPACE) process.chdir(process.env.GITHUB_WORKSPACE);

run(process.env, {
  lint: async ({ patterns, allowUnmatched, cwd, model, method, config, histograms }) => ({
    report: await lintFiles(patterns, { cwd, model, method, config, allowUnmatched, histograms }),
    rules: ruleDocs(),
  }),
  stylish,
  write: (text) => {
    process.stdout.write(text);
  },
}).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stdout.write(`::error::tunelint crashed: ${escapeData(String(e instanceof Error ? e.message : e))}\n`);
    process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
    process.exitCode = 2;
  },
);
