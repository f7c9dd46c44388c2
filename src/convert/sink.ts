/**
 * Where fix and convert write: a file (written beside itself under a temporary name and renamed into place at the
 * end, so a failed run never leaves half a dataset under the output name), or a stream (stdout). Never the input.
 */
import { once } from "node:events";
import { createReadStream, createWriteStream, type WriteStream } from "node:fs";
import { chmod, mkdir, realpath, rename, stat, unlink } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { createGzip, type Gzip } from "node:zlib";
import { UsageError } from "../errors.js";

export interface Sink {
  /** Appends one line (a line end is added). */
  line(bytes: Buffer | string, crlf?: boolean): Promise<void> | void;
  /** Finishes the output (renames the file into place). */
  close(): Promise<void>;
  /** Drops what was written (removes the temporary file). */
  abort(): Promise<void>;
  bytes: number;
}

/**
 * Refuses an output that is the input: the same path in another spelling, a symlink to it, or a hard link (same
 * device and inode). `-` is stdin / stdout.
 */
export async function assertNotSameFile(input: string, output: string): Promise<void> {
  if (input === "-" || output === "-") return;
  let o;
  try {
    o = await stat(output);
  } catch {
    return; // does not exist yet: it cannot be the input
  }
  if (o.isDirectory()) throw new UsageError(`The output ${output} is a directory: give a file name.`);
  let i;
  try {
    i = await stat(input);
  } catch {
    return; // the read will report it
  }
  if (i.dev === o.dev && i.ino === o.ino) {
    throw new UsageError(
      `The output ${output} is the input file${output === input ? "" : ` (${input})`}: tunelint never modifies a dataset in place. Write to another file.`,
    );
  }
}

const LF = Buffer.from("\n");
const CRLF = Buffer.from("\r\n");
const FLUSH_BYTES = 1024 * 1024;

class StreamSink implements Sink {
  bytes = 0;
  private readonly gzip: Gzip | null;
  private readonly target: NodeJS.WritableStream;
  private failed: Error | null = null;

  constructor(
    private readonly out: NodeJS.WritableStream,
    gzip: boolean,
    private readonly file: { tmp: string; final: string } | null,
    /** A stream this sink opened itself (a FIFO or device): ended on close. */
    private readonly owned = false,
  ) {
    this.gzip = gzip ? createGzip() : null;
    if (this.gzip) this.gzip.pipe(out);
    this.target = this.gzip ?? out;
    (out as WriteStream).on?.("error", (e: Error) => (this.failed ??= e));
  }

  // Lines are gathered into ~1 MiB writes: one write per line costs more than the conversion.
  private pending: Buffer[] = [];
  private pendingBytes = 0;

  line(bytes: Buffer | string, crlf = false): Promise<void> | void {
    if (this.failed) throw this.failed;
    const b = typeof bytes === "string" ? Buffer.from(bytes, "utf8") : bytes;
    this.pending.push(b, crlf ? CRLF : LF);
    this.pendingBytes += b.length + (crlf ? 2 : 1);
    this.bytes += b.length + (crlf ? 2 : 1);
    if (this.pendingBytes >= FLUSH_BYTES) return this.flush();
  }

  private flush(): Promise<void> | void {
    if (this.pendingBytes === 0) return;
    const chunk = Buffer.concat(this.pending, this.pendingBytes);
    this.pending = [];
    this.pendingBytes = 0;
    if (!this.target.write(chunk)) return this.drain();
  }

  private async drain(): Promise<void> {
    // events.once rejects on "error" too, and removes its listeners either way.
    await once(this.target as unknown as NodeJS.EventEmitter, "drain");
    if (this.failed) throw this.failed;
  }

  async close(): Promise<void> {
    if (this.failed) throw this.failed;
    await this.flush();
    if (this.file) {
      const ws = this.out as WriteStream;
      const finished = once(ws, "finish");
      this.target.end();
      await finished;
      if (this.failed) throw this.failed;
      await rename(this.file.tmp, this.file.final);
    } else if (this.owned) {
      const finished = once(this.out as WriteStream, "finish");
      this.target.end();
      await finished;
    } else if (this.gzip) {
      const done = once(this.gzip, "end");
      this.gzip.end();
      await done;
    }
  }

  async abort(): Promise<void> {
    if (this.owned) (this.out as WriteStream).destroy();
    if (!this.file) return;
    (this.out as WriteStream).destroy();
    await unlink(this.file.tmp).catch(() => {});
  }
}

/**
 * Opens the output: `-` writes to `stdout`, a path ending in .gz is gzip-compressed. A regular file (or a new one) is
 * written under a temporary name beside it and renamed into place on close (through a symlink: beside its target,
 * keeping the target's mode); anything else that exists (a FIFO, a character device such as /dev/null) is written
 * directly: renaming over it would replace the device.
 */
export async function openSink(output: string, stdout: NodeJS.WritableStream = process.stdout): Promise<Sink> {
  if (output === "-") return new StreamSink(stdout, false, null);
  const gzip = output.endsWith(".gz");
  let target = output;
  let mode: number | undefined;
  try {
    const st = await stat(output);
    if (!st.isFile()) {
      const ws = createWriteStream(output, { flags: "w" });
      try {
        await once(ws, "open");
      } catch (e) {
        throw new UsageError(`Cannot write ${output}: ${(e as Error).message}`);
      }
      return new StreamSink(ws, gzip, null, true);
    }
    target = await realpath(output);
    mode = st.mode & 0o7777;
  } catch (e) {
    if (e instanceof UsageError) throw e;
    // does not exist yet: a new file
  }
  await makeParents(dirname(target)); // the open below reports what fails
  const tmp = join(dirname(target), `.${basename(target)}.tunelint-${process.pid}-${Date.now()}.tmp`);
  const ws = createWriteStream(tmp, { flags: "wx", mode: mode ?? 0o666 });
  try {
    await once(ws, "open");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why =
      code === "ENOENT"
        ? "its directory does not exist and cannot be created"
        : code === "EACCES" || code === "EPERM"
          ? "permission denied"
          : code === "EROFS"
            ? "read-only file system"
            : (e as Error).message;
    throw new UsageError(`Cannot write ${output}: ${why}.`);
  }
  if (mode !== undefined) await chmod(tmp, mode).catch(() => {});
  return new StreamSink(ws, gzip, { tmp, final: target });
}

/**
 * Creates missing parent directories one level at a time (Node's recursive mkdir spins forever where a level cannot be
 * created, e.g. under /proc); errors are left for the open that follows to report.
 */
async function makeParents(dir: string): Promise<void> {
  const missing: string[] = [];
  let d = dir;
  for (;;) {
    try {
      await stat(d);
      break;
    } catch {
      missing.push(d);
      const up = dirname(d);
      if (up === d) break;
      d = up;
    }
  }
  for (const m of missing.reverse()) {
    try {
      await mkdir(m);
    } catch {
      return;
    }
  }
}

/** Opens the input: `-` is stdin. */
export function openInput(input: string, stdin: NodeJS.ReadableStream = process.stdin): NodeJS.ReadableStream {
  return input === "-" ? stdin : createReadStream(input, { highWaterMark: 1024 * 1024 });
}
