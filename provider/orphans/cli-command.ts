/**
 * `pulumi-campaigns orphans [file]`: reads `pulumi stack export` (a file, or standard input) and
 * lists each vendor's campaigns that no resource of the stack manages. Loaded by provider/cli.ts
 * only when this command runs, so `guard` keeps starting with Node built-ins alone.
 *
 * API keys come from the environment only (BURKI_API_KEY, WOODPECKER_API_KEY), never from flags,
 * so they stay out of shell history; base URLs from flags, then BURKI_BASE_URL /
 * WOODPECKER_BASE_URL, then the public defaults. A platform without a key is skipped, and the
 * report says so.
 */
import { readFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { burkiClient } from "../burki/api";
import { SETTINGS, endpointFor } from "../core/credentials";
import { ConfigurationError, PLATFORM_TITLE, errorMessage } from "../core/errors";
import { closeAllPools } from "../core/http";
import { woodpeckerClient } from "../woodpecker/api";
import {
  type PlatformSource,
  findOrphans,
  formatReport,
  listAllBurki,
  listAllWoodpecker,
  orphanCount,
} from "./index";
import { type CampaignPlatform, StackExportParseError, parseStackExport } from "./stack-export";
import { ORPHANS_USAGE } from "./usage";

export const EXIT_NONE = 0;
export const EXIT_FOUND = 1;
export const EXIT_USAGE = 2;

export interface OrphansIo {
  stdin: AsyncIterable<Buffer | string> & { isTTY?: boolean };
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

export interface OrphansOptions {
  /** Where keys and base URLs are read from (default: process.env). */
  env?: NodeJS.ProcessEnv;
  /** Burki page size (tests use a small one to walk several pages). */
  burkiPerPage?: number;
}

const PREFIX = "pulumi-campaigns orphans";

export async function runOrphans(
  args: readonly string[],
  io: OrphansIo,
  opts: OrphansOptions = {},
): Promise<number> {
  const env = opts.env ?? process.env;
  // Refuse key flags before the parser sees them: its error would repeat the argument, value included.
  const keyFlag = args.find((a) => /^--?[a-z-]*(api-?key|token|secret)/i.test(a));
  if (keyFlag !== undefined) {
    return usage(
      io,
      "API keys are read from the environment only (BURKI_API_KEY, WOODPECKER_API_KEY), never from a flag: " +
        "a flag would keep the key in your shell history",
    );
  }
  let parsed;
  try {
    parsed = parseArgs({
      args: [...args],
      options: {
        "burki-base-url": { type: "string" },
        "woodpecker-base-url": { type: "string" },
        help: { type: "boolean", short: "h" },
      },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    return usage(io, errorMessage(error));
  }
  if (parsed.values.help) {
    io.stdout(
      `Usage: ${PREFIX} [file] [--burki-base-url URL] [--woodpecker-base-url URL]\n\n${ORPHANS_USAGE}`,
    );
    return EXIT_NONE;
  }
  if (parsed.positionals.length > 1) {
    return usage(io, `expected at most one file, got ${parsed.positionals.length}`);
  }

  const file = parsed.positionals[0];
  const fromStdin = file === undefined || file === "-";
  const source = fromStdin ? "standard input" : file;
  if (fromStdin && io.stdin.isTTY) {
    return usage(io, "no input: pass a file or pipe `pulumi stack export` into the command");
  }
  let text: string;
  try {
    text = fromStdin ? await readAll(io.stdin) : await readFile(file, "utf8");
  } catch (error) {
    io.stderr(`${PREFIX}: cannot read ${source}: ${errorMessage(error)}\n`);
    return EXIT_USAGE;
  }
  let stack;
  try {
    stack = parseStackExport(text);
  } catch (error) {
    if (!(error instanceof StackExportParseError)) throw error;
    io.stderr(`${PREFIX}: ${source}: ${error.message}\n`);
    return EXIT_USAGE;
  }

  const flags: Record<CampaignPlatform, string | undefined> = {
    burki: parsed.values["burki-base-url"],
    woodpecker: parsed.values["woodpecker-base-url"],
  };
  const sources: Partial<Record<CampaignPlatform, PlatformSource | { skipped: string }>> = {};
  for (const platform of ["burki", "woodpecker"] as const) {
    const keyVar = SETTINGS[`${platform}:apiKey`];
    if (!env[keyVar]) {
      sources[platform] = { skipped: `${keyVar} is not set` };
      continue;
    }
    const urlVar = SETTINGS[`${platform}:baseUrl`];
    const platformEnv = flags[platform] === undefined ? env : { ...env, [urlVar]: flags[platform] };
    try {
      const { baseUrl } = endpointFor(platform, platformEnv);
      if (platform === "burki") {
        const client = burkiClient(platformEnv);
        sources.burki = { baseUrl, list: () => listAllBurki(client, opts.burkiPerPage) };
      } else {
        const client = woodpeckerClient(platformEnv);
        sources.woodpecker = { baseUrl, list: () => listAllWoodpecker(client) };
      }
    } catch (error) {
      if (!(error instanceof ConfigurationError)) throw error;
      const flag = flags[platform] === undefined ? urlVar : `--${platform}-base-url`;
      return usage(io, `${PLATFORM_TITLE[platform]}: ${error.message} (from ${flag})`);
    }
  }
  if (Object.values(sources).every((s) => s !== undefined && "skipped" in s)) {
    return usage(
      io,
      "no platform to check: set BURKI_API_KEY and/or WOODPECKER_API_KEY in the environment " +
        "(the keys of the accounts the stack deploys to)",
    );
  }

  let report;
  try {
    report = await findOrphans(stack, sources);
  } finally {
    await closeAllPools();
  }
  io.stdout(formatReport(report));
  if (orphanCount(report) > 0) return EXIT_FOUND;
  return report.checks.some((c) => c.outcome === "failed") ? EXIT_USAGE : EXIT_NONE;
}

function usage(io: OrphansIo, message: string): number {
  io.stderr(`${PREFIX}: ${message}\n\nRun \`${PREFIX} --help\` for usage.\n`);
  return EXIT_USAGE;
}

async function readAll(stream: AsyncIterable<Buffer | string>): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString("utf8");
}
