/**
 * Crashing the real CLI on purpose: a `pulumi` command started as the leader of a new session, and
 * `kill -9` of every process in that session: the CLI, its language host and its resource plugins,
 * the way a lost CI runner or the OOM killer ends them. Killing the CLI's process group is not
 * enough: the engine starts each plugin in a process group of its own
 * (sdk/go/common/resource/plugin/plugin.go → cmdutil.RegisterProcessGroup, child_unix.go:
 * `Setpgid: true`, v3.276.0), so a plugin outlives a SIGKILL of the CLI and goes on with the calls it
 * was making (measured: a provider left running finished deletes after its CLI was killed). Plus the
 * state the file backend wrote up to that moment, read from disk while the CLI runs.
 */
import { spawn } from "node:child_process";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import type { CliResult, Project } from "./engine";

/** The environment Project gives its commands (engine.ts, Project's constructor). */
export function projectEnv(p: Project): NodeJS.ProcessEnv {
  return p.bench.scripts.pulumiEnv(p.bench.cli, {
    backendDir: p.backendDir,
    home: join(p.bench.dir, "pulumi-home"),
    extra: { NO_COLOR: "1" },
  });
}

export interface RunningCli {
  pid: number;
  /** What it printed so far. */
  output(): string;
  /** Each line it printed (stdout and stderr), with the milliseconds since the start it arrived at. */
  lines: Array<{ ms: number; line: string }>;
  /** Its end (a killed run ends with code null). */
  done: Promise<CliResult>;
  /** SIGKILL to every process of the CLI's session: the CLI and every process it started. */
  kill9(): void;
}

/** `pulumi <args>` in the project's folder, as the leader of a new session (Node's `detached`: setsid). */
export function startPulumi(p: Project, args: readonly string[], timeoutMs = 10 * 60_000): RunningCli {
  const child = spawn(p.bench.cli.command, args, { cwd: p.dir, env: projectEnv(p), detached: true });
  let stdout = "";
  let stderr = "";
  const t0 = Date.now();
  const lines: RunningCli["lines"] = [];
  const partial = { out: "", err: "" };
  const take = (stream: "out" | "err", d: Buffer) => {
    const text = partial[stream] + d.toString("utf8");
    const parts = text.split("\n");
    partial[stream] = parts.pop() ?? "";
    for (const line of parts) lines.push({ ms: Date.now() - t0, line });
  };
  child.stdout.on("data", (d: Buffer) => {
    stdout += d;
    take("out", d);
  });
  child.stderr.on("data", (d: Buffer) => {
    stderr += d;
    take("err", d);
  });
  child.stdin.end();
  const pid = child.pid;
  if (pid === undefined) throw new Error(`could not start pulumi ${args.join(" ")}`);
  const kill9 = () => {
    for (const member of [pid, ...processesInSession(pid).map((l) => Number(l.split(" ")[0]))]) {
      try {
        process.kill(member, "SIGKILL");
      } catch {
        // already gone
      }
    }
  };
  const timer = setTimeout(kill9, timeoutMs);
  const done = new Promise<CliResult>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      const r = { code, stdout, stderr, output: stdout + stderr };
      p.transcript.push(
        `$ pulumi ${args.join(" ")}  → exit ${code} (killed: ${child.signalCode ?? "no"})\n${r.output}`,
      );
      resolve(r);
    });
  });
  return { pid, output: () => stdout + stderr, lines, done, kill9 };
}

/** Processes (other than zombies) still in the session `sid`: what a kill left running. */
export function processesInSession(sid: number): string[] {
  const left: string[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      // pid (comm) state ppid pgrp session …: comm may hold spaces, so split after its closing parenthesis.
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (Number(fields[3]) === sid && fields[0] !== "Z") {
        left.push(`${entry} ${stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"))}`);
      }
    } catch {
      // gone meanwhile
    }
  }
  return left;
}

export interface CheckpointResource {
  urn: string;
  type: string;
  id?: string;
  delete?: boolean;
}
export interface Checkpoint {
  resources: CheckpointResource[];
  pending: Array<{ type: string; urn: string; id?: string }>;
}

/**
 * The stack's checkpoint as the file backend last wrote it (.pulumi/stacks/<project>/<stack>.json),
 * read without the CLI (which may be running, or killed). Empty when nothing was written yet.
 */
export function readCheckpoint(p: Project): Checkpoint {
  const file = join(p.backendDir, ".pulumi", "stacks", p.name, `${p.stack}.json`);
  if (!existsSync(file)) return { resources: [], pending: [] };
  let doc: {
    checkpoint?: {
      latest?: {
        resources?: CheckpointResource[];
        pending_operations?: Array<{ type: string; resource: { urn: string; id?: string } }>;
      };
    };
  };
  try {
    doc = JSON.parse(readFileSync(file, "utf8")) as typeof doc;
  } catch {
    return { resources: [], pending: [] }; // caught mid-write: the caller polls again
  }
  const latest = doc.checkpoint?.latest;
  return {
    resources: latest?.resources ?? [],
    pending: (latest?.pending_operations ?? []).map((o) => ({
      type: o.type,
      urn: o.resource.urn,
      id: o.resource.id,
    })),
  };
}

/** Campaign resources of a checkpoint (Burki and Woodpecker), with an id. */
export function campaignsWithId(c: Checkpoint, platform?: "burki" | "woodpecker"): CheckpointResource[] {
  return c.resources.filter(
    (r) =>
      /:dynamic\/(burki|woodpecker):Campaign$/.test(r.type) &&
      (!platform || r.type.includes(`dynamic/${platform}:`)) &&
      !!r.id,
  );
}

/** Polls `cond` every 100 ms until it holds; throws after `timeoutMs` with `what`. */
export async function waitUntil(
  what: string,
  cond: () => boolean | Promise<boolean>,
  timeoutMs: number,
): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await cond()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}
