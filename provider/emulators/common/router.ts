/**
 * The one router of both emulators: a table of path patterns (`/api/v1/campaigns/:campaign_id`),
 * each with a handler per method. `match` answers which handler runs and with which params, or why
 * none does (no such path → 404, known path with another method → 405 with `allow`, a malformed
 * %-escape); each emulator turns those into its framework's own bodies (FastAPI's, Spring's).
 */

/** One path pattern and its handlers by HTTP method. */
export interface Route<H> {
  pattern: string;
  methods: Partial<Record<string, H>>;
}

export interface RouterOptions {
  /** Starlette's `{param}`: a param matches one or more characters (default: empty matches too). */
  nonEmptyParams?: boolean;
  /**
   * A path segment with a malformed %-escape where a param is: "no-match" (Starlette: the route does
   * not match) or "error" (default: `match` answers `malformed` at the first route it happens on).
   */
  badEscape?: "no-match" | "error";
  /**
   * Only routes that have the request's method are looked at (no 405; the control API): a route
   * without the method is never tried, so it cannot answer `malformed` either.
   */
  methodFirst?: boolean;
}

export type RouteMatch<H> =
  | { kind: "ok"; handler: H; params: Record<string, string> }
  /** No route has this path. */
  | { kind: "none" }
  /** The path is known, not with this method; `allow` = the methods of the first route that matched it. */
  | { kind: "method"; allow: string[] }
  | { kind: "malformed"; error: Error };

/** Match `/api/v1/campaigns/:id` against a path; returns the params or undefined. */
export function matchRoute(pattern: string, path: string): Record<string, string> | undefined {
  const p = pattern.split("/");
  const s = path.split("/");
  if (p.length !== s.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < p.length; i++) {
    if (p[i].startsWith(":")) params[p[i].slice(1)] = decodeURIComponent(s[i]);
    else if (p[i] !== s[i]) return undefined;
  }
  return params;
}

export class Router<H> {
  constructor(
    readonly routes: ReadonlyArray<Route<H>>,
    private readonly opts: RouterOptions = {},
  ) {}

  /**
   * Routes are tried in table order: the first whose pattern matches and that has the method wins,
   * so a literal route (`/campaigns/template-preview`) listed before a param route shadows it only
   * for its own methods.
   */
  match(method: string, path: string): RouteMatch<H> {
    let allow: string[] | undefined;
    for (const r of this.routes) {
      if (this.opts.methodFirst && !r.methods[method]) continue;
      let params: Record<string, string> | undefined;
      try {
        params = matchRoute(r.pattern, path);
      } catch (e) {
        if (this.opts.badEscape === "no-match") continue;
        return { kind: "malformed", error: e as Error };
      }
      if (!params) continue;
      if (this.opts.nonEmptyParams && Object.values(params).some((v) => v === "")) continue;
      const handler = r.methods[method];
      if (handler) return { kind: "ok", handler, params };
      allow ??= Object.keys(r.methods);
    }
    return allow ? { kind: "method", allow } : { kind: "none" };
  }
}
