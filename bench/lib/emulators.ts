/**
 * The emulators the benchmark runs against: the installed package's `pulumi-campaigns-emulators`
 * bin in a child process of its own (as a remote API would be, they do not share an event loop with
 * the benchmark's direct undici client or the gRPC client), with a fixed service time per request
 * (`--latency`). Tuned and read through their control API (`/_emulator/…`).
 */
import { spawn, type ChildProcess } from "node:child_process";
import * as path from "node:path";
import type { RequestLogEntry } from "../../provider/emulators/common";
import { EmulatorControl } from "../../test/helpers/control";
import { children } from "./util";

export interface Endpoint {
  baseUrl: string;
  apiKey: string;
}

export interface WoodpeckerStats {
  maxConcurrent: number;
  maxQueueDepth: number;
  rateLimited: number;
}

export class Emulators {
  readonly burkiControl: EmulatorControl;
  readonly woodpeckerControl: EmulatorControl;

  private constructor(
    readonly child: ChildProcess,
    readonly burki: Endpoint,
    readonly woodpecker: Endpoint,
  ) {
    this.burkiControl = new EmulatorControl(new URL(burki.baseUrl).origin);
    this.woodpeckerControl = new EmulatorControl(new URL(woodpecker.baseUrl).origin);
  }

  /** Spawn the bin and wait (bounded) for the JSON line with both base URLs. */
  static async start(latencyMs: number): Promise<Emulators> {
    const pkgDir = path.dirname(require.resolve("pulumi-campaigns/package.json"));
    const bin = path.join(pkgDir, "dist", "emulators", "bin.js");
    const child = spawn(process.execPath, [bin, "--latency", String(latencyMs), "--json"], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    children.add(child);
    child.once("exit", () => children.delete(child));
    let stdout = "";
    let stderr = "";
    child.stderr!.on("data", (d) => (stderr += String(d)));
    const info = await new Promise<{ burki: Endpoint; woodpecker: Endpoint }>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`emulators did not start within 15 s:\n${stderr}`)),
        15_000,
      );
      child.stdout!.on("data", (d) => {
        stdout += String(d);
        const nl = stdout.indexOf("\n");
        if (nl < 0) return;
        clearTimeout(timer);
        try {
          resolve(JSON.parse(stdout.slice(0, nl)));
        } catch (e) {
          reject(e);
        }
      });
      child.once("exit", (code) => {
        clearTimeout(timer);
        reject(new Error(`emulators exited (${code}) before starting:\n${stderr}`));
      });
    });
    return new Emulators(child, info.burki, info.woodpecker);
  }

  control(platform: "burki" | "woodpecker"): EmulatorControl {
    return platform === "burki" ? this.burkiControl : this.woodpeckerControl;
  }

  async requests(platform: "burki" | "woodpecker"): Promise<RequestLogEntry[]> {
    return this.control(platform).requests();
  }

  async woodpeckerStats(): Promise<WoodpeckerStats> {
    return this.woodpeckerControl.call<WoodpeckerStats>("GET", "/stats");
  }

  async resetWoodpeckerStats(): Promise<void> {
    await this.woodpeckerControl.call("DELETE", "/stats");
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((r) => this.child.once("exit", r));
    this.child.kill("SIGTERM");
    await Promise.race([exited, new Promise((r) => setTimeout(r, 3_000).unref())]);
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill("SIGKILL");
  }
}
