#!/usr/bin/env node
/**
 * `pulumi-campaigns`: the package's command line. One command today, `guard`, which a GitOps pipeline
 * runs between `pulumi preview --json` and `pulumi up` (see provider/guard). Node built-ins only, so the
 * bin starts fast and works from a bare `npx`.
 */
import { readFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { PreviewParseError, evaluatePlan, exitCodeFor, formatReport, parsePreviewJson } from "./guard";
import { ORPHANS_USAGE } from "./orphans/usage";

export const EXIT_PASS = 0;
export const EXIT_BLOCKED = 1;
export const EXIT_USAGE = 2;

export const USAGE = `Usage:
  pulumi-campaigns guard [file] [--allow-stop-running]
  pulumi-campaigns orphans [file] [--burki-base-url URL] [--woodpecker-base-url URL]
  pulumi-campaigns --help

Commands:
  guard  Check the output of \`pulumi preview --json\` for campaign changes that must not run unattended:
         deleting or replacing a Woodpecker campaign whose state declares \`workflow\`, and deleting or
         replacing a Burki campaign that is running or scheduled (it would be stopped). Prints one line
         per campaign and a summary. Reads standard input when no file is given or the file is \`-\`.

Options:
  --allow-stop-running  Let the plan stop running Burki campaigns (reported as allowed, not blocked).
  -h, --help            Show this help.

Exit codes: 0 the plan passes, 1 the plan is blocked, 2 usage error or unreadable/invalid input.

${ORPHANS_USAGE}
Examples:
  pulumi preview --json > plan.json && pulumi-campaigns guard plan.json
  pulumi preview --json | pulumi-campaigns guard
`;

export interface CliIo {
  stdin: AsyncIterable<Buffer | string> & { isTTY?: boolean };
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

/** Run the command line; resolves to the process exit code. */
export async function runCli(args: readonly string[], io: CliIo = processIo()): Promise<number> {
  const [command, ...rest] = args;
  if (command === "--help" || command === "-h" || command === "help") {
    io.stdout(USAGE);
    return EXIT_PASS;
  }
  if (command === "guard") return guard(rest, io);
  // Loaded on demand: `guard` keeps starting with Node built-ins alone.
  if (command === "orphans") return (await import("./orphans/cli-command")).runOrphans(rest, io);
  const problem = command === undefined ? "missing command" : `unknown command "${command}"`;
  io.stderr(`pulumi-campaigns: ${problem}\n\n${USAGE}`);
  return EXIT_USAGE;
}

async function guard(args: readonly string[], io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...args],
      options: { "allow-stop-running": { type: "boolean" }, help: { type: "boolean", short: "h" } },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    return usageError(io, errorMessage(error));
  }
  if (parsed.values.help) {
    io.stdout(USAGE);
    return EXIT_PASS;
  }
  if (parsed.positionals.length > 1) {
    return usageError(io, `expected at most one file, got ${parsed.positionals.length}`);
  }

  const file = parsed.positionals[0];
  const fromStdin = file === undefined || file === "-";
  const source = fromStdin ? "standard input" : file;
  if (fromStdin && io.stdin.isTTY) {
    // Waiting on a terminal would look like a hang: the pipeline forgot to pipe the preview in.
    return usageError(io, "no input: pass a file or pipe `pulumi preview --json` into the command");
  }

  let text: string;
  try {
    text = fromStdin ? await readAll(io.stdin) : await readFile(file, "utf8");
  } catch (error) {
    io.stderr(`pulumi-campaigns guard: cannot read ${source}: ${errorMessage(error)}\n`);
    return EXIT_USAGE;
  }

  let report;
  try {
    report = evaluatePlan(parsePreviewJson(text), { allowStopRunning: parsed.values["allow-stop-running"] });
  } catch (error) {
    if (!(error instanceof PreviewParseError)) throw error;
    io.stderr(`pulumi-campaigns guard: ${source}: ${error.message}\n`);
    return EXIT_USAGE;
  }
  io.stdout(formatReport(report));
  return exitCodeFor(report);
}

function usageError(io: CliIo, message: string): number {
  io.stderr(`pulumi-campaigns guard: ${message}\n\n${USAGE}`);
  return EXIT_USAGE;
}

async function readAll(stream: AsyncIterable<Buffer | string>): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString("utf8");
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function processIo(): CliIo {
  return {
    stdin: process.stdin,
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
  };
}

if (require.main === module) {
  runCli(process.argv.slice(2)).then(
    (code) => {
      // exitCode, not exit(): let piped stdout drain before the process ends.
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(
        `pulumi-campaigns: unexpected error: ${error instanceof Error ? error.stack : error}\n`,
      );
      process.exitCode = EXIT_USAGE;
    },
  );
}
