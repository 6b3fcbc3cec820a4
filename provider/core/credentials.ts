/**
 * Credentials and endpoints (DESIGN.md's public contract).
 *
 * `configure()` receives the stack config the engine sends to the provider host at call time; we
 * keep only our own keys, in this module (which is loaded with `require`, never serialized), so
 * nothing reaches `__provider` in state. Environment variables are the fallback; stack config
 * wins. Keys are registered with the redactor as soon as they are seen.
 */
import { ConfigurationError, type Platform, PLATFORM_TITLE, RECORDED_CONFIG_NOTE } from "./errors";
import { registerSecret } from "./redact";

export const DEFAULT_BASE_URLS: Record<Platform, string> = {
  burki: "https://api.burki.dev",
  woodpecker: "https://api.woodpecker.co/rest",
};

/** Every stack-config key the provider reads, with its environment fallback. */
export const SETTINGS = {
  "burki:apiKey": "BURKI_API_KEY",
  "burki:baseUrl": "BURKI_BASE_URL",
  "burki:stopTimeoutSeconds": "BURKI_STOP_TIMEOUT_SECONDS",
  "burki:requestTimeoutSeconds": "BURKI_REQUEST_TIMEOUT_SECONDS",
  "woodpecker:apiKey": "WOODPECKER_API_KEY",
  "woodpecker:baseUrl": "WOODPECKER_BASE_URL",
  "woodpecker:requestTimeoutSeconds": "WOODPECKER_REQUEST_TIMEOUT_SECONDS",
  "woodpecker:maxInFlight": "WOODPECKER_MAX_IN_FLIGHT",
} as const;

export type SettingKey = keyof typeof SETTINGS;

/** What `configure()` receives: `pulumi.dynamic.ConfigureRequest` without importing the SDK. */
export interface ConfigSource {
  config: { get(key: string): string | undefined };
}

const stackConfig = new Map<SettingKey, string>();

/** Called from the providers' `configure`. Tolerates a host that never got a Configure RPC. */
export function configureFromStack(req: ConfigSource | undefined): void {
  for (const key of Object.keys(SETTINGS) as SettingKey[]) {
    let value: string | undefined;
    try {
      value = req?.config.get(key);
    } catch {
      value = undefined; // the host had no config at all: fall back to the environment
    }
    if (value !== undefined && value !== "") {
      stackConfig.set(key, value);
      if (key.endsWith(":apiKey")) registerSecret(value);
    } else {
      stackConfig.delete(key);
    }
  }
}

/** Test hook: forget what configure() stored. */
export function resetStackConfig(): void {
  stackConfig.clear();
}

export function setting(key: SettingKey, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const fromStack = stackConfig.get(key);
  if (fromStack !== undefined) return fromStack;
  const fromEnv = env[SETTINGS[key]];
  if (fromEnv !== undefined && fromEnv !== "") {
    if (key.endsWith(":apiKey")) registerSecret(fromEnv);
    return fromEnv;
  }
  return undefined;
}

export function numberSetting(
  key: SettingKey,
  fallback: number,
  env: NodeJS.ProcessEnv = process.env,
  range: { min?: number; max?: number; integer?: boolean } = {},
): number {
  const raw = setting(key, env);
  if (raw === undefined) return fallback;
  const n = Number(raw);
  const min = range.min ?? Number.MIN_VALUE;
  const max = range.max ?? Number.MAX_VALUE;
  if (!Number.isFinite(n) || n < min || n > max || (range.integer && !Number.isInteger(n))) {
    const what = range.integer ? "an integer" : "a positive number";
    const bounds = range.max !== undefined ? ` from ${range.min ?? 0} to ${range.max}` : "";
    throw new ConfigurationError(`${key} must be ${what}${bounds}, got "${raw}".`);
  }
  return n;
}

export interface Endpoint {
  apiKey: string;
  baseUrl: string;
}

export function endpointFor(platform: Platform, env: NodeJS.ProcessEnv = process.env): Endpoint {
  const apiKey = setting(`${platform}:apiKey`, env);
  if (!apiKey) {
    throw new ConfigurationError(
      `No ${PLATFORM_TITLE[platform]} API key is configured. Set it with ` +
        `\`pulumi config set --secret ${platform}:apiKey <key>\` (or the ${SETTINGS[`${platform}:apiKey`]} ` +
        `environment variable).`,
    );
  }
  const baseUrl = setting(`${platform}:baseUrl`, env) ?? DEFAULT_BASE_URLS[platform];
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new ConfigurationError(`${platform}:baseUrl is not a valid URL: "${baseUrl}".`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new ConfigurationError(`${platform}:baseUrl must be an http(s) URL, got "${baseUrl}".`);
  }
  return { apiKey, baseUrl: baseUrl.replace(/\/+$/, "") };
}

/** A common mistake in a base URL, with the value that fixes it. */
export interface BaseUrlMistake {
  /** What is wrong, as a clause: "it ends in /api/v1, …". */
  problem: string;
  corrected: string;
}

/**
 * Detect the usual wrong base URLs: Burki's with the API prefix (`…/api/v1`, which the provider
 * adds itself, so requests would go to `/api/v1/api/v1/…`); Woodpecker's with a version suffix
 * (`…/rest/v2`, `…/rest/v1`) or without `/rest`. Undefined when the URL looks right.
 */
export function baseUrlMistake(platform: Platform, baseUrl: string): BaseUrlMistake | undefined {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    return undefined;
  }
  const path = url.pathname.replace(/\/+$/, "");
  if (platform === "burki") {
    const m = /^(.*?)(\/api(?:\/v1(?:\/campaigns)?)?)$/.exec(path);
    if (!m) return undefined;
    return {
      problem:
        `it ends in ${m[2]}, but the provider adds /api/v1/campaigns/… to the base URL itself ` +
        `(requests went to ${path}/api/v1/…)`,
      corrected: url.origin + m[1],
    };
  }
  const v = /^(.*?)(\/v[12](?:\/campaigns)?)$/.exec(path);
  if (v) {
    const prefix = v[1].endsWith("/rest") ? v[1] : `${v[1]}/rest`;
    return {
      problem:
        `it ends in ${v[2]}, but the provider adds the API version itself ` +
        `(requests went to ${path}/v2/…)`,
      corrected: url.origin + prefix,
    };
  }
  if (!path.endsWith("/rest")) {
    return {
      problem: `it does not end in /rest, where Woodpecker's API lives (requests went to ${path}/v2/… instead of ${path}/rest/v2/…)`,
      corrected: `${url.origin}${path}/rest`,
    };
  }
  return undefined;
}

/**
 * The sentence every connection failure, timeout and unexpected answer ends with: the config key
 * to check, and the corrected value when the URL has a known mistake.
 */
export function baseUrlAdvice(platform: Platform, baseUrl: string): string {
  const key = `${platform}:baseUrl` as const;
  const env = SETTINGS[key];
  const mistake = baseUrlMistake(platform, baseUrl);
  if (mistake) {
    return (
      `${key} is "${baseUrl}": ${mistake.problem}. Set it to ${mistake.corrected}: ` +
      `\`pulumi config set ${key} ${mistake.corrected}\` (or the ${env} environment variable). ${RECORDED_CONFIG_NOTE}`
    );
  }
  return (
    `Check ${key} (in use: ${baseUrl}; default ${DEFAULT_BASE_URLS[platform]}), set with ` +
    `\`pulumi config set ${key} <url>\` or the ${env} environment variable. ${RECORDED_CONFIG_NOTE}`
  );
}
