#!/usr/bin/env node
/**
 * `pulumi-campaigns`: the package's command line. One command today, `guard`, which a GitOps pipeline
 * runs between `pulumi preview --json` and `pulumi up` (see provider/guard). Node built-ins only, so the
 * bin starts fast and works from a bare `npx`.
 */
import { readFile, writeFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import {
  type PreviousState,
  PreviewParseError,
  evaluatePlan,
  exitCodeFor,
  formatReport,
  formatSummary,
  parsePreviewJson,
  parseStackExport,
} from "./guard";
import { ORPHANS_USAGE } from "./orphans/usage";

export const EXIT_PASS = 0;
export const EXIT_BLOCKED = 1;
export const EXIT_USAGE = 2;

export const USAGE = `Usage:
  pulumi-campaigns guard [file] [--allow-stop-running] [--block-starts [--allow-starts]]
                         [--previous-state <file>] [--summary] [--summary-file <file>]
  pulumi-campaigns orphans [file] [--burki-base-url URL] [--woodpecker-base-url URL]
  pulumi-campaigns --help

Commands:
  guard  Check the output of \`pulumi preview --json\` for campaign changes that must not run unattended:
         deleting or replacing a Woodpecker campaign whose state declares \`workflow\`; deleting or
         replacing a Burki campaign that is running or scheduled (it would be stopped), or whose status
         the plan does not show (hidden, missing, unknown); replacing a retainOnDelete campaign that is
         still active (the old one would keep running beside the new one), or an active campaign
         new-copy-first (deleteBeforeReplace: false). Prints one line per campaign,
         warnings (no sign of --refresh or --show-replacement-steps), and a summary line. Reads standard
         input when no file is given or the file is \`-\`. Make the plan with
         \`pulumi preview --refresh --show-replacement-steps --json\`.

Options:
  --allow-stop-running     Let the plan stop running Burki campaigns (reported as allowed, not blocked).
  --block-starts           Block plans that start contacting people: a create with state running, a change
                           to running, contacts or prospects added to a running campaign.
  --allow-starts           With --block-starts: report those starts as allowed (the reviewer approved).
  --previous-state <file>  The stack's state before the last refresh (\`pulumi stack export\`), to name the
                           creates that re-create campaigns deleted outside Pulumi.
  --summary                Print the Markdown summary for a pull-request comment on standard output (the
                           guard's lines then go to standard error).
  --summary-file <file>    Write the Markdown summary to a file (also when the plan is blocked).
  -h, --help               Show this help.

Exit codes: 0 the plan passes, 1 the plan is blocked, 2 usage error or unreadable/invalid input.

${ORPHANS_USAGE}
Examples:
  pulumi preview --refresh --show-replacement-steps --json > plan.json && pulumi-campaigns guard plan.json
  pulumi-campaigns guard plan.json --block-starts --previous-state <(pulumi stack export) --summary-file plan.md
  pulumi preview --refresh --show-replacement-steps --json | pulumi-campaigns guard --summary
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
      options: {
        "allow-stop-running": { type: "boolean" },
        "block-starts": { type: "boolean" },
        "allow-starts": { type: "boolean" },
        "previous-state": { type: "string" },
        summary: { type: "boolean" },
        "summary-file": { type: "string" },
        help: { type: "boolean", short: "h" },
      },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    return usageError(io, errorMessage(error));
  }
  const values = parsed.values;
  if (values.help) {
    io.stdout(USAGE);
    return EXIT_PASS;
  }
  if (parsed.positionals.length > 1) {
    return usageError(io, `expected at most one file, got ${parsed.positionals.length}`);
  }
  if (values["allow-starts"] && !values["block-starts"]) {
    return usageError(
      io,
      "--allow-starts approves the starts that --block-starts blocks: give both, or neither",
    );
  }
  for (const option of ["previous-state", "summary-file"] as const) {
    if (values[option] === "") return usageError(io, `--${option} needs a file name`);
  }

  const file = parsed.positionals[0];
  const fromStdin = file === undefined || file === "-";
  const source = fromStdin ? "standard input" : file;
  if (fromStdin && io.stdin.isTTY) {
    // Waiting on a terminal would look like a hang: the pipeline forgot to pipe the preview in.
    return usageError(io, "no input: pass a file or pipe `pulumi preview --json` into the command");
  }
  if (fromStdin && values["previous-state"] === "-") {
    return usageError(io, "the plan and --previous-state cannot both be standard input");
  }

  const summaryFile = values["summary-file"];
  // A summary that says why there is no plan, so the pull-request comment is never silently stale.
  const failSummary = async (message: string) => {
    if (summaryFile === undefined) return;
    const markdown = `### Campaign plan: the guard could not judge it\n\n${message.replace(/[\r\n]+/g, " ")}\n`;
    await writeFile(summaryFile, markdown).catch(() => undefined);
  };

  let text: string;
  try {
    text = fromStdin ? await readAll(io.stdin) : await readFile(file, "utf8");
  } catch (error) {
    const message = `cannot read ${source}: ${errorMessage(error)}`;
    await failSummary(message);
    io.stderr(`pulumi-campaigns guard: ${message}\n`);
    return EXIT_USAGE;
  }

  let previousState: PreviousState | undefined;
  const stateFile = values["previous-state"];
  if (stateFile !== undefined) {
    try {
      const stateText = stateFile === "-" ? await readAll(io.stdin) : await readFile(stateFile, "utf8");
      previousState = parseStackExport(stateText);
    } catch (error) {
      const message = `--previous-state ${stateFile}: ${errorMessage(error)}`;
      await failSummary(message);
      io.stderr(`pulumi-campaigns guard: ${message}\n`);
      return EXIT_USAGE;
    }
  }

  let report;
  try {
    report = evaluatePlan(parsePreviewJson(text), {
      allowStopRunning: values["allow-stop-running"],
      blockStarts: values["block-starts"],
      allowStarts: values["allow-starts"],
      ...(previousState ? { previousState } : {}),
    });
  } catch (error) {
    if (!(error instanceof PreviewParseError)) throw error;
    await failSummary(`${source}: ${error.message}`);
    io.stderr(`pulumi-campaigns guard: ${source}: ${error.message}\n`);
    return EXIT_USAGE;
  }

  const summary = values.summary || summaryFile !== undefined ? formatSummary(report) : undefined;
  if (summaryFile !== undefined) {
    try {
      await writeFile(summaryFile, summary!);
    } catch (error) {
      io.stderr(
        `pulumi-campaigns guard: cannot write --summary-file ${summaryFile}: ${errorMessage(error)}\n`,
      );
      return EXIT_USAGE;
    }
  }
  if (values.summary) {
    io.stdout(summary!);
    io.stderr(formatReport(report));
  } else {
    io.stdout(formatReport(report));
  }
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
