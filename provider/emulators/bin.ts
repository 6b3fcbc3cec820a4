#!/usr/bin/env node
/**
 * pulumi-campaigns-emulators: start both local emulators and print their base URLs.
 *
 *   pulumi-campaigns-emulators [--burki-port N] [--woodpecker-port N] [--latency MS] [--json]
 *
 * Then point the provider at them:
 *   pulumi config set burki:baseUrl <url>;       pulumi config set --secret burki:apiKey <key>
 *   pulumi config set woodpecker:baseUrl <url>;  pulumi config set --secret woodpecker:apiKey <key>
 *
 * Exit status: 0 after Ctrl-C / SIGTERM, 1 when an emulator cannot start (port in use), 2 for a
 * usage error (unknown option, invalid port or latency), with the usage on stderr.
 */
import { USAGE, parseEmulatorArgs } from "./args";
import { BURKI_EMULATOR_API_KEY, BurkiEmulator } from "./burki";
import { WOODPECKER_EMULATOR_API_KEY, WoodpeckerEmulator } from "./woodpecker";

async function main(): Promise<void> {
  const parsed = parseEmulatorArgs(process.argv.slice(2));
  if ("error" in parsed) {
    console.error(`pulumi-campaigns-emulators: ${parsed.error}\n${USAGE}`);
    process.exit(2);
  }
  if (parsed.help) {
    console.log(USAGE);
    return;
  }
  const { latencyMs } = parsed;
  const burki = new BurkiEmulator({ port: parsed.burkiPort, latencyMs });
  const woodpecker = new WoodpeckerEmulator({ port: parsed.woodpeckerPort, latencyMs });
  const started = async (name: string, port: number, start: () => Promise<string>): Promise<string> => {
    try {
      return await start();
    } catch (e) {
      const code = (e as { code?: string }).code;
      throw new Error(
        code === "EADDRINUSE"
          ? `the ${name} emulator cannot listen on 127.0.0.1:${port}: the port is in use (pick another, or 0 for a free one)`
          : `the ${name} emulator could not start: ${(e as Error).message}`,
        { cause: e },
      );
    }
  };
  const burkiUrl = await started("Burki", parsed.burkiPort, () => burki.start());
  let woodpeckerUrl: string;
  try {
    woodpeckerUrl = await started("Woodpecker", parsed.woodpeckerPort, () => woodpecker.start());
  } catch (e) {
    await burki.stop();
    throw e;
  }
  // The control API lives at each emulator's origin, not under the API base (Woodpecker's ends in /rest).
  const info = {
    burki: { baseUrl: burkiUrl, apiKey: BURKI_EMULATOR_API_KEY, controlUrl: `${burki.origin}/_emulator` },
    woodpecker: {
      baseUrl: woodpeckerUrl,
      apiKey: WOODPECKER_EMULATOR_API_KEY,
      controlUrl: `${woodpecker.origin}/_emulator`,
    },
  };
  if (parsed.json) {
    console.log(JSON.stringify(info));
  } else {
    console.log(`BURKI_BASE_URL=${burkiUrl}`);
    console.log(`BURKI_API_KEY=${BURKI_EMULATOR_API_KEY}`);
    console.log(`WOODPECKER_BASE_URL=${woodpeckerUrl}`);
    console.log(`WOODPECKER_API_KEY=${WOODPECKER_EMULATOR_API_KEY}`);
    console.log(
      `# Burki control API:      ${info.burki.controlUrl}/… (e.g. GET ${info.burki.controlUrl}/campaigns)`,
    );
    console.log(
      `# Woodpecker control API: ${info.woodpecker.controlUrl}/… (at the origin, not under /rest; ` +
        `e.g. GET ${info.woodpecker.controlUrl}/campaigns)`,
    );
    console.log("# Ctrl-C stops both.");
  }
  const stop = async () => {
    await Promise.all([burki.stop(), woodpecker.stop()]);
    process.exit(0);
  };
  process.on("SIGINT", () => void stop());
  process.on("SIGTERM", () => void stop());
}

main().catch((e: unknown) => {
  console.error(`pulumi-campaigns-emulators: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
