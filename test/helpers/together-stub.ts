/**
 * A stand-in for the Together API: a real HTTP server on 127.0.0.1 (port 0) implementing what the uploader uses,
 * with injectable faults, and a record of every request it received.
 *
 *   POST /v1/files                        302, Location: presigned PUT on this server, X-Together-File-Id
 *   PUT  /upload/{fileId}?X-Amz-...       stores the bytes (no auth; Content-Length required)
 *   GET  /v1/files/{id}                   {id, processing_status, validation_report?, bytes, filename, ...}
 *   POST /v1/files/multipart/initiate     {upload_id, file_id, parts:[{PartNumber, URL, Headers}]}
 *   PUT  /multipart/{uploadId}/{n}?...    stores a part, answers an ETag
 *   POST /v1/files/multipart/complete     assembles the parts
 *   POST /v1/files/multipart/abort
 *   GET  /v1/fine-tunes/models/limits?model_name=
 *   POST /v1/fine-tunes                   {id, status: "pending", ...}
 *   GET  /v1/fine-tunes                   {data: [...jobs]}
 *   GET  /v1/models                       [{id, object: "model", ...}]
 *   POST /v1/fine-tunes/estimate-price    {estimation_available, allowed_to_proceed, estimated_total_price, ...}
 *
 * Faults: an error status, a dropped connection, a delay, a silent server (never answers), an endless or trickling
 * body, a redirect, extra headers.
 */
import { createHash } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";

export type Route =
  | "POST /files"
  | "PUT /upload"
  | "GET /files/:id"
  | "POST /files/multipart/initiate"
  | "PUT /multipart"
  | "POST /files/multipart/complete"
  | "POST /files/multipart/abort"
  | "GET /fine-tunes/models/limits"
  | "POST /fine-tunes"
  | "GET /fine-tunes"
  | "GET /models"
  | "POST /fine-tunes/estimate-price"
  | "unknown";

export type FaultAction =
  | { status: number; headers?: Record<string, string>; body?: unknown }
  /** Destroy the connection, after reading `afterBytes` of the request body (default 0). */
  | { drop: true; afterBytes?: number }
  /** Answer normally, but only after this delay. */
  | { delayMs: number }
  /** Do the work (create the file / job), then drop the connection instead of answering. */
  | { dropResponse: true }
  /** Answer normally with these extra headers (e.g. X-RateLimit-Remaining: 0). */
  | { extraHeaders: Record<string, string> }
  /** Read the request, then never answer (the connection stays open). */
  | { silent: true }
  /** Answer this status, then a body that never ends (64 KiB chunks as fast as the client takes them). */
  | { endless: true; status?: number }
  /** Answer this status, then one byte of body every 50 ms, forever. */
  | { trickle: true; status?: number }
  /** Answer a redirect to this URL. */
  | { redirect: string; status?: number };

export interface Fault {
  route: Route | "*";
  /** How many requests it applies to (default: all). */
  times?: number;
  action: FaultAction;
}

export interface RecordedRequest {
  route: Route;
  method: string;
  /** Path and query as received. */
  url: string;
  path: string;
  query: Record<string, string>;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  /** true when the body arrived complete (Content-Length bytes). */
  complete: boolean;
  /** What the stub answered (0 when it dropped the connection). */
  status: number;
}

export interface StubFile {
  id: string;
  filename: string;
  purpose: string;
  fileType: string;
  bytes: Buffer | null;
  sha256: string | null;
  /** Statuses still to be shown, one per GET after the upload completed; the last one stays. */
  statuses: string[];
  validationReport?: unknown;
}

export interface StubJob {
  id: string;
  status: string;
  model: string;
  training_file: string;
  validation_file?: string;
  created_at: string;
  [k: string]: unknown;
}

export interface StubOptions {
  apiKey?: string;
  models?: string[];
  /** Status used for an unknown model on limits and job creation (default 404). */
  modelNotFoundStatus?: 400 | 404;
  /** Processing statuses each uploaded file goes through (default QUEUED, RUNNING, COMPLETED). */
  processing?: string[];
  validationReport?: unknown;
  faults?: Fault[];
  limits?: Record<string, unknown>;
  /** The estimate's allowed_to_proceed (default true). */
  allowedToProceed?: boolean;
}

export const STUB_API_KEY = "tk-test-5ecret-key-0123456789abcdef";
export const STUB_SIGNATURE = "s3cr3t-signature-abcdef0123456789";
export const DEFAULT_MODELS = [
  "meta-llama/Meta-Llama-3.1-8B-Instruct-Reference",
  "meta-llama/Meta-Llama-3.1-70B-Instruct-Reference",
  "meta-llama/Llama-3.2-3B-Instruct",
  "Qwen/Qwen2.5-7B-Instruct",
  "mistralai/Mistral-7B-Instruct-v0.2",
];

export function defaultLimits(model: string): Record<string, unknown> {
  return {
    model_name: model,
    max_seq_length_sft: 131072,
    max_seq_length_dpo: 65536,
    max_num_epochs: 20,
    max_num_checkpoints: 20,
    max_num_evals: 100,
    min_learning_rate: 1e-7,
    max_learning_rate: 1,
    supports_tools: true,
    supports_vision: false,
    supports_full_training: true,
    supports_reasoning: false,
    merge_output_lora: true,
    min_max_seq_length: 512,
    default_gradient_accumulation_steps: 1,
    lora_training: { max_batch_size: 96, max_batch_size_dpo: 48, min_batch_size: 8, max_rank: 64, target_modules: ["q_proj", "v_proj"] },
    full_training: { max_batch_size: 96, max_batch_size_dpo: 48, min_batch_size: 8 },
  };
}

function json(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  const text = JSON.stringify(body);
  res.writeHead(status, { "Content-Type": "application/json", "Content-Length": String(Buffer.byteLength(text)), ...headers });
  res.end(text);
}

function apiError(res: http.ServerResponse, status: number, message: string, code: string, headers: Record<string, string> = {}) {
  json(res, status, { error: { message, type: code, code } }, headers);
}

function routeOf(method: string, path: string): Route {
  if (method === "POST" && path === "/v1/files") return "POST /files";
  if (method === "PUT" && path.startsWith("/upload/")) return "PUT /upload";
  if (method === "POST" && path === "/v1/files/multipart/initiate") return "POST /files/multipart/initiate";
  if (method === "POST" && path === "/v1/files/multipart/complete") return "POST /files/multipart/complete";
  if (method === "POST" && path === "/v1/files/multipart/abort") return "POST /files/multipart/abort";
  if (method === "PUT" && path.startsWith("/multipart/")) return "PUT /multipart";
  if (method === "GET" && /^\/v1\/files\/[^/]+$/.test(path)) return "GET /files/:id";
  if (method === "GET" && path === "/v1/fine-tunes/models/limits") return "GET /fine-tunes/models/limits";
  if (method === "POST" && path === "/v1/fine-tunes") return "POST /fine-tunes";
  if (method === "GET" && path === "/v1/fine-tunes") return "GET /fine-tunes";
  if (method === "GET" && path === "/v1/models") return "GET /models";
  if (method === "POST" && path === "/v1/fine-tunes/estimate-price") return "POST /fine-tunes/estimate-price";
  return "unknown";
}

export class TogetherStub {
  readonly server: http.Server;
  readonly requests: RecordedRequest[] = [];
  readonly files = new Map<string, StubFile>();
  readonly jobs: StubJob[] = [];
  readonly apiKey: string;
  faults: Fault[];
  private options: StubOptions;
  private seq = 0;
  private multipart = new Map<string, { fileId: string; parts: Map<number, Buffer>; numParts: number }>();
  origin = "";

  constructor(options: StubOptions = {}) {
    this.options = options;
    this.apiKey = options.apiKey ?? STUB_API_KEY;
    this.faults = [...(options.faults ?? [])];
    this.server = http.createServer((req, res) => void this.handle(req, res));
  }

  /** Base URL to give the uploader (…/v1). */
  get baseUrl(): string {
    return `${this.origin}/v1`;
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    const { port } = this.server.address() as AddressInfo;
    this.origin = `http://127.0.0.1:${port}`;
    return this;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  addFault(f: Fault): void {
    this.faults.push(f);
  }

  /** Requests on one route. */
  on(route: Route): RecordedRequest[] {
    return this.requests.filter((r) => r.route === route);
  }

  /** Bytes of the completed uploads, by file id. */
  uploaded(id: string): Buffer | null {
    return this.files.get(id)?.bytes ?? null;
  }

  private takeFault(route: Route): FaultAction | undefined {
    for (const f of this.faults) {
      if (f.route !== route && f.route !== "*") continue;
      if (f.times !== undefined) {
        if (f.times <= 0) continue;
        f.times--;
      }
      return f.action;
    }
    return undefined;
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const u = new URL(req.url ?? "/", "http://stub");
    const route = routeOf(req.method ?? "GET", u.pathname);
    const rec: RecordedRequest = {
      route,
      method: req.method ?? "",
      url: req.url ?? "",
      path: u.pathname,
      query: Object.fromEntries(u.searchParams),
      headers: req.headers,
      body: Buffer.alloc(0),
      complete: false,
      status: 0,
    };
    this.requests.push(rec);
    const fault = this.takeFault(route);
    const expected = Number(req.headers["content-length"] ?? "0");

    // Read the body (or drop the connection part-way).
    const chunks: Buffer[] = [];
    let got = 0;
    const dropAfter = fault && "drop" in fault ? (fault.afterBytes ?? 0) : -1;
    if (dropAfter === 0) {
      req.socket.destroy();
      return;
    }
    const ok = await new Promise<boolean>((resolve) => {
      req.on("data", (c: Buffer) => {
        chunks.push(c);
        got += c.length;
        if (dropAfter > 0 && got >= dropAfter) {
          req.socket.destroy();
          resolve(false);
        }
      });
      req.on("end", () => resolve(true));
      req.on("error", () => resolve(false));
      req.on("aborted", () => resolve(false));
      req.on("close", () => resolve(got >= expected));
    });
    rec.body = Buffer.concat(chunks);
    rec.complete = ok && rec.body.length === expected;
    if (!ok) return;

    if (fault && "delayMs" in fault) await new Promise((r) => setTimeout(r, fault.delayMs));
    if (fault && "silent" in fault) return;
    if (fault && "redirect" in fault) {
      rec.status = fault.status ?? 302;
      res.writeHead(rec.status, { Location: fault.redirect, "Content-Length": "0" });
      res.end();
      return;
    }
    if (fault && ("endless" in fault || "trickle" in fault)) {
      rec.status = fault.status ?? 200;
      res.writeHead(rec.status, { "Content-Type": "application/json" });
      const chunk = "endless" in fault ? Buffer.alloc(64 * 1024, 0x20) : Buffer.from(" ");
      const pump = () => {
        if (res.destroyed || res.writableEnded) return;
        if ("trickle" in fault) {
          res.write(chunk);
          setTimeout(pump, 50);
        } else if (res.write(chunk)) setImmediate(pump);
        else res.once("drain", pump);
      };
      res.write("{");
      pump();
      return;
    }
    if (res.destroyed) return;
    const send = (status: number) => (rec.status = status);
    if (fault && "status" in fault) {
      send(fault.status);
      const body = fault.body ?? { error: { message: `injected ${fault.status}`, type: "injected", code: String(fault.status) } };
      if (typeof body === "string") {
        res.writeHead(fault.status, { "Content-Type": "text/plain", ...(fault.headers ?? {}) });
        res.end(body);
      } else json(res, fault.status, body, fault.headers ?? {});
      return;
    }

    const isStorage = route === "PUT /upload" || route === "PUT /multipart";
    if (!isStorage) {
      if (req.headers.authorization !== `Bearer ${this.apiKey}`) {
        send(401);
        apiError(
          res,
          401,
          "Invalid API key provided. You can find your API key at https://api.together.ai/settings/api-keys.",
          "invalid_api_key",
        );
        return;
      }
    }
    if (fault && "dropResponse" in fault) {
      this.route(route, rec, u, new http.ServerResponse(req));
      req.socket.destroy();
      return;
    }
    if (fault && "extraHeaders" in fault) for (const [k, v] of Object.entries(fault.extraHeaders)) res.setHeader(k, v);
    const status = this.route(route, rec, u, res);
    send(status);
  }

  private newFile(form: Record<string, string>): StubFile {
    const id = `file-${(++this.seq).toString().padStart(4, "0")}-stub`;
    const f: StubFile = {
      id,
      filename: form.file_name ?? "",
      purpose: form.purpose ?? "",
      fileType: form.file_type ?? "",
      bytes: null,
      sha256: null,
      statuses: [...(this.options.processing ?? ["QUEUED", "RUNNING", "COMPLETED"])],
      validationReport: this.options.validationReport,
    };
    this.files.set(id, f);
    return f;
  }

  private parseForm(rec: RecordedRequest): Record<string, string> {
    const type = String(rec.headers["content-type"] ?? "");
    const text = rec.body.toString("utf8");
    const out: Record<string, string> = { ...rec.query };
    if (type.includes("application/json") && text) Object.assign(out, JSON.parse(text));
    else if (text) for (const [k, v] of new URLSearchParams(text)) out[k] = v;
    return out;
  }

  private route(route: Route, rec: RecordedRequest, u: URL, res: http.ServerResponse): number {
    const models = this.options.models ?? DEFAULT_MODELS;
    const modelMissing = (model: string) => {
      const st = this.options.modelNotFoundStatus ?? 404;
      apiError(res, st, `Model not found: ${model}`, "model_not_found");
      return st;
    };
    switch (route) {
      case "POST /files": {
        const form = this.parseForm(rec);
        const f = this.newFile(form);
        res.writeHead(302, {
          Location: `${this.origin}/upload/${f.id}?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Expires=3600&X-Amz-Signature=${STUB_SIGNATURE}`,
          "X-Together-File-Id": f.id,
          "Content-Length": "0",
        });
        res.end();
        return 302;
      }
      case "PUT /upload": {
        const id = u.pathname.split("/")[2] ?? "";
        const f = this.files.get(id);
        if (!f || u.searchParams.get("X-Amz-Signature") !== STUB_SIGNATURE) {
          res.writeHead(403, { "Content-Type": "application/xml" });
          res.end(
            `<Error><Code>SignatureDoesNotMatch</Code><Message>bad signature</Message><CanonicalRequest>PUT ${u.pathname}?X-Amz-Signature=${STUB_SIGNATURE}</CanonicalRequest></Error>`,
          );
          return 403;
        }
        if (rec.headers["content-length"] === undefined) {
          res.writeHead(411);
          res.end("Length Required");
          return 411;
        }
        f.bytes = rec.body;
        f.sha256 = createHash("sha256").update(rec.body).digest("hex");
        res.writeHead(200, { ETag: `"${f.sha256.slice(0, 32)}"`, "Content-Length": "0" });
        res.end();
        return 200;
      }
      case "POST /files/multipart/initiate": {
        const form = this.parseForm(rec);
        const f = this.newFile(form);
        const uploadId = `mpu-${this.seq}`;
        const numParts = Number(form.num_parts);
        this.multipart.set(uploadId, { fileId: f.id, parts: new Map(), numParts });
        json(res, 200, {
          upload_id: uploadId,
          file_id: f.id,
          parts: Array.from({ length: numParts }, (_, i) => ({
            PartNumber: i + 1,
            URL: `${this.origin}/multipart/${uploadId}/${i + 1}?X-Amz-Signature=${STUB_SIGNATURE}`,
            Headers: { "x-amz-meta-part": String(i + 1) },
          })),
        });
        return 200;
      }
      case "PUT /multipart": {
        const [, , uploadId, n] = u.pathname.split("/");
        const mp = this.multipart.get(uploadId ?? "");
        if (!mp || u.searchParams.get("X-Amz-Signature") !== STUB_SIGNATURE) {
          res.writeHead(403);
          res.end();
          return 403;
        }
        mp.parts.set(Number(n), rec.body);
        res.writeHead(200, { ETag: `"etag-${n}-${createHash("md5").update(rec.body).digest("hex")}"`, "Content-Length": "0" });
        res.end();
        return 200;
      }
      case "POST /files/multipart/complete": {
        const body = JSON.parse(rec.body.toString("utf8")) as {
          upload_id: string;
          file_id: string;
          parts: Array<{ part_number: number; etag: string }>;
        };
        const mp = this.multipart.get(body.upload_id);
        if (!mp || mp.fileId !== body.file_id || body.parts.length !== mp.numParts) {
          apiError(res, 400, "invalid multipart completion", "invalid_request");
          return 400;
        }
        const buf = Buffer.concat(
          body.parts.sort((a, b) => a.part_number - b.part_number).map((p) => mp.parts.get(p.part_number) ?? Buffer.alloc(0)),
        );
        const f = this.files.get(mp.fileId)!;
        f.bytes = buf;
        f.sha256 = createHash("sha256").update(buf).digest("hex");
        json(res, 200, { id: f.id, object: "file", bytes: buf.length, filename: f.filename, purpose: f.purpose });
        return 200;
      }
      case "POST /files/multipart/abort": {
        json(res, 200, { ok: true });
        return 200;
      }
      case "GET /files/:id": {
        const id = decodeURIComponent(u.pathname.split("/")[3] ?? "");
        const f = this.files.get(id);
        if (!f) {
          apiError(res, 404, `File ${id} not found`, "not_found");
          return 404;
        }
        let status = "PENDING";
        if (f.bytes) {
          status = f.statuses.length > 1 ? f.statuses.shift()! : (f.statuses[0] ?? "COMPLETED");
        }
        const failed = status === "FAILED" || status === "INVALID_FORMAT";
        json(res, 200, {
          id: f.id,
          object: "file",
          filename: f.filename,
          purpose: f.purpose,
          FileType: f.fileType,
          bytes: f.bytes?.length ?? 0,
          created_at: 1764300000,
          Processed: status === "COMPLETED",
          processing_status: status,
          ...(failed ? { validation_report: f.validationReport ?? { is_check_passed: false, message: "Invalid format on line 1" } } : {}),
        });
        return 200;
      }
      case "GET /fine-tunes/models/limits": {
        const model = u.searchParams.get("model_name") ?? "";
        if (!models.includes(model)) return modelMissing(model);
        json(res, 200, { ...defaultLimits(model), ...(this.options.limits ?? {}) });
        return 200;
      }
      case "POST /fine-tunes": {
        const body = JSON.parse(rec.body.toString("utf8") || "{}") as Record<string, unknown>;
        const model = String(body.model ?? "");
        if (!models.includes(model)) return modelMissing(model);
        const tf = this.files.get(String(body.training_file ?? ""));
        if (!tf || !tf.bytes) {
          apiError(res, 400, `Training file ${String(body.training_file)} not found`, "invalid_request_error");
          return 400;
        }
        const job: StubJob = {
          ...body,
          id: `ft-${(++this.seq).toString().padStart(4, "0")}-stub`,
          status: "pending",
          model,
          training_file: String(body.training_file),
          ...(body.validation_file ? { validation_file: String(body.validation_file) } : {}),
          created_at: new Date().toISOString(),
        };
        this.jobs.push(job);
        json(res, 200, job);
        return 200;
      }
      case "POST /fine-tunes/estimate-price": {
        const body = JSON.parse(rec.body.toString("utf8") || "{}") as Record<string, unknown>;
        const tf = this.files.get(String(body.training_file ?? ""));
        if (!tf || !tf.bytes) {
          apiError(res, 400, `Training file ${String(body.training_file)} not found`, "invalid_request_error");
          return 400;
        }
        if (body.model !== undefined && !models.includes(String(body.model))) return modelMissing(String(body.model));
        // A stand-in estimate: about 4 bytes per token, times the epochs, at $0.50 per million tokens.
        const epochs = typeof body.n_epochs === "number" ? body.n_epochs : 1;
        const train = Math.ceil(tf.bytes.length / 4) * epochs;
        const vf = body.validation_file ? this.files.get(String(body.validation_file)) : undefined;
        const evalTokens = vf?.bytes ? Math.ceil(vf.bytes.length / 4) * (typeof body.n_evals === "number" ? body.n_evals : 0) : 0;
        json(res, 200, {
          estimation_available: true,
          allowed_to_proceed: this.options.allowedToProceed ?? true,
          estimated_total_price: Math.round(((train + evalTokens) / 1e6) * 0.5 * 1e6) / 1e6,
          estimated_train_token_count: train,
          estimated_eval_token_count: evalTokens,
          user_limit: 100,
        });
        return 200;
      }
      case "GET /fine-tunes": {
        json(res, 200, { data: this.jobs });
        return 200;
      }
      case "GET /models": {
        json(
          res,
          200,
          models.map((id) => ({ id, object: "model", type: "chat", created: 1700000000 })),
        );
        return 200;
      }
      default: {
        apiError(res, 404, `No route ${rec.method} ${u.pathname}`, "not_found");
        return 404;
      }
    }
  }
}

export async function startTogetherStub(options: StubOptions = {}): Promise<TogetherStub> {
  return new TogetherStub(options).start();
}
