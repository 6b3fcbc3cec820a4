/**
 * Loads the campaign files: one YAML file per campaign, `campaigns/<name>.<platform>.yaml`.
 *
 *   - the platform is the file's second suffix: `.burki.yaml` or `.woodpecker.yaml` (`.yml` works too);
 *   - the Pulumi resource name is the file stem (`renewals.burki.yaml` → `renewals`), and it is also
 *     the campaign's name unless the file sets `name:`;
 *   - the file's content is the resource's arguments, exactly as in a TypeScript program.
 *
 * Every file is parsed and checked with the provider's own input checks (the ones `pulumi preview`
 * runs) before anything is declared. All problems of all files are reported at once, in ONE error,
 * one line each: `campaigns/<file>: <property path>: <reason>`. A single bad file stops the whole
 * set: a partial deployment would delete the campaigns of the files that did not load.
 *
 * Messages name files and fields, never values: campaign files hold personal data (phone numbers).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parseDocument } from "yaml";
import { burki, woodpecker } from "pulumi-campaigns";

export type Platform = "burki" | "woodpecker";

export type CampaignFile =
  | { platform: "burki"; name: string; file: string; inputs: burki.CampaignInputs }
  | { platform: "woodpecker"; name: string; file: string; inputs: woodpecker.CampaignInputs };

export interface CampaignFileProblem {
  /** As shown to users: `campaigns/<file>`. */
  file: string;
  /** A property path (`contacts[1].phoneNumber`), or `(file)` / `(yaml)` for the file as a whole. */
  property: string;
  reason: string;
}

/** Every problem found in the campaign files, in one error. */
export class CampaignFilesError extends Error {
  constructor(readonly problems: CampaignFileProblem[]) {
    super(
      `${problems.length} problem${problems.length === 1 ? "" : "s"} in the campaign files; nothing was changed:\n` +
        problems.map((p) => `  ${p.file}: ${p.property}: ${p.reason}`).join("\n"),
    );
    this.name = "CampaignFilesError";
  }
}

const FILE_NAME = /^(?<stem>.+)\.(?<platform>burki|woodpecker)\.ya?ml$/;
/** A Pulumi resource name that stays readable in URNs, plans and the guard's report. */
const RESOURCE_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$/;

/** Read, parse and check every campaign file in `dir`. Throws CampaignFilesError listing all problems. */
export function loadCampaigns(dir: string): CampaignFile[] {
  const shown = path.basename(dir);
  const problems: CampaignFileProblem[] = [];
  const campaigns: CampaignFile[] = [];
  const byName = new Map<string, string>();

  const files = fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isFile() && !e.name.startsWith(".") && /\.ya?ml$/.test(e.name))
    .map((e) => e.name)
    .sort();
  if (files.length === 0) {
    // An empty set would delete every campaign of the stack. That is `pulumi destroy`'s job.
    throw new CampaignFilesError([
      {
        file: `${shown}/`,
        property: "(directory)",
        reason:
          "holds no campaign files; refusing to plan the deletion of every campaign (use `pulumi destroy`)",
      },
    ]);
  }

  for (const fileName of files) {
    const file = `${shown}/${fileName}`;
    const found: CampaignFileProblem[] = [];
    const report = (property: string, reason: string) => found.push({ file, property, reason });
    const campaign = loadOne(dir, fileName, file, report, byName);
    // One file's problems in field order: contacts[1] before contacts[2], steps before steps[0].
    problems.push(...found.sort((a, b) => a.property.localeCompare(b.property, "en", { numeric: true })));
    if (campaign && !found.length) campaigns.push(campaign);
  }

  if (problems.length) throw new CampaignFilesError(problems);
  return campaigns;
}

function loadOne(
  dir: string,
  fileName: string,
  file: string,
  report: (property: string, reason: string) => void,
  byName: Map<string, string>,
): CampaignFile | undefined {
  const m = FILE_NAME.exec(fileName);
  if (!m) {
    report("(file name)", "must end in .burki.yaml or .woodpecker.yaml: the suffix names the platform");
    return undefined;
  }
  const { stem, platform } = m.groups as { stem: string; platform: Platform };
  if (!RESOURCE_NAME.test(stem)) {
    report("(file name)", `"${stem}" is the resource name: letters, digits, - and _ (at most 100)`);
    return undefined;
  }
  const clash = byName.get(stem);
  if (clash) {
    report("(file name)", `resource name "${stem}" is also the name of ${clash}`);
    return undefined;
  }
  byName.set(stem, file);

  const doc = parseDocument(fs.readFileSync(path.join(dir, fileName), "utf8"));
  if (doc.errors.length) {
    // The first line of the parser's message says what and where; the rest quotes the file.
    for (const e of doc.errors) report("(yaml)", e.message.split("\n")[0].replace(/:$/, ""));
    return undefined;
  }
  const raw: unknown = doc.toJS();
  if (!raw || typeof raw !== "object" || Array.isArray(raw)) {
    report("(yaml)", "must be a mapping of the campaign's arguments");
    return undefined;
  }
  const args: Record<string, unknown> = { name: stem, ...(raw as Record<string, unknown>) };

  // YAML reads an unquoted +15551234567 as a number: say so instead of "expected a string".
  const numericPhones = new Set<string>();
  if (platform === "burki" && Array.isArray(args.contacts)) {
    args.contacts.forEach((c: unknown, i) => {
      if (c && typeof c === "object" && typeof (c as { phoneNumber?: unknown }).phoneNumber === "number") {
        numericPhones.add(`contacts[${i}].phoneNumber`);
        report(
          `contacts[${i}].phoneNumber`,
          'must be quoted in YAML ("+15551234567"): unquoted, it reads as a number',
        );
      }
    });
  }

  const checked =
    platform === "burki" ? burki.checkCampaignInputs(args) : woodpecker.checkCampaignInputs(args);
  if (!checked.ok) {
    for (const f of checked.failures) if (!numericPhones.has(f.property)) report(f.property, f.reason);
    return undefined;
  }
  if (numericPhones.size) return undefined;
  return platform === "burki"
    ? { platform, name: stem, file, inputs: checked.inputs as burki.CampaignInputs }
    : { platform, name: stem, file, inputs: checked.inputs as woodpecker.CampaignInputs };
}
