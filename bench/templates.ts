/**
 * Template checks at `check` (issue 10 §3) are offline and must stay fast: how long the installed
 * package's `check` of a Burki campaign with 10,000 contacts takes (schema and rules, every
 * template variable resolved for every contact), the template rules alone, and a Woodpecker
 * campaign with 16 steps × 5 versions of token-heavy text. Pure CPU, no emulator: runs in every
 * mode of `npm run bench`, `--smoke` included.
 */
import { performance } from "node:perf_hooks";
import { median, round } from "./lib/util";

/** "Well under a second" for 10,000 contacts: a run slower than this is a problem. */
export const TEMPLATES_BUDGET_MS = 1000;
const CONTACTS = 10_000;

export interface TemplatesResult {
  contacts: number;
  /** Median of the timed runs, in ms. */
  burkiCheckMs: number;
  burkiRulesMs: number;
  woodpeckerCheckMs: number;
  /** Failures the Burki check reported for the one variable half the contacts lack (capped). */
  cappedFailures: number;
}

/** Median time of `fn`; call it once before (a warm-up: the schema is built on first use). */
function timeMedian(fn: () => unknown, samples: number): number {
  const ms: number[] = [];
  for (let k = 0; k < samples; k++) {
    const t0 = performance.now();
    fn();
    ms.push(performance.now() - t0);
  }
  return round(median(ms), 1);
}

/** `samples`: timed runs per figure (the median is reported); a smoke run takes 1. */
export function measureTemplates(samples = 3): TemplatesResult {
  // The installed copy, as users get it (the benchmark's package scope resolves it from node_modules).
  const { burki, woodpecker } = require("pulumi-campaigns") as typeof import("../provider/index");
  const contacts = Array.from({ length: CONTACTS }, (_, i) => ({
    phoneNumber: `+1555${String(i).padStart(7, "0")}`,
    name: `Contact ${i}`,
    variables: { renewal_date: "December 1", plan: i % 3 ? "gold" : "silver", city: "Oslo" },
  }));
  const inputs = {
    name: "bench-templates",
    campaignType: "call",
    assistantId: 7,
    welcomeMessageTemplate:
      "Hi {{name}}, this is {{assistant_name}} from {{company}}: your {{ plan | upper }} plan renews on {{renewal_date}}.",
    agendaTemplate:
      "Confirm {{renewal_date}} for {{ city | title }}; offer {{ upgrade | default('an upgrade') }}.",
    endCallMessageTemplate: "Thanks {{name}}, goodbye.",
    smsMessageTemplate: "{{company}}: your {{plan}} plan renews {{renewal_date}}. Reply STOP to opt out.",
    contacts,
  };
  const ok = burki.checkCampaignInputs(inputs);
  if (!ok.ok)
    throw new Error(`bench templates: the Burki inputs should pass: ${JSON.stringify(ok.failures[0])}`);
  const burkiCheckMs = timeMedian(() => burki.checkCampaignInputs(inputs), samples);
  burki.checkCampaignRules(inputs);
  const burkiRulesMs = timeMedian(() => burki.checkCampaignRules(inputs), samples);

  // Half the contacts lack {{day}}: the failures are capped, not one per contact.
  const lacking = {
    ...inputs,
    smsMessageTemplate: "See you {{day}}",
    contacts: contacts.map((c, i) => (i % 2 ? c : { ...c, variables: { ...c.variables, day: "Monday" } })),
  };
  const capped = burki.checkCampaignInputs(lacking);
  const cappedFailures = capped.ok ? 0 : capped.failures.length;

  const version = {
    subject: '{{SPINTAX | "Hi" | "Hello"}} {{FIRST_NAME | "there"}}, a question about {{COMPANY}}',
    message:
      "<p>Hi {{FIRST_NAME}},</p>".repeat(20) +
      '<p>{{SNIPPET_1}} {{SNIPPET_2 | ""}} {{CLICK=https://example.com/demo}}</p><a href="{{UNSUBSCRIBE}}">x</a>',
  };
  const wp = {
    name: "bench-templates",
    emailAccountIds: [1],
    settings: { timezone: "UTC" },
    steps: Array.from({ length: 16 }, () => ({
      versions: Array.from({ length: 5 }, () => ({ ...version })),
    })),
  };
  const wpOk = woodpecker.checkCampaignInputs(wp);
  if (!wpOk.ok)
    throw new Error(
      `bench templates: the Woodpecker inputs should pass: ${JSON.stringify(wpOk.failures[0])}`,
    );
  const woodpeckerCheckMs = timeMedian(() => woodpecker.checkCampaignInputs(wp), samples);

  return { contacts: CONTACTS, burkiCheckMs, burkiRulesMs, woodpeckerCheckMs, cappedFailures };
}

export function templatesLine(r: TemplatesResult): string {
  return (
    `check of a Burki campaign with ${r.contacts.toLocaleString("en-US")} contacts and 4 templates: ` +
    `${r.burkiCheckMs} ms (template rules alone ${r.burkiRulesMs} ms; budget ${TEMPLATES_BUDGET_MS} ms); ` +
    `${(r.contacts / 2).toLocaleString("en-US")} contacts lacking a variable → ${r.cappedFailures} failures (capped); ` +
    `Woodpecker, 16 steps × 5 versions: ${r.woodpeckerCheckMs} ms`
  );
}

export function templatesProblems(r: TemplatesResult): string[] {
  return r.burkiCheckMs > TEMPLATES_BUDGET_MS
    ? [
        `templates: check of ${r.contacts} contacts took ${r.burkiCheckMs} ms (budget ${TEMPLATES_BUDGET_MS} ms)`,
      ]
    : [];
}
