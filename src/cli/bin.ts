#!/usr/bin/env node
import { main } from "./main.js";

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
