/**
 * The Markdown summary of a plan for the pull-request comment (`pulumi-campaigns guard --summary`): per
 * campaign the operation, its run state now and after, and what that means in people; a total line; the
 * guard's verdict. Counts only: the plan's contacts and prospects are secrets ("[secret]" in preview JSON)
 * and nothing here reads them; the counts come from the plain `contactCount`/`prospectCount` inputs.
 */
import type { CampaignImpact, GuardReport } from "./types";
import { isBlocked, previewFailureLine, verdictLine } from "./format";

/** Render the report as Markdown. */
export function formatSummary(report: GuardReport): string {
  const out: string[] = [];
  const verdict = isBlocked(report) ? "blocked" : "passed";
  out.push(`### Campaign plan: the guard ${verdict}`, "");
  if (report.changes.length === 0) {
    out.push("No campaign changes.", "");
  } else {
    out.push("| Campaign | Operation | Run state now → planned | What it means for people |");
    out.push("| --- | --- | --- | --- |");
    for (const change of report.changes) {
      out.push(
        `| ${cell(change.label)} | ${cell(change.operation)} | ${cell(change.current)} → ${cell(change.planned)} | ${cell(change.effect)} |`,
      );
    }
    out.push("", `**Total:** ${totalLine(report.changes)}`, "");
  }

  const blocked = report.findings.filter((f) => f.level === "block");
  const allowed = report.findings.filter((f) => f.level === "allowed");
  const failure = previewFailureLine(report);
  if (blocked.length > 0 || failure) {
    out.push("**Blocked:**", "");
    for (const f of blocked) out.push(`- ${text(f.message)}`);
    if (failure) out.push(`- ${text(failure)}`);
    out.push("");
  }
  if (allowed.length > 0) {
    out.push("**Allowed:**", "");
    for (const f of allowed) out.push(`- ${text(f.message)}`);
    out.push("");
  }
  if (report.warnings.length > 0) {
    out.push("**Warnings:**", "");
    for (const w of report.warnings) out.push(`- ${text(w)}`);
    out.push("");
  }
  out.push(
    `<sub>pulumi-campaigns guard: ${text(verdictLine(report))}. Counts only: no phone number, email address or name is read from the plan.</sub>`,
  );
  return out.join("\n") + "\n";
}

/** "starts contacting 2,590 people in 3 campaigns (2,240 calls, 350 emails); stops 1 running or scheduled campaign; …". */
export function totalLine(changes: readonly CampaignImpact[]): string {
  const parts: string[] = [];
  const starting = changes.filter((c) => c.starts);
  if (starting.length > 0) {
    const counted = starting.filter((c) => c.startCount !== undefined);
    const sum = (list: readonly CampaignImpact[]) =>
      list.reduce((total, c) => total + (c.startCount ?? 0), 0);
    const total = sum(counted);
    const uncounted = starting.length - counted.length;
    const split = (["burki", "woodpecker"] as const)
      .filter((p) => counted.some((c) => c.platform === p))
      .map(
        (p) => `${n(sum(counted.filter((c) => c.platform === p)))} to ${p === "burki" ? "call" : "email"}`,
      );
    if (counted.length === 0) {
      parts.push(
        `starts contacting people in ${plural(starting.length, "campaign")} (the plan does not say how many)`,
      );
    } else {
      parts.push(
        `starts contacting ${n(total)} ${total === 1 ? "person" : "people"} in ${plural(counted.length, "campaign")}` +
          ` (${split.join(", ")})` +
          (uncounted > 0
            ? `, and more in ${plural(uncounted, "campaign")} whose count the plan does not give`
            : ""),
      );
    }
  } else {
    parts.push("starts contacting nobody");
  }
  const stops = changes.filter((c) => c.stops).length;
  if (stops > 0) parts.push(`stops ${plural(stops, "running or scheduled campaign")}`);
  const recreated = changes.filter((c) => c.recreated).length;
  if (recreated > 0) parts.push(`re-creates ${plural(recreated, "campaign")} deleted outside Pulumi`);
  const ops = new Map<string, number>();
  for (const c of changes) ops.set(c.operation, (ops.get(c.operation) ?? 0) + 1);
  // In a fixed order, not the plan's: the CLI lists campaigns that do not depend on each other in the
  // order the engine reached them, which changes from one preview of the same change to the next.
  const rank = (op: string) => (op in PAST ? Object.keys(PAST).indexOf(op) : Object.keys(PAST).length);
  const done = [...ops]
    .sort(([a], [b]) => rank(a) - rank(b))
    .map(([op, count]) => `${count} ${PAST[op] ?? op}`);
  parts.push(`${plural(changes.length, "campaign")} changed (${done.join(", ")})`);
  return parts.join("; ") + ".";
}

const PAST: Readonly<Record<string, string>> = {
  create: "created",
  "re-create": "re-created",
  update: "updated",
  replace: "replaced",
  delete: "deleted",
  "delete-replaced": "old copies deleted",
  discard: "forgotten",
  import: "adopted",
};

function n(count: number): string {
  return count.toLocaleString("en-US");
}

function plural(count: number, noun: string): string {
  return `${n(count)} ${noun}${count === 1 ? "" : "s"}`;
}

/** A table cell: no pipes or line breaks, and no HTML. */
function cell(value: string): string {
  return text(value).replace(/\|/g, "\\|");
}

/** Plain text in Markdown: no raw HTML, no line breaks. */
function text(value: string): string {
  return value
    .replace(/[\r\n]+/g, " ")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;");
}
