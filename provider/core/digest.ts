import { createHash } from "node:crypto";

/** Canonical JSON: object keys sorted, so equal values give equal text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    v && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
        )
      : v,
  );
}

/** A short, stable digest of a value (used to detect changes without keeping the value). */
export function digestOf(value: unknown): string {
  return createHash("sha256").update(canonicalJson(value)).digest("hex");
}

/**
 * `digestOf(items)` for a long list whose elements the caller already gives in canonical form
 * (`row(item)`: keys in sorted order, values plain), hashed as the JSON is produced: no generic
 * replacer and no whole text at once, so 100,000 contacts or prospects take a fraction of the time.
 */
export function digestOfRows<T>(items: readonly T[], row: (item: T) => unknown): string {
  const hash = createHash("sha256");
  let chunk = "[";
  items.forEach((item, i) => {
    chunk += (i ? "," : "") + JSON.stringify(row(item));
    if (chunk.length > 65_536) {
      hash.update(chunk);
      chunk = "";
    }
  });
  hash.update(`${chunk}]`);
  return hash.digest("hex");
}

/**
 * Equal as data, as their canonical JSON would be (the key order of maps does not matter, a key
 * holding `undefined` is no key, `undefined` is `null`), without building the text: diff compares
 * every field of every campaign on each preview and refresh.
 */
export function sameData(a: unknown, b: unknown): boolean {
  a = a ?? null;
  b = b ?? null;
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    if (a.length !== bb.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameData(a[i], bb[i])) return false;
    return true;
  }
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  let count = 0;
  for (const k in ao) {
    if (!Object.hasOwn(ao, k) || ao[k] === undefined) continue;
    count++;
    if (!Object.hasOwn(bo, k) || bo[k] === undefined || !sameData(ao[k], bo[k])) return false;
  }
  for (const k in bo) if (Object.hasOwn(bo, k) && bo[k] !== undefined) count--;
  return count === 0;
}
