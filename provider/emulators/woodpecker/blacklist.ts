/**
 * The Woodpecker emulator's account blacklist (woodpecker-prospects-api.md §3.5, §4.1; reported by
 * third parties, undocumented in detail):
 *   POST /rest/v2/blacklist/emails   {"emails": ["a@b.com", …]}
 *   POST /rest/v2/blacklist/domains  {"domains": ["b.com", …]}
 * A blacklisted address (or any address at a blacklisted domain or under it) has the global status
 * BLACKLIST: add_prospects_campaign refuses it with E_INV_STATUS, even with `force` (the docs say
 * BLACKLIST "can only be changed manually"). Choices the sources leave open are marked
 * `// emulator guess:`.
 */
import { HttpReply, parseJson, type RequestContext } from "../common";
import { problem, validationFailure } from "./errors";
import type { ProspectStore } from "./prospects";
import type { WoodpeckerState } from "./state";
import { Issues } from "./validation";

const EMAIL = /^[^\s@"<>(),;:]+@[^\s@"<>(),;:]+\.[^\s@"<>(),;:.]+$/;
const DOMAIN = /^([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9-]{2,63}$/;
/** emulator guess: at most this many values per request. */
export const MAX_BLACKLIST_PER_REQUEST = 10_000;

/** Per account: blacklisted addresses and domains (lower case). */
export class BlacklistStore {
  private readonly byAccount = new Map<string, { emails: Set<string>; domains: Set<string> }>();

  clear(): void {
    this.byAccount.clear();
  }

  private of(account: string) {
    let b = this.byAccount.get(account);
    if (!b) {
      b = { emails: new Set(), domains: new Set() };
      this.byAccount.set(account, b);
    }
    return b;
  }

  add(account: string, kind: "emails" | "domains", values: readonly string[]): void {
    const set = this.of(account)[kind];
    for (const v of values) set.add(v.trim().toLowerCase());
  }

  /** Is this address blacklisted, by itself or by its domain (or a parent domain)? */
  covers(account: string, email: string): boolean {
    const b = this.byAccount.get(account);
    if (!b) return false;
    const e = email.trim().toLowerCase();
    if (b.emails.has(e)) return true;
    let domain = e.slice(e.lastIndexOf("@") + 1);
    while (domain.includes(".")) {
      if (b.domains.has(domain)) return true;
      domain = domain.slice(domain.indexOf(".") + 1);
    }
    return false;
  }

  /** The account's blacklist (control view; tests only). */
  list(account: string): { emails: string[]; domains: string[] } {
    const b = this.of(account);
    return { emails: [...b.emails].sort(), domains: [...b.domains].sort() };
  }
}

function addTo(
  kind: "emails" | "domains",
  s: WoodpeckerState,
  ctx: RequestContext,
  account: string,
): HttpReply {
  const parsed = ctx.rawBody.length ? parseJson(ctx.rawBody) : undefined;
  if (!parsed?.ok || typeof parsed.value !== "object" || parsed.value === null) {
    return problem(400, "Bad Request", "Failed to read request");
  }
  const values = (parsed.value as Record<string, unknown>)[kind];
  const check = kind === "emails" ? EMAIL : DOMAIN;
  const issues = new Issues();
  if (!Array.isArray(values) || values.length === 0) issues.add(kind, "must be a non-empty array");
  else if (values.length > MAX_BLACKLIST_PER_REQUEST)
    issues.add(kind, `at most ${MAX_BLACKLIST_PER_REQUEST}`);
  else {
    values.forEach((v, i) => {
      if (typeof v !== "string" || !check.test(v.trim().toLowerCase()))
        issues.add(`${kind}[${i}]`, "is invalid");
    });
  }
  if (!issues.ok) return validationFailure(issues);
  const store: ProspectStore = s.prospects;
  store.blacklist.add(account, kind, values as string[]);
  store.markBlacklisted(account);
  // emulator guess: 200 with a count (third parties read no body).
  return new HttpReply(200, { added: (values as string[]).length });
}

export const addBlacklistEmails = (s: WoodpeckerState, ctx: RequestContext, _p: unknown, account: string) =>
  addTo("emails", s, ctx, account);
export const addBlacklistDomains = (s: WoodpeckerState, ctx: RequestContext, _p: unknown, account: string) =>
  addTo("domains", s, ctx, account);
