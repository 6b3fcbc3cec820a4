/**
 * The wire side of core/http.ts: one keep-alive undici pool per origin (with undici's retry interceptor,
 * which our policy drives), the query string, the answer's body, headers, and multipart bodies.
 */
import { Pool, interceptors, type Dispatcher } from "undici";
import type { HttpRequest, Timeouts } from "./http";

const pools = new Map<string, Dispatcher>();

export function poolFor(origin: string, t: Timeouts): Dispatcher {
  const key = `${origin}|${t.connectMs}|${t.headersMs}|${t.bodyMs}`;
  let d = pools.get(key);
  if (!d) {
    d = new Pool(origin, {
      connections: 32,
      keepAliveTimeout: 30_000,
      connectTimeout: t.connectMs,
      headersTimeout: t.headersMs,
      bodyTimeout: t.bodyMs,
    }).compose(interceptors.retry({ throwOnError: false }));
    pools.set(key, d);
  }
  return d;
}

/** Close every pool (tests and the benchmark end cleanly with this). */
export async function closeAllPools(): Promise<void> {
  const all = [...pools.values()];
  pools.clear();
  await Promise.all(all.map((p) => p.close().catch(() => undefined)));
}

export function buildQuery(q: HttpRequest["query"]): string {
  if (!q) return "";
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) if (v !== undefined) params.append(k, String(v));
  const s = params.toString();
  return s ? `?${s}` : "";
}

export function parseBody(text: string, contentType: string | undefined): unknown {
  if (text === "") return undefined;
  if ((contentType ?? "").includes("json") || /^[[{"]/.test(text.trimStart())) {
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }
  return text;
}

export function headerValue(
  h: Record<string, string | string[] | undefined>,
  name: string,
): string | undefined {
  const v = h[name];
  return Array.isArray(v) ? v[0] : v;
}

/** Encode a multipart/form-data body into a Buffer (so a 429 can replay it). */
export async function encodeMultipart(form: FormData): Promise<{ contentType: string; data: Buffer }> {
  const r = new Response(form);
  const data = Buffer.from(await r.arrayBuffer());
  return { contentType: r.headers.get("content-type") ?? "multipart/form-data", data };
}
