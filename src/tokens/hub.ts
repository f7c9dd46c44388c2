/**
 * Tokenizer files from the Hugging Face Hub, the way huggingface_hub (`hf_hub_download`) and transformers do it, so
 * Python tools and tunelint share one cache:
 *
 * - cache: `HF_HUB_CACHE`, else `HF_HOME/hub` (HF_HOME default `$XDG_CACHE_HOME/huggingface`, else
 *   `~/.cache/huggingface`); a repository lives in `models--{org}--{name}/` with `refs/{revision}` (the commit hash),
 *   `snapshots/{commit}/{file}` (a relative symlink to `../../blobs/{etag}`), `blobs/{etag}`, and
 *   `.no_exist/{commit}/{file}` (an empty file: the repository has no such file at that commit).
 * - files: `tokenizer.json` (required), `tokenizer_config.json` (bos/eos, and the chat template of older repos),
 *   `chat_template.jinja` or `chat_template.json` (transformers prefers them over tokenizer_config's template).
 * - cache first: when the ref and the files (or their `.no_exist` markers) are in the cache, nothing is requested.
 *   Otherwise `HEAD {HF_ENDPOINT or https://huggingface.co}/{repo}/resolve/{revision}/{file}` (relative redirects
 *   followed; `X-Repo-Commit`, `X-Linked-Etag` or `ETag`, `X-Linked-Size` or `Content-Length`), then a GET of the
 *   file (or of the CDN location the HEAD named; the token is never sent to another host), written to
 *   `blobs/{etag}.{random}.incomplete`, size checked, renamed, and linked from the snapshot; `refs/{revision}` is
 *   written atomically.
 * - `HF_TOKEN` (else `HUGGING_FACE_HUB_TOKEN`, else the token file `HF_TOKEN_PATH` or `HF_HOME/token`) is sent as a
 *   Bearer token; it is never printed (errors name the variable, never its value).
 * - `HF_HUB_OFFLINE=1` (or `TRANSFORMERS_OFFLINE`; 1/ON/YES/TRUE): the cache only, no request at all.
 * - time-outs: `HF_HUB_ETAG_TIMEOUT` (seconds, default 10) for the metadata request, `HF_HUB_DOWNLOAD_TIMEOUT`
 *   (default 10) between two chunks of a download, and every download ends within 120 s; bodies are capped
 *   (tokenizer.json at MAX_TOKENIZER_BYTES).
 */
import { createHash, randomBytes } from "node:crypto";
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  symlinkSync,
  unlinkSync,
  writeFileSync,
  writeSync,
} from "node:fs";
import { homedir } from "node:os";
import { dirname, join, relative } from "node:path";

/** Largest tokenizer.json (bytes, uncompressed) tunelint loads: the largest real ones are about 35 MB (Gemma). */
export const MAX_TOKENIZER_BYTES = 100 * 1024 * 1024;
/** Largest tokenizer_config.json / chat template file. */
export const MAX_CONFIG_BYTES = 8 * 1024 * 1024;
const DOWNLOAD_DEADLINE_MS = 120_000;
const MAX_REDIRECTS = 5;
const COMMIT_RE = /^[0-9a-f]{40}$/;

export type HubErrorKind = "auth" | "not-found" | "no-tokenizer" | "offline" | "unreachable" | "remote" | "too-large" | "cache";

/** Records in the cache that `name` does not exist at `commit` (huggingface_hub's `.no_exist` marker), and says so. */
function markAbsent(storage: string, commit: string, name: string): { commit: string; absent: true; downloaded: false } {
  const marker = join(storage, ".no_exist", commit, name);
  try {
    mkdirSync(dirname(marker), { recursive: true });
    writeFileSync(marker, "");
  } catch {
    // a read-only cache: the marker is an optimisation only
  }
  return { commit, absent: true, downloaded: false };
}
export class HubError extends Error {
  override name = "HubError";
  constructor(
    message: string,
    public readonly kind: HubErrorKind,
    public readonly status?: number,
  ) {
    super(message);
  }
}

export interface HubSettings {
  cacheDir: string;
  endpoint: string;
  offline: boolean;
  token: string | null;
  /** Where the token came from (for messages; never the token itself). */
  tokenFrom: "HF_TOKEN" | "HUGGING_FACE_HUB_TOKEN" | "token file" | null;
  etagTimeoutMs: number;
  downloadTimeoutMs: number;
}

const TRUE = new Set(["1", "ON", "YES", "TRUE"]);
const isTrue = (v: string | undefined) => v !== undefined && TRUE.has(v.toUpperCase());
const expandUser = (p: string) => (p === "~" || p.startsWith("~/") ? join(homedir(), p.slice(1)) : p);
const seconds = (v: string | undefined, dflt: number) => {
  const n = v === undefined ? NaN : Number.parseInt(v, 10);
  return (Number.isFinite(n) && n > 0 ? n : dflt) * 1000;
};

/** huggingface_hub's constants.py, from the environment. */
export function hubSettings(env: NodeJS.ProcessEnv = process.env): HubSettings {
  const home = expandUser(env.HF_HOME || join(env.XDG_CACHE_HOME || join(homedir(), ".cache"), "huggingface"));
  const cacheDir = expandUser(env.HF_HUB_CACHE || env.HUGGINGFACE_HUB_CACHE || join(home, "hub"));
  let token: string | null = null;
  let tokenFrom: HubSettings["tokenFrom"] = null;
  const clean = (t: string | undefined) => (t ?? "").replace(/\r|\n/g, "").trim();
  if (clean(env.HF_TOKEN)) {
    token = clean(env.HF_TOKEN);
    tokenFrom = "HF_TOKEN";
  } else if (clean(env.HUGGING_FACE_HUB_TOKEN)) {
    token = clean(env.HUGGING_FACE_HUB_TOKEN);
    tokenFrom = "HUGGING_FACE_HUB_TOKEN";
  } else {
    try {
      const t = clean(readFileSync(expandUser(env.HF_TOKEN_PATH || join(home, "token")), "utf8"));
      if (t) {
        token = t;
        tokenFrom = "token file";
      }
    } catch {
      // no token file
    }
  }
  return {
    cacheDir,
    endpoint: (env.HF_ENDPOINT || "https://huggingface.co").replace(/\/+$/, ""),
    offline: isTrue(env.HF_HUB_OFFLINE || env.TRANSFORMERS_OFFLINE),
    token,
    tokenFrom,
    etagTimeoutMs: seconds(env.HF_HUB_ETAG_TIMEOUT, 10),
    downloadTimeoutMs: seconds(env.HF_HUB_DOWNLOAD_TIMEOUT, 10),
  };
}

/** `models--org--name` (huggingface_hub repo_folder_name). */
export function repoFolderName(repo: string): string {
  return ["models", ...repo.split("/")].join("--");
}

/** A Hub repository id as huggingface_hub accepts it: `name` or `org/name`, [A-Za-z0-9._-], no `--` or `..`. */
export function isRepoId(repo: string): boolean {
  return (
    /^(?:[A-Za-z0-9][A-Za-z0-9._-]*\/)?[A-Za-z0-9][A-Za-z0-9._-]*$/.test(repo) &&
    !repo.includes("--") &&
    !repo.includes("..") &&
    repo.length <= 96
  );
}

export interface HubFiles {
  repo: string;
  revision: string;
  commit: string;
  /** "cache": every file came from the local cache (no request); "hub": at least one was downloaded now. */
  source: "cache" | "hub";
  /** Paths in the snapshot folder. */
  tokenizer: string;
  tokenizerConfig: string | null;
  chatTemplateJinja: string | null;
  chatTemplateJson: string | null;
}

interface Wanted {
  name: string;
  required: boolean;
  max: number;
}
const FILES: Wanted[] = [
  { name: "tokenizer.json", required: true, max: MAX_TOKENIZER_BYTES },
  { name: "tokenizer_config.json", required: false, max: MAX_CONFIG_BYTES },
  { name: "chat_template.jinja", required: false, max: MAX_CONFIG_BYTES },
  { name: "chat_template.json", required: false, max: MAX_CONFIG_BYTES },
];

export interface ResolveOptions {
  revision?: string;
  env?: NodeJS.ProcessEnv;
  signal?: AbortSignal;
}

type CacheState = "present" | "absent" | "unknown";

function cacheState(storage: string, commit: string, file: string): CacheState {
  if (existsSync(join(storage, "snapshots", commit, file))) return "present";
  if (existsSync(join(storage, ".no_exist", commit, file))) return "absent";
  return "unknown";
}

function readRef(storage: string, revision: string): string | null {
  if (COMMIT_RE.test(revision)) return revision;
  try {
    const c = readFileSync(join(storage, "refs", revision), "utf8").trim();
    return COMMIT_RE.test(c) ? c : null;
  } catch {
    return null;
  }
}

function writeAtomic(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${randomBytes(4).toString("hex")}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}

/**
 * The tokenizer files of `repo` at `revision` (default "main"): from the cache when it has them, else downloaded into
 * it. Throws HubError (kind says why); never prints.
 */
export async function resolveHubTokenizer(repo: string, opts: ResolveOptions = {}): Promise<HubFiles> {
  const s = hubSettings(opts.env);
  const revision = opts.revision ?? "main";
  if (!isRepoId(repo)) throw new HubError(`"${repo}" is not a Hugging Face repository id (org/name)`, "not-found");
  if (!/^[A-Za-z0-9._\-/]+$/.test(revision) || revision.includes("..")) throw new HubError(`invalid revision "${revision}"`, "not-found");
  const storage = join(s.cacheDir, repoFolderName(repo));

  // 1. the cache alone
  const cached = readRef(storage, revision);
  if (cached) {
    const states = FILES.map((f) => cacheState(storage, cached, f.name));
    if (states[0] === "present" && (s.offline || states.every((x) => x !== "unknown")))
      return filesAt(repo, revision, cached, storage, "cache");
  }
  if (s.offline) {
    throw new HubError(`${repo}: HF_HUB_OFFLINE is set and the tokenizer is not in the Hugging Face cache (${s.cacheDir})`, "offline");
  }

  // 2. the Hub, file by file (tokenizer.json first: a repo without one ends here)
  const client = new HubClient(s, opts.signal);
  let commit = cached;
  let downloaded = false;
  for (const f of FILES) {
    if (commit && cacheState(storage, commit, f.name) !== "unknown") continue;
    // as hf_hub_download: every file is asked for at the revision given, and placed under the commit its answer names
    const r = await client.fetchFile(repo, revision, f, storage);
    if (!commit) {
      commit = r.commit;
      if (revision !== commit) writeAtomic(join(storage, "refs", revision), commit);
    }
    if (r.downloaded) downloaded = true;
    if (r.absent && f.required) {
      throw new HubError(
        `${repo} has no tokenizer.json (a tokenizer tunelint cannot read, e.g. tiktoken or SentencePiece only)`,
        "no-tokenizer",
      );
    }
  }
  return filesAt(repo, revision, commit!, storage, downloaded ? "hub" : "cache");
}

function filesAt(repo: string, revision: string, commit: string, storage: string, source: "cache" | "hub"): HubFiles {
  const snap = join(storage, "snapshots", commit);
  const at = (f: string) => (existsSync(join(snap, f)) ? join(snap, f) : null);
  const tokenizer = at("tokenizer.json");
  if (!tokenizer) throw new HubError(`${repo}: tokenizer.json missing from the cache snapshot ${commit}`, "cache");
  return {
    repo,
    revision,
    commit,
    source,
    tokenizer,
    tokenizerConfig: at("tokenizer_config.json"),
    chatTemplateJinja: at("chat_template.jinja"),
    chatTemplateJson: at("chat_template.json"),
  };
}

/** The file is not in the repository (a GET answered 404 where no HEAD could tell). */
class AbsentFile extends Error {}

const normEtag = (e: string | null) => (e === null ? null : e.replace(/^W\//, "").replace(/^"+|"+$/g, ""));

class HubClient {
  constructor(
    private readonly s: HubSettings,
    private readonly signal?: AbortSignal,
  ) {}

  private headers(url: string): Record<string, string> {
    const h: Record<string, string> = { "User-Agent": "tunelint", "Accept-Encoding": "identity" };
    if (this.s.token && new URL(url).host === new URL(this.s.endpoint).host) h.Authorization = `Bearer ${this.s.token}`;
    return h;
  }

  /** One request with its own timer (AbortSignal.timeout can lose its timer to a garbage collection on Node 20). */
  private async request(
    method: "HEAD" | "GET",
    url: string,
    timeoutMs: number,
  ): Promise<{ res: Response; done: () => void; ctl: AbortController }> {
    const ctl = new AbortController();
    const timer = setTimeout(() => ctl.abort(new Error(`no answer within ${Math.round(timeoutMs / 1000)} s`)), timeoutMs);
    const onAbort = () => ctl.abort(this.signal?.reason);
    this.signal?.addEventListener("abort", onAbort, { once: true });
    const done = () => {
      clearTimeout(timer);
      this.signal?.removeEventListener("abort", onAbort);
    };
    try {
      const res = await fetch(url, { method, headers: this.headers(url), redirect: "manual", signal: ctl.signal });
      return { res, done, ctl };
    } catch (e) {
      done();
      const why = ctl.signal.aborted
        ? String((ctl.signal.reason as Error)?.message ?? "aborted")
        : (((e as Error).cause as Error)?.message ?? (e as Error).message);
      throw new HubError(`cannot reach the Hugging Face Hub at ${this.s.endpoint}: ${why}`, "unreachable");
    }
  }

  private refuse(repo: string, file: string, res: Response): never {
    const code = res.headers.get("x-error-code") ?? "";
    const st = res.status;
    if (code === "RepoNotFound" || (st === 404 && code !== "EntryNotFound")) {
      const hint = this.s.token ? "" : " (if it is private, set HF_TOKEN to a token that can read it)";
      throw new HubError(`${repo} was not found on the Hugging Face Hub${hint}`, "not-found", st);
    }
    if (code === "RevisionNotFound") throw new HubError(`${repo}: revision not found on the Hugging Face Hub`, "not-found", st);
    if (st === 401 || st === 403) {
      const gated = code === "GatedRepo" || st === 403;
      const what = gated ? `${repo} is a gated repository` : `the Hugging Face Hub refused the request for ${repo}`;
      const fix = this.s.token
        ? `the token from ${this.s.tokenFrom} was refused or has no access: accept the model's licence on its Hub page with that account, or set HF_TOKEN to a token that can read it`
        : "set HF_TOKEN to a Hugging Face access token that can read it (and accept the model's licence on its Hub page)";
      throw new HubError(`${what} (HTTP ${st}): ${fix}`, "auth", st);
    }
    throw new HubError(`the Hugging Face Hub answered HTTP ${st} for ${repo}/${file}`, "remote", st);
  }

  async fetchFile(
    repo: string,
    revision: string,
    f: Wanted,
    storage: string,
  ): Promise<{ commit: string; absent: boolean; downloaded: boolean }> {
    const resolveUrl = `${this.s.endpoint}/${repo}/resolve/${encodeURIComponent(revision)}/${f.name}`;
    // HEAD, following relative redirects (renamed repositories) only
    let url = resolveUrl;
    let res: Response | null = null;
    for (let hop = 0; ; hop++) {
      const r = await this.request("HEAD", url, this.s.etagTimeoutMs);
      r.done();
      res = r.res;
      const loc = res.headers.get("location");
      if (res.status >= 300 && res.status < 400 && loc && loc.startsWith("/") && hop < MAX_REDIRECTS) {
        url = new URL(loc, url).toString();
        continue;
      }
      break;
    }
    const commitHdr = res.headers.get("x-repo-commit");
    // The Hub always names the commit, the ETag and the size (huggingface_hub requires them). A mirror that does not
    // gets a stable commit id made from the endpoint, repository and revision, and blobs named by their SHA-256, so
    // the cache layout still holds.
    const commit =
      commitHdr && COMMIT_RE.test(commitHdr) ? commitHdr : COMMIT_RE.test(revision) ? revision : this.syntheticCommit(repo, revision);
    // A plain 404 (no X-Error-Code, as simple mirrors answer) for an optional file once the repository is known: absent.
    const plain404 = res.status === 404 && !res.headers.get("x-error-code") && !f.required;
    if ((res.status === 404 && res.headers.get("x-error-code") === "EntryNotFound") || plain404) return markAbsent(storage, commit, f.name);
    // A server that does not implement HEAD (405/501): the GET answers for it.
    const noHead = res.status === 405 || res.status === 501;
    if (!noHead && !(res.status >= 200 && res.status < 400)) this.refuse(repo, f.name, res);
    let etag = noHead ? null : normEtag(res.headers.get("x-linked-etag") ?? res.headers.get("etag"));
    if (etag !== null && !/^[A-Za-z0-9._-]{1,128}$/.test(etag)) etag = null;
    const isRedirect = !noHead && res.status >= 300;
    const sizeHdr = noHead ? null : (res.headers.get("x-linked-size") ?? (isRedirect ? null : res.headers.get("content-length")));
    const size = sizeHdr === null ? NaN : Number(sizeHdr);
    if (size > f.max) throw new HubError(`${repo}/${f.name} is ${size} bytes, over tunelint's limit of ${f.max} bytes`, "too-large");

    const pointer = join(storage, "snapshots", commit, f.name);
    let downloaded = false;
    let blob = etag === null ? null : join(storage, "blobs", etag);
    if (blob === null || !existsSync(blob)) {
      const location = isRedirect && res.headers.get("location") ? new URL(res.headers.get("location")!, url).toString() : url;
      try {
        blob = await this.download(location, storage, etag, size, f, repo);
      } catch (e) {
        if (!(e instanceof AbsentFile)) throw e;
        return markAbsent(storage, commit, f.name);
      }
      downloaded = true;
    }
    mkdirSync(dirname(pointer), { recursive: true });
    try {
      unlinkSync(pointer);
    } catch {
      // not there yet
    }
    try {
      symlinkSync(relative(dirname(pointer), blob), pointer);
    } catch {
      writeFileSync(pointer, readFileSync(blob)); // no symlinks on this file system: a copy, as huggingface_hub does
    }
    return { commit, absent: false, downloaded };
  }

  private syntheticCommit(repo: string, revision: string): string {
    return createHash("sha1").update(`${this.s.endpoint}/${repo}@${revision}`).digest("hex");
  }

  /** Downloads into blobs/ (named by `etag`, or by the SHA-256 of the bytes when the server gave none); returns the path. */
  private async download(startUrl: string, storage: string, etag: string | null, size: number, f: Wanted, repo: string): Promise<string> {
    const deadline = Date.now() + DOWNLOAD_DEADLINE_MS;
    let url = startUrl;
    let res: Response;
    let r: Awaited<ReturnType<HubClient["request"]>>;
    for (let hop = 0; ; hop++) {
      r = await this.request("GET", url, this.s.downloadTimeoutMs);
      res = r.res;
      const loc = res.headers.get("location");
      if (res.status >= 300 && res.status < 400 && loc && hop < MAX_REDIRECTS) {
        r.done();
        await res.body?.cancel().catch(() => undefined);
        url = new URL(loc, url).toString(); // headers() drops the token for another host
        continue;
      }
      break;
    }
    if (!res.ok) {
      r.done();
      await res.body?.cancel().catch(() => undefined);
      const code = res.headers.get("x-error-code");
      if (res.status === 404 && (code === "EntryNotFound" || (!code && !f.required))) throw new AbsentFile();
      this.refuse(repo, f.name, res);
    }
    if (!Number.isFinite(size)) {
      const cl = Number(res.headers.get("content-length") ?? NaN);
      if (Number.isFinite(cl) && cl > f.max) {
        r.done();
        await res.body?.cancel().catch(() => undefined);
        throw new HubError(`${repo}/${f.name} is ${cl} bytes, over tunelint's limit of ${f.max} bytes`, "too-large");
      }
    }
    // The headers came within the time-out: from here the body is bounded by the idle time-out per chunk and the
    // download deadline (the first timer would otherwise cut a long but steady download).
    r.done();
    const hasher = createHash("sha256");
    const blobsDir = join(storage, "blobs");
    mkdirSync(blobsDir, { recursive: true });
    const tmp = join(blobsDir, `${etag ?? "download"}.${randomBytes(4).toString("hex")}.incomplete`);
    const fd = openSync(tmp, "w");
    let got = 0;
    let ok = false;
    try {
      const reader = res.body!.getReader();
      for (;;) {
        // idle time-out per chunk, and the whole download within the deadline
        const wait = Math.min(this.s.downloadTimeoutMs, deadline - Date.now());
        if (wait <= 0)
          throw new HubError(`${repo}/${f.name}: download did not finish within ${DOWNLOAD_DEADLINE_MS / 1000} s`, "unreachable");
        let t: NodeJS.Timeout | undefined;
        const chunk = await Promise.race([
          reader.read(),
          new Promise<never>((_, rej) => {
            t = setTimeout(
              () => rej(new HubError(`${repo}/${f.name}: download stalled (no data for ${Math.round(wait / 1000)} s)`, "unreachable")),
              wait,
            );
          }),
        ]).finally(() => clearTimeout(t));
        if (chunk.done) break;
        got += chunk.value.byteLength;
        if (got > f.max) throw new HubError(`${repo}/${f.name} is over tunelint's limit of ${f.max} bytes`, "too-large");
        if (got > size) throw new HubError(`${repo}/${f.name}: the download is larger than the ${size} bytes announced`, "remote");
        if (etag === null) hasher.update(chunk.value);
        writeSync(fd, chunk.value);
      }
      if (Number.isFinite(size) && got !== size) throw new HubError(`${repo}/${f.name}: got ${got} bytes of ${size}`, "remote");
      ok = true;
    } catch (e) {
      r.ctl.abort();
      if (e instanceof HubError) throw e;
      throw new HubError(`${repo}/${f.name}: download failed: ${(e as Error).message}`, "unreachable");
    } finally {
      r.done();
      closeSync(fd);
      if (!ok) rmSync(tmp, { force: true });
    }
    const blob = join(blobsDir, etag ?? hasher.digest("hex"));
    renameSync(tmp, blob);
    return blob;
  }
}

/** `hf:org/name` or `hf:org/name@revision` -> { repo, revision }; null for anything else. */
export function parseHubSpec(spec: string): { repo: string; revision: string } | null {
  if (!spec.startsWith("hf:")) return null;
  const rest = spec.slice(3);
  const at = rest.indexOf("@");
  return at < 0 ? { repo: rest, revision: "main" } : { repo: rest.slice(0, at), revision: rest.slice(at + 1) || "main" };
}
