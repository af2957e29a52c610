// One way to call the platform's API (/api/v1): the access token from memory, a refresh through the
// session cookie when it expires (one refresh at a time, however many calls failed), the reader's
// language, problem+json turned into ApiError, Idempotency-Key on actions that change things.
import { session } from "../auth/session";
import { currentLanguage } from "../i18n/language";

export const API = "/api/v1";

export interface FieldProblem {
  field: string;
  code: string;
  message: string;
  params?: Record<string, unknown>;
}

/** A problem+json answer (RFC 9457) of the platform: `code` is stable, `detail` is for people. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly detail: string;
  readonly errors: FieldProblem[];
  readonly body: Record<string, unknown>;

  constructor(status: number, body: Record<string, unknown>) {
    const detail = String(body.detail ?? body.title ?? `HTTP ${status}`);
    super(detail);
    this.status = status;
    this.code = String(body.code ?? "http_error");
    this.detail = detail;
    this.errors = Array.isArray(body.errors) ? (body.errors as FieldProblem[]) : [];
    this.body = body;
  }
}

export type Query = Record<string, string | number | boolean | null | undefined | (string | number)[]>;

export interface RequestOptions {
  query?: Query;
  body?: unknown;
  /** the record's version, sent as If-Match */
  version?: number | string;
  /** a key for this intended action: retries of it (also after a dropped connection) apply once */
  idempotencyKey?: string;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** a raw body (a file), sent as is */
  raw?: BodyInit;
}

export interface ApiResponse<T> {
  data: T;
  status: number;
  headers: Headers;
}

export function url(path: string, query?: Query): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query ?? {})) {
    if (value === undefined || value === null || value === "") continue;
    if (Array.isArray(value)) value.forEach((item) => params.append(name, String(item)));
    else params.append(name, String(value));
  }
  const search = params.toString();
  return `${API}${path}${search ? `?${search}` : ""}`;
}

async function send(method: string, path: string, options: RequestOptions, token: string | null): Promise<Response> {
  const headers: Record<string, string> = { "Accept-Language": currentLanguage(), ...options.headers };
  if (token) headers.Authorization = `Bearer ${token}`;
  if (options.version !== undefined) headers["If-Match"] = `"${options.version}"`;
  if (options.idempotencyKey) headers["Idempotency-Key"] = options.idempotencyKey;
  let body: BodyInit | undefined = options.raw;
  if (options.body !== undefined) {
    headers["Content-Type"] = "application/json";
    body = JSON.stringify(options.body);
  }
  return fetch(url(path, options.query), { method, headers, body, signal: options.signal, credentials: "same-origin" });
}

export async function request<T>(method: string, path: string, options: RequestOptions = {}): Promise<ApiResponse<T>> {
  let response = await send(method, path, options, await session.accessToken());
  if (response.status === 401 && (await session.renew())) {
    response = await send(method, path, options, await session.accessToken());
  }
  if (response.status === 401) session.expired();
  const text = response.status === 204 ? "" : await response.text();
  const data = text ? safeJson(text) : undefined;
  if (!response.ok) throw new ApiError(response.status, (data as Record<string, unknown>) ?? {});
  return { data: data as T, status: response.status, headers: response.headers };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return { detail: text };
  }
}

export const api = {
  get: async <T>(path: string, query?: Query, signal?: AbortSignal) =>
    (await request<T>("GET", path, { query, signal })).data,
  post: async <T>(path: string, body?: unknown, options: Omit<RequestOptions, "body"> = {}) =>
    (await request<T>("POST", path, { ...options, body })).data,
  patch: async <T>(path: string, body: unknown, version?: number | string) =>
    (await request<T>("PATCH", path, { body, version })).data,
  put: async <T>(path: string, body: unknown, version?: number | string) =>
    (await request<T>("PUT", path, { body, version })).data,
  delete: async (path: string, version?: number | string) => {
    await request<void>("DELETE", path, { version });
  },
};

/** A fresh Idempotency-Key for one intended action (reuse it when retrying that action). */
export function newKey(): string {
  return crypto.randomUUID();
}

export interface Page<T> {
  items: T[];
  next_cursor: string | null;
  total?: number | null;
}
