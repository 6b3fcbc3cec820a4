#!/usr/bin/env node
/**
 * pulumi-campaigns-emulators: start both local emulators and print their base URLs.
 *
 *   pulumi-campaigns-emulators [--burki-port N] [--woodpecker-port N] [--latency MS] [--json]
 *
 * Then point the provider at them:
 *   pulumi config set burki:baseUrl <url>;       pulumi config set --secret burki:apiKey <key>
 *   pulumi config set woodpecker:baseUrl <url>;  pulumi config set --secret woodpecker:apiKey <key>
 */
import { BURKI_EMULATOR_API_KEY, BurkiEmulator } from "./burki";
import { WOODPECKER_EMULATOR_API_KEY, WoodpeckerEmulator } from "./woodpecker";

function option(args: string[], name: string): number | undefined {
  const i = args.indexOf(name);
  if (i < 0) return undefined;
  const n = Number(args[i + 1]);
  if (!Number.isInteger(n) || n < 0) {
    console.error(`${name} needs a non-negative integer, got "${args[i + 1] ?? ""}"`);
    process.exit(2);
  }
  return n;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args.includes("--help") || args.includes("-h")) {
    console.log(
      "usage: pulumi-campaigns-emulators [--burki-port N] [--woodpecker-port N] [--latency MS] [--json]",
    );
    return;
  }
  const latencyMs = option(args, "--latency") ?? 0;
  const burki = new BurkiEmulator({ port: option(args, "--burki-port") ?? 0, latencyMs });
  const woodpecker = new WoodpeckerEmulator({ port: option(args, "--woodpecker-port") ?? 0, latencyMs });
  const burkiUrl = await burki.start();
  const woodpeckerUrl = await woodpecker.start();
  const info = {
    burki: { baseUrl: burkiUrl, apiKey: BURKI_EMULATOR_API_KEY },
    woodpecker: { baseUrl: woodpeckerUrl, apiKey: WOODPECKER_EMULATOR_API_KEY },
  };
  if (args.includes("--json")) {
    console.log(JSON.stringify(info));
  } else {
    console.log(`BURKI_BASE_URL=${burkiUrl}`);
    console.log(`BURKI_API_KEY=${BURKI_EMULATOR_API_KEY}`);
    console.log(`WOODPECKER_BASE_URL=${woodpeckerUrl}`);
    console.log(`WOODPECKER_API_KEY=${WOODPECKER_EMULATOR_API_KEY}`);
    console.log("Control API: <base>/_emulator/… (Ctrl-C to stop)");
  }
  const stop = async () => {
    await Promise.all([burki.stop(), woodpecker.stop()]);
    process.exit(0);
  };
  process.on("SIGINT", () => void stop());
  process.on("SIGTERM", () => void stop());
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
