/**
 * The provider host as the protocol, chaos, property and program tests set it up: the installed
 * providers serialized the way `pulumi.dynamic.Resource` does, and the SDK's dynamic-provider host
 * with the credential environment variables removed, so that only the stack config it is
 * configured with counts.
 */
import { expect } from "chai";
import { BURKI_EMULATOR_API_KEY, BurkiEmulator } from "../../provider/emulators/burki";
import { WOODPECKER_EMULATOR_API_KEY, WoodpeckerEmulator } from "../../provider/emulators/woodpecker";
import type { Platform } from "../../provider/core/errors";
import { EmulatorControl } from "./control";
import { ProviderHost, secret, serializeProvider, type Props } from "./provider-host";

export type { Platform } from "../../provider/core/errors";

/** The installed package's provider modules (what a serialized `__provider` requires). */
export const PROVIDER_MODULES: Readonly<Record<Platform, string>> = {
  burki: "pulumi-campaigns/dynamic/burki-campaign",
  woodpecker: "pulumi-campaigns/dynamic/woodpecker-campaign",
};

/** The environment variables the providers fall back to, unset for the host. */
export const CREDENTIAL_ENV: Readonly<Record<string, undefined>> = {
  BURKI_API_KEY: undefined,
  BURKI_BASE_URL: undefined,
  WOODPECKER_API_KEY: undefined,
  WOODPECKER_BASE_URL: undefined,
};

/** One platform's installed provider, serialized (the text `__provider` carries). */
export async function installedProviderText(platform: Platform): Promise<string> {
  return (await serializeProvider(require(PROVIDER_MODULES[platform]))).text;
}

/** Both platforms' installed providers, serialized. */
export async function installedProviderTexts(): Promise<Record<Platform, string>> {
  return {
    burki: await installedProviderText("burki"),
    woodpecker: await installedProviderText("woodpecker"),
  };
}

export interface PlatformConfig {
  baseUrl: string;
  /** Default: the emulator's key. */
  apiKey?: string;
}

export interface CampaignHostOptions {
  /** Program directory: the serialized providers' `require`s resolve from here. */
  cwd: string;
  project?: string;
  stack?: string;
  burki?: PlatformConfig;
  woodpecker?: PlatformConfig;
  /** Further stack config, namespaced keys (e.g. `"burki:stopTimeoutSeconds": "3"`). */
  settings?: Record<string, string>;
}

/** The stack config sent to Configure: each platform's key (as a secret) and base URL, then `settings`. */
export function campaignConfig(opts: Pick<CampaignHostOptions, Platform | "settings">): Props {
  const config: Props = {};
  if (opts.burki) {
    config["burki:apiKey"] = secret(opts.burki.apiKey ?? BURKI_EMULATOR_API_KEY);
    config["burki:baseUrl"] = opts.burki.baseUrl;
  }
  if (opts.woodpecker) {
    config["woodpecker:apiKey"] = secret(opts.woodpecker.apiKey ?? WOODPECKER_EMULATOR_API_KEY);
    config["woodpecker:baseUrl"] = opts.woodpecker.baseUrl;
  }
  return { ...config, ...opts.settings };
}

/** Start the host without the credential environment variables and configure it. */
export async function startCampaignHost(opts: CampaignHostOptions): Promise<ProviderHost> {
  const host = await ProviderHost.start({
    cwd: opts.cwd,
    project: opts.project,
    stack: opts.stack,
    env: CREDENTIAL_ENV,
  });
  try {
    await host.configure(campaignConfig(opts));
  } catch (e) {
    await host.close();
    throw e;
  }
  return host;
}

/** Check (expecting no failures) + Create, as `pulumi up` does for a new resource. */
export async function checkAndCreate(
  host: ProviderHost,
  type: string,
  name: string,
  props: Props,
): Promise<{ urn: string; id: string; inputs: Props; outs: Props }> {
  const urn = host.urnOf(type, name);
  const chk = await host.check(urn, {}, props);
  expect(chk.failures, JSON.stringify(chk.failures)).to.deep.equal([]);
  const created = await host.create(urn, chk.inputs);
  return { urn, id: created.id, inputs: chk.inputs, outs: created.outs };
}

/** Both emulators, their control APIs and a host configured against them: one test file's world. */
export interface CampaignWorld {
  burkiEmulator: BurkiEmulator;
  woodpeckerEmulator: WoodpeckerEmulator;
  burki: EmulatorControl;
  woodpecker: EmulatorControl;
  host: ProviderHost;
  /** Close the host, then stop both emulators. */
  stop(): Promise<void>;
}

/** Start both emulators (Burki's asynchronous hops shortened) and a host configured against them. */
export async function startCampaignWorld(
  opts: Omit<CampaignHostOptions, Platform> & { burkiHops?: { startDelayMs: number; importDelayMs: number } },
): Promise<CampaignWorld> {
  const burkiEmulator = new BurkiEmulator(opts.burkiHops ?? { startDelayMs: 50, importDelayMs: 10 });
  const woodpeckerEmulator = new WoodpeckerEmulator();
  await Promise.all([burkiEmulator.start(), woodpeckerEmulator.start()]);
  const stopEmulators = () => Promise.all([burkiEmulator.stop(), woodpeckerEmulator.stop()]).then(() => {});
  let host: ProviderHost;
  try {
    host = await startCampaignHost({
      ...opts,
      burki: { baseUrl: burkiEmulator.baseUrl },
      woodpecker: { baseUrl: woodpeckerEmulator.baseUrl },
    });
  } catch (e) {
    await stopEmulators();
    throw e;
  }
  return {
    burkiEmulator,
    woodpeckerEmulator,
    burki: new EmulatorControl(burkiEmulator.origin),
    woodpecker: new EmulatorControl(woodpeckerEmulator.origin),
    host,
    stop: async () => {
      await host.close();
      await stopEmulators();
    },
  };
}
