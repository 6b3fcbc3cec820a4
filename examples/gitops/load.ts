/**
 * Loads the campaign files: one YAML file per campaign, `campaigns/<name>.<platform>.yaml`.
 *
 *   - the platform is the file's second suffix: `.burki.yaml` or `.woodpecker.yaml` (`.yml` works too);
 *   - the Pulumi resource name is the file stem (`renewals.burki.yaml` → `renewals`), and it is also
 *     the campaign's name unless the file sets `name:`;
 *   - the file's content is the resource's arguments, exactly as in a TypeScript program.
 *
 * Every file is parsed and checked with the provider's own input checks (the ones `pulumi preview`
 * runs) and its cross-field rules, before anything is declared. All problems of all files are
 * reported at once, in ONE error, one line each, then their count:
 *
 *   campaigns/<file>:<line>:<column>: <property path>: <reason> (did you mean "assistantId"?)
 *
 * A single bad file stops the whole set: a partial deployment would delete the campaigns of the
 * files that did not load.
 *
 * Messages name files and fields, never values: campaign files hold personal data (phone numbers).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { LineCounter, parseDocument } from "yaml";
import { burki, woodpecker } from "pulumi-campaigns";
import {
  BURKI_SHAPE,
  type Position,
  type PropertyPath,
  WOODPECKER_SHAPE,
  dropKeys,
  findUnknownKeys,
  formatPath,
  locate,
  offsetPosition,
  parsePath,
} from "./explain";

export type Platform = "burki" | "woodpecker";

export type CampaignFile =
  | { platform: "burki"; name: string; file: string; inputs: burki.CampaignInputs }
  | { platform: "woodpecker"; name: string; file: string; inputs: woodpecker.CampaignInputs };

export interface CampaignFileProblem {
  /** As shown to users: `campaigns/<file>`. */
  file: string;
  /** Where in the file (1-based); absent for a problem of the file name or the directory. */
  line?: number;
  column?: number;
  /**
   * A property path (`contacts[1].phoneNumber`), or `(file name)` / `(yaml)` / `(directory)` for
   * the file as a whole.
   */
  property: string;
  reason: string;
  /** For an unknown key: the allowed key it most likely meant. */
  suggestion?: string;
}

/** `campaigns/x.burki.yaml:3:1: assistantID: unknown key (did you mean "assistantId"?)` */
export function formatProblem(p: CampaignFileProblem): string {
  const where = p.line === undefined ? p.file : `${p.file}:${p.line}:${p.column ?? 1}`;
  const hint = p.suggestion ? ` (did you mean "${p.suggestion}"?)` : "";
  return `${where}: ${p.property}: ${p.reason}${hint}`;
}

/** Every problem found in the campaign files, in one error: one line each, then the count. */
export class CampaignFilesError extends Error {
  constructor(readonly problems: CampaignFileProblem[]) {
    super(
      [
        ...problems.map(formatProblem),
        `${problems.length} problem${problems.length === 1 ? "" : "s"} in the campaign files; nothing was changed`,
      ].join("\n"),
    );
    this.name = "CampaignFilesError";
  }
}

const FILE_NAME = /^(?<stem>.+)\.(?<platform>burki|woodpecker)\.ya?ml$/;
/** A Pulumi resource name that stays readable in URNs, plans and the guard's report. */
const RESOURCE_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$/;

type Report = (property: PropertyPath | string, reason: string, at?: Position, suggestion?: string) => void;

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
    const seen = new Set<string>();
    const report: Report = (property, reason, at, suggestion) => {
      const p: CampaignFileProblem = {
        file,
        ...(at && { line: at.line, column: at.column }),
        property: typeof property === "string" ? property : formatPath(property),
        reason,
        ...(suggestion && { suggestion }),
      };
      const key = formatProblem(p);
      if (seen.has(key)) return; // the schema and the rules can both see a rule that ran
      seen.add(key);
      found.push(p);
    };
    const campaign = loadOne(dir, fileName, file, report, byName);
    // One file's problems in the order of the file; the same place: by property path.
    problems.push(...found.sort(byPlace));
    if (campaign && !found.length) campaigns.push(campaign);
  }

  if (problems.length) throw new CampaignFilesError(problems);
  return campaigns;
}

function byPlace(a: CampaignFileProblem, b: CampaignFileProblem): number {
  return (
    (a.line ?? 0) - (b.line ?? 0) ||
    (a.column ?? 0) - (b.column ?? 0) ||
    a.property.localeCompare(b.property, "en", { numeric: true })
  );
}

function loadOne(
  dir: string,
  fileName: string,
  file: string,
  report: Report,
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

  const lines = new LineCounter();
  const doc = parseDocument(fs.readFileSync(path.join(dir, fileName), "utf8"), {
    lineCounter: lines,
    prettyErrors: false, // positions come from `lines`; the pretty form quotes the file (values)
  });
  if (doc.errors.length) {
    // A file that does not parse is reported for that alone: what it would mean is a guess.
    for (const e of doc.errors) report("(yaml)", e.message.split("\n")[0], offsetPosition(lines, e.pos[0]));
    return undefined;
  }
  const at = (property: PropertyPath) => locate(doc, lines, property) ?? { line: 1, column: 1 };
  const raw: unknown = doc.toJS();
  if (!raw || typeof raw !== "object" || Array.isArray(raw)) {
    report("(yaml)", "must be a mapping of the campaign's arguments", at([]));
    return undefined;
  }
  const args: Record<string, unknown> = { name: stem, ...(raw as Record<string, unknown>) };

  // Unknown keys, with the key each most likely meant. They are reported here and left out of
  // the checks below, and so is the "missing" report of a key that a misspelling explains.
  const unknownKeys = findUnknownKeys(args, platform === "burki" ? BURKI_SHAPE : WOODPECKER_SHAPE);
  const explained = new Set<string>();
  for (const u of unknownKeys) {
    if (u.key === undefined) {
      report(
        u.parent,
        `has a key that is not a field name (not repeated here: it may be personal data); the keys here are ${u.allowed.join(", ")}`,
        at(u.path),
      );
    } else if (u.suggestion) {
      report(u.path, "unknown key", at(u.path), u.suggestion);
      if (!keyIn(args, u.parent, u.suggestion)) explained.add(formatPath([...u.parent, u.suggestion]));
    } else {
      report(u.path, `unknown key; the keys here are ${u.allowed.join(", ")}`, at(u.path));
    }
  }
  dropKeys(args, unknownKeys);

  // YAML reads an unquoted +15551234567 as a number: say so instead of "expected a string".
  const numericPhones = new Set<string>();
  if (platform === "burki" && Array.isArray(args.contacts)) {
    args.contacts.forEach((c: unknown, i) => {
      if (c && typeof c === "object" && typeof (c as { phoneNumber?: unknown }).phoneNumber === "number") {
        const property: PropertyPath = ["contacts", i, "phoneNumber"];
        numericPhones.add(formatPath(property));
        report(
          property,
          'must be quoted in YAML ("+15551234567"): unquoted, it reads as a number',
          at(property),
        );
      }
    });
  }
  const shownHere = (property: string) => !numericPhones.has(property) && !explained.has(property);

  const checked =
    platform === "burki" ? burki.checkCampaignInputs(args) : woodpecker.checkCampaignInputs(args);
  if (!checked.ok) {
    for (const f of checked.failures) {
      if (shownHere(f.property)) report(f.property, f.reason, at(parsePath(f.property)));
    }
    // zod skips an object's cross-field rules while a field in it is invalid: run them anyway, so
    // that one round of fixes is enough. (A rule only reads the fields that have the right type.)
    const rules = platform === "burki" ? burki.checkCampaignRules(args) : woodpecker.checkCampaignRules(args);
    for (const r of rules) {
      if (shownHere(formatPath(r.path))) report(r.path, r.message, at(r.path));
    }
    return undefined;
  }
  if (numericPhones.size || unknownKeys.length) return undefined;
  return platform === "burki"
    ? { platform, name: stem, file, inputs: checked.inputs as burki.CampaignInputs }
    : { platform, name: stem, file, inputs: checked.inputs as woodpecker.CampaignInputs };
}

/** Does the object at `parent` have the key `key`? */
function keyIn(value: unknown, parent: PropertyPath, key: string): boolean {
  let obj: unknown = value;
  for (const seg of parent) obj = (obj as Record<string | number, unknown>)?.[seg];
  return !!obj && typeof obj === "object" && Object.prototype.hasOwnProperty.call(obj, key);
}
