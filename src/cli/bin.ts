#!/usr/bin/env node
import module from "node:module";

// Node 22.1+: keep V8's compiled code of the bundle on disk (os.tmpdir()/node-compile-cache, shared by every
// process of this Node version; NODE_DISABLE_COMPILE_CACHE=1 turns it off), so a start-up does not parse and compile
// the ~600 KB bundle again. It must run before the bundle is loaded, hence the dynamic import. Node 20 has no cache.
(module as { enableCompileCache?: () => unknown }).enableCompileCache?.();
const { main } = await import("./main.js");

// A reader that stops early (`tunelint check ... | head`) closes the pipe: the rest of the output has nowhere to go.
// End quietly (the run's exit code stands), never with an unhandled EPIPE and a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (e: NodeJS.ErrnoException) => {
    if (e.code !== "EPIPE") throw e;
  });
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  () => {
    process.exitCode = 2;
  },
);
