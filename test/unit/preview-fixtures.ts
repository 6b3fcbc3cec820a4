/**
 * The preview documents the guard's tests read: test/fixtures/preview/cli/, written by the real CLI
 * (`npm run fixtures:preview`, docs/guard-fixtures.md), and the one hand-built document the CLI cannot
 * make (test/fixtures/preview/burki-status-unknown.json).
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import {
  type PreviewDigest,
  type PreviousState,
  parsePreviewJson,
  parseStackExport,
} from "../../provider/guard";

export const CLI_DIR = path.resolve(__dirname, "../fixtures/preview/cli");
export const HAND_BUILT_DIR = path.resolve(__dirname, "../fixtures/preview");

/** `<name>.preview.json` (no --refresh), `.refresh.json`, `.plain.json` or an extra preview's key. */
export type Variant = "preview" | "refresh" | "plain" | "run-program";

export const cliPath = (file: string) => path.join(CLI_DIR, file);
export const cliText = (file: string) => readFileSync(cliPath(file), "utf8");
export const cliPlan = (name: string, variant: Variant = "refresh"): PreviewDigest =>
  parsePreviewJson(cliText(`${name}.${variant}.json`));
/** `<name>.stack-export.json` (the state the previews start from), or another export of the scenario. */
export const cliExport = (name: string, file = "stack-export"): PreviousState =>
  parseStackExport(cliText(`${name}.${file}.json`));

/** A deep copy of a plan, bent into a case no scenario makes. */
export function variantOf(digest: PreviewDigest, edit: (digest: PreviewDigest) => void): PreviewDigest {
  const copy = structuredClone(digest);
  edit(copy);
  return copy;
}

/**
 * How the guard names a campaign the plan already knows (`Burki campaign 2 ("Reminders")`), read from
 * the plan: ids are the emulator's, given in the order the engine created the campaigns, which varies.
 */
export function labelOf(digest: PreviewDigest, resource: string): string {
  const step = digest.steps.find((s) => s.urn.endsWith(`::${resource}`) && s.oldState?.id);
  if (!step) throw new Error(`no stored campaign ${resource} in the plan`);
  const platform = step.urn.includes("/burki:Campaign::") ? "Burki" : "Woodpecker";
  return `${platform} campaign ${step.oldState!.id} ("${String(step.oldState!.outputs!.name)}")`;
}
