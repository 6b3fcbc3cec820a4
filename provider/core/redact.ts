/**
 * Redaction: API keys must never reach state, logs, outputs or error messages.
 *
 * Every key the provider learns (stack config or environment) is registered here, and every
 * string that leaves the provider (error messages, log lines) passes through `redact`.
 */

export const REDACTED = "[REDACTED]";

const knownSecrets = new Set<string>();

/** Remember a secret so later messages are scrubbed of it. Very short values are ignored. */
export function registerSecret(value: string | undefined): void {
  if (value && value.length >= 4) knownSecrets.add(value);
}

/** Replace every registered secret (and bearer tokens / x-api-key values in header dumps). */
export function redact(text: string, extraSecrets: readonly string[] = []): string {
  let out = text;
  for (const s of [...knownSecrets, ...extraSecrets]) {
    if (s && s.length >= 4 && out.includes(s)) out = out.split(s).join(REDACTED);
  }
  return out
    .replace(/(bearer\s+)[A-Za-z0-9._~+/=-]{8,}/gi, `$1${REDACTED}`)
    .replace(/(x-api-key["']?\s*[:=]\s*["']?)[^"',\s}]+/gi, `$1${REDACTED}`);
}

/** Rewrite an error's message (and stack) in place so it carries no secret; returns it. */
export function redactError<E>(e: E): E {
  if (e instanceof Error) {
    e.message = redact(e.message);
    if (e.stack) e.stack = redact(e.stack);
  }
  return e;
}
