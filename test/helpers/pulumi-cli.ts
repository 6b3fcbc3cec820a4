/**
 * scripts/pulumi-cli.mjs (the one place that provisions the Pulumi CLI) as the TypeScript test and
 * bench code loads it: its types, and a loader for the ES module (tsx runs tests and the bench as
 * CommonJS, where a plain `import()` would be compiled to `require`).
 */
import { join, resolve } from "node:path";

export interface ProvisionedCli {
  command: string;
  version: string;
  where: string;
  /** The folder holding pulumi, the language host and the dynamic-provider plugin (not for PATH's). */
  binDir?: string;
}

export interface PulumiCliModule {
  provisionPulumi(o?: { log?: (m: string) => void }): Promise<ProvisionedCli>;
  pulumiEnv(
    cli: ProvisionedCli,
    o: { backendDir?: string; home?: string; passphrase?: string; extra?: Record<string, string> },
  ): NodeJS.ProcessEnv;
  ProvisionError: new (...a: unknown[]) => Error;
}

const importModule = new Function("p", "return import(p)") as (p: string) => Promise<PulumiCliModule>;

/** scripts/pulumi-cli.mjs of this repository. */
export function loadPulumiCli(): Promise<PulumiCliModule> {
  return importModule(join(resolve(__dirname, "../.."), "scripts", "pulumi-cli.mjs"));
}
