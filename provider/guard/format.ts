/**
 * The guard's verdict as text: the exit code, one line per finding and warning, and the verdict line.
 * The Markdown summary for a pull request is ./summary.ts.
 */
import type { GuardReport } from "./types";
import { plural } from "./words";

/** 1 when the plan must not run (a blocked campaign, or a failed preview), else 0. */
export function exitCodeFor(report: GuardReport): 0 | 1 {
  return isBlocked(report) ? 1 : 0;
}

export function isBlocked(report: GuardReport): boolean {
  return report.previewErrors.length > 0 || report.findings.some((f) => f.level === "block");
}

/** The preview-failure line, when the preview failed. */
export function previewFailureLine(report: GuardReport): string | undefined {
  if (report.previewErrors.length === 0) return undefined;
  const count = plural(report.previewErrors.length, "error");
  return (
    `the preview failed with ${count} (${report.previewErrors[0]}), so its plan is incomplete: ` +
    `Pulumi plans deletes only after the program finishes; fix the preview and run it again`
  );
}

/** One line per finding, one per warning, then a summary line. */
export function formatReport(report: GuardReport): string {
  const lines = report.findings.map((f) => `${f.level === "block" ? "BLOCKED" : "ALLOWED"}: ${f.message}`);
  const failure = previewFailureLine(report);
  if (failure) lines.push(`BLOCKED: ${failure}`);
  lines.push(...report.warnings.map((w) => `WARNING: ${w}`));
  lines.push(`guard: ${verdictLine(report)}`);
  return lines.join("\n") + "\n";
}

/** `blocked (3 blocked, 1 warning, 6 campaign steps checked)`. */
export function verdictLine(report: GuardReport): string {
  const blocked = report.findings.filter((f) => f.level === "block").length;
  const allowed = report.findings.length - blocked;
  const counts = [
    ...(report.previewErrors.length > 0 ? ["preview failed"] : []),
    ...(blocked > 0 ? [`${blocked} blocked`] : []),
    ...(allowed > 0 ? [`${allowed} allowed`] : []),
    ...(report.warnings.length > 0 ? [plural(report.warnings.length, "warning")] : []),
    `${plural(report.checked, "campaign step")} checked`,
  ];
  return `${isBlocked(report) ? "blocked" : "passed"} (${counts.join(", ")})`;
}
