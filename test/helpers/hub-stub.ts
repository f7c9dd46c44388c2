/**
 * A stand-in for the Hugging Face Hub's file API on 127.0.0.1 (port 0), answering as huggingface.co does:
 *
 *   HEAD/GET /{org}/{name}/resolve/{revision}/{file}
 *     small file   200, ETag "<git blob sha1>", X-Repo-Commit, Content-Length (GET: the bytes)
 *     LFS file     302 to the CDN stand-in (another port = another host), X-Linked-Etag "<sha256>", X-Linked-Size
 *     no such file 404, X-Error-Code: EntryNotFound, X-Repo-Commit
 *     no such repo 401, X-Error-Code: RepoNotFound
 *     gated repo   401 (no token) / 403 (a token without access), X-Error-Code: GatedRepo
 *   GET /cdn/{sha256}   (CDN stand-in) the LFS bytes; records whether an Authorization header reached it
 *
 * Every request is recorded (method, path, authorization) so tests can prove what was (not) sent. `silent: true`
 * accepts connections and never answers.
 */
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { CLI } from "./lint.js";

export interface StubRepo {
  commit: string;
  files: Record<string, Buffer | string>;
  /** Files served the LFS way (redirect to the CDN). */
  lfs?: string[];
  /** Only this token may read it (gated). */
  token?: string;
  /** Every request for this repository is answered with this status (e.g. 500). */
  status?: number;
}

export interface SeenRequest {
  method: string;
  path: string;
  auth: string | null;
  host: "hub" | "cdn";
}

export interface HubStub {
  url: string;
  cdnUrl: string;
  seen: SeenRequest[];
  repos: Map<string, StubRepo>;
  close(): Promise<void>;
}

const sha1Blob = (b: Buffer) => createHash("sha1").update(`blob ${b.length}\0`).update(b).digest("hex");
const sha256 = (b: Buffer) => createHash("sha256").update(b).digest("hex");

/**
 * `plain: true`: a bare file server instead of the Hub (HEAD answers 405; GET serves the bytes with no X-Repo-Commit,
 * ETag or error code; a missing file or repository is a plain 404), as a simple mirror would.
 */
export async function startHubStub(
  repos: Record<string, StubRepo>,
  opts: { silent?: boolean; plain?: boolean; cdnChunkDelayMs?: number; cdnStall?: boolean } = {},
): Promise<HubStub> {
  const map = new Map(Object.entries(repos));
  const seen: SeenRequest[] = [];
  const blobs = new Map<string, Buffer>();
  const buf = (x: Buffer | string) => (typeof x === "string" ? Buffer.from(x) : x);
  const sockets = new Set<import("node:net").Socket>();

  const cdn = http.createServer((req, res) => {
    seen.push({ method: req.method!, path: req.url!, auth: req.headers.authorization ?? null, host: "cdn" });
    const m = /^\/cdn\/([0-9a-f]{64})$/.exec(req.url!);
    const b = m ? blobs.get(m[1]!) : undefined;
    if (!b) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { "Content-Length": b.length, "Content-Type": "application/octet-stream" });
    if (req.method === "HEAD") return void res.end();
    if (!opts.cdnChunkDelayMs && !opts.cdnStall) return void res.end(b);
    // slow (8 chunks, a pause between them) or stalled (half, then nothing) bodies
    const n = 8;
    const part = Math.ceil(b.length / n);
    let i = 0;
    const next = () => {
      if (res.destroyed) return;
      if (opts.cdnStall && i >= n / 2) return; // never finishes
      res.write(b.subarray(i * part, (i + 1) * part));
      if (++i >= n) return void res.end();
      setTimeout(next, opts.cdnChunkDelayMs ?? 0);
    };
    next();
  });
  await new Promise<void>((r) => cdn.listen(0, "127.0.0.1", r));
  const cdnUrl = `http://127.0.0.1:${(cdn.address() as AddressInfo).port}`;

  const hub = http.createServer((req, res) => {
    seen.push({ method: req.method!, path: req.url!, auth: req.headers.authorization ?? null, host: "hub" });
    if (opts.silent) return; // never answers
    const m = /^\/([^/]+\/[^/]+)\/resolve\/([^/]+)\/(.+)$/.exec(decodeURI(req.url!.split("?")[0]!));
    if (!m) {
      res.writeHead(404, { "X-Error-Code": "RepoNotFound" }).end();
      return;
    }
    const [, repoId, revision, file] = m as unknown as [string, string, string, string];
    const repo = map.get(repoId);
    if (opts.plain) {
      if (req.method === "HEAD") {
        res.writeHead(405).end();
        return;
      }
      const content = revision === "main" ? repo?.files[file] : undefined;
      if (content === undefined) {
        res.writeHead(404).end();
        return;
      }
      const b = buf(content);
      res.writeHead(200, { "Content-Length": b.length }).end(b);
      return;
    }
    const auth = req.headers.authorization ?? null;
    if (!repo) {
      res.writeHead(401, { "X-Error-Code": "RepoNotFound", "X-Error-Message": "Repository not found" }).end();
      return;
    }
    if (repo.status !== undefined) {
      res.writeHead(repo.status).end();
      return;
    }
    if (repo.token !== undefined && auth !== `Bearer ${repo.token}`) {
      res.writeHead(auth ? 403 : 401, { "X-Error-Code": "GatedRepo", "X-Error-Message": "Access to this model is restricted" }).end();
      return;
    }
    if (revision !== "main" && revision !== repo.commit) {
      res.writeHead(404, { "X-Error-Code": "RevisionNotFound" }).end();
      return;
    }
    const content = repo.files[file];
    if (content === undefined) {
      res.writeHead(404, { "X-Error-Code": "EntryNotFound", "X-Repo-Commit": repo.commit }).end();
      return;
    }
    const b = buf(content);
    if (repo.lfs?.includes(file)) {
      const h = sha256(b);
      blobs.set(h, b);
      res.writeHead(302, {
        Location: `${cdnUrl}/cdn/${h}`,
        "X-Repo-Commit": repo.commit,
        "X-Linked-Etag": `"${h}"`,
        "X-Linked-Size": String(b.length),
        ETag: `"${sha1Blob(b)}"`,
        "Content-Length": "0",
      });
      res.end();
      return;
    }
    res.writeHead(200, { "X-Repo-Commit": repo.commit, ETag: `"${sha1Blob(b)}"`, "Content-Length": b.length });
    res.end(req.method === "HEAD" ? undefined : b);
  });
  hub.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((r) => hub.listen(0, "127.0.0.1", r));
  const url = `http://127.0.0.1:${(hub.address() as AddressInfo).port}`;
  return {
    url,
    cdnUrl,
    seen,
    repos: map,
    async close() {
      for (const s of sockets) s.destroy();
      await Promise.all([new Promise((r) => hub.close(r)), new Promise((r) => cdn.close(r))]);
    },
  };
}

/** Runs the built CLI in a child process without blocking this process's event loop (the stub must answer). */
export function tunelintAsync(
  args: string[],
  opts: { env?: Record<string, string | undefined>; cwd?: string; timeoutMs?: number } = {},
): Promise<{ code: number; stdout: string; stderr: string; ms: number }> {
  const t0 = Date.now();
  return new Promise((resolve, reject) => {
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries({ ...process.env, NO_COLOR: "1", FORCE_COLOR: "0", ...opts.env })) if (v !== undefined) env[k] = v;
    const child = spawn(process.execPath, [CLI, ...args], { env, cwd: opts.cwd });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`tunelint ${args.join(" ")} did not finish within ${opts.timeoutMs ?? 60000} ms\n${stderr}`));
    }, opts.timeoutMs ?? 60000);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, stdout, stderr, ms: Date.now() - t0 });
    });
  });
}
