/**
 * Credentials and endpoints (DESIGN.md's public contract).
 *
 * `configure()` receives the stack config the engine sends to the provider host at call time; we
 * keep only our own keys, in this module (which is loaded with `require`, never serialized), so
 * nothing reaches `__provider` in state. Environment variables are the fallback; stack config
 * wins. Keys are registered with the redactor as soon as they are seen.
 */
import { ConfigurationError, type Platform, PLATFORM_TITLE } from "./errors";
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
