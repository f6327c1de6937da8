// fetch for the API: JSON in and out, problems (RFC 9457) as ApiError, and a
// 401 on an authenticated call reported once so the app can send the person
// to sign-in and back.
import type { FieldError, Problem } from "./types";

export class ApiError extends Error {
  readonly status: number;
  readonly problem: Problem;

  constructor(problem: Problem) {
    super(describe(problem));
    this.name = "ApiError";
    this.status = problem.status;
    this.problem = problem;
  }

  /** The message of the field with this name, for 422 answers. */
  field(name: string): string | undefined {
    return this.problem.errors?.find((e: FieldError) => e.field === name)?.message;
  }
}

function describe(problem: Problem): string {
  const fields = problem.errors?.map((e) => `${e.field}: ${e.message}`).join("; ");
  if (fields) return fields;
  if (problem.detail) return problem.detail;
  if (problem.status === 0) return "The server cannot be reached. Check your connection and try again.";
  return problem.title ?? `The request failed (${problem.status}).`;
}

type Listener = () => void;
const unauthorizedListeners = new Set<Listener>();

/** Called whenever an authenticated request answers 401 (session expired). */
export function onUnauthorized(listener: Listener): () => void {
  unauthorizedListeners.add(listener);
  return () => unauthorizedListeners.delete(listener);
}

export interface RequestOptions {
  method?: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  /** Sent as JSON; a Blob (a File) is sent as it is, with its own type. */
  body?: unknown;
  /** The version the change is based on: sent as `If-Match: "<version>"`. */
  version?: number;
  /** Sign-in and sign-up answer 401 for wrong credentials, not expiry. */
  anonymous?: boolean;
  signal?: AbortSignal;
  keepalive?: boolean;
}

export async function api<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: "application/json" };
  const raw = options.body instanceof Blob ? options.body : null;
  if (raw) headers["content-type"] = raw.type || "application/octet-stream";
  else if (options.body !== undefined) headers["content-type"] = "application/json";
  if (options.version !== undefined) headers["if-match"] = `"${options.version}"`;
  let response: Response;
  try {
    response = await fetch(path, {
      method: options.method ?? "GET",
      headers,
      body: raw ?? (options.body === undefined ? null : JSON.stringify(options.body)),
      credentials: "same-origin",
      signal: options.signal ?? null,
      keepalive: options.keepalive ?? false,
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === "AbortError") throw error;
    throw new ApiError({ status: 0 });
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  let data: unknown = undefined;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = undefined;
    }
  }
  if (!response.ok) {
    const problem: Problem =
      typeof data === "object" && data !== null
        ? { ...(data as Problem), status: response.status }
        : { status: response.status };
    if (response.status === 401 && !options.anonymous) unauthorizedListeners.forEach((l) => l());
    throw new ApiError(problem);
  }
  return data as T;
}

export function isApiError(error: unknown, status?: number): error is ApiError {
  return error instanceof ApiError && (status === undefined || error.status === status);
}

export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return "Something went wrong.";
}
