/**
 * The do-not-contact target (issue 21): one Burki campaign of N contacts in a `contactsFile`,
 * checked against a do-not-contact list file of N entries (numbers written with punctuation, a
 * tenth of them on the campaign's list), through the real provider host against the emulator: the
 * `check` round trip (target ≤ 1 s at N = 100,000), then the create, after which the emulator must
 * hold exactly the contacts not on the list and none of the listed numbers.
 *
 * `--smoke`: N = 1,000.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { performance } from "node:perf_hooks";
import type { Props } from "../test/helpers/provider-host";
import { startHost, type RunContext } from "./lib/scenario";
import { round } from "./lib/util";

export const DO_NOT_CONTACT_CHECK_BUDGET_MS = 1000;
const BURKI = "pulumi-nodejs:dynamic/burki:Campaign";

export interface DoNotContactResult {
  contacts: number;
  listEntries: number;
  /** Contacts on the list (every tenth). */
  listed: number;
  checkMs: number;
  createMs: number;
  /** What check counted as left out. */
  excluded: number;
  /** Contacts the emulator holds after the create, and how many of them are on the list. */
  emulatorContacts: number;
  emulatorListed: number;
}

const phone = (i: number) => `+1555${String(i).padStart(7, "0")}`;
/** The same number as a person might write it: `+1 (555) 000-0010`. */
const written = (i: number) => {
  const d = String(i).padStart(7, "0");
  return `+1 (555) ${d.slice(0, 3)}-${d.slice(3)}`;
};

export async function measureDoNotContact(ctx: RunContext, n: number): Promise<DoNotContactResult> {
  const control = ctx.emulators.burkiControl;
  await control.reset();
  const dir = mkdtempSync(path.join(os.tmpdir(), "bench-dnc-"));
  const contactsFile = path.join(dir, "contacts.csv");
  const listFile = path.join(dir, "do-not-contact.csv");
  const rows = Array.from({ length: n }, (_, i) => `${phone(i)},Contact ${i}`);
  writeFileSync(contactsFile, ["phone_number,name", ...rows].join("\n") + "\n");
  // N entries: every tenth contact, and numbers no campaign holds.
  const listed = new Set<number>();
  const entries: string[] = [];
  for (let i = 0; i < n; i++) {
    if (i % 10 === 0) {
      listed.add(i);
      entries.push(`${written(i)},opted out`);
    } else entries.push(`${written(n + i)},other`);
  }
  writeFileSync(listFile, ["phone,reason", ...entries].join("\n") + "\n");
  const host = await startHost(ctx);
  try {
    const provider = ctx.providerText.burki;
    const base = (name: string): Props => ({
      name,
      campaignType: "call",
      assistantId: 7,
      state: "draft",
      __provider: provider,
    });
    // The host's first check loads the provider: warm it up so checkMs is the list's own cost.
    const warm = await host.check(
      host.urnOf(BURKI, "bench-dnc-warm-up"),
      {},
      {
        ...base("bench-dnc-warm-up"),
        contacts: [{ phoneNumber: "+15550000001" }],
        doNotContact: { entries: ["+1 555 000 0002"] },
      },
    );
    if (warm.failures.length) throw new Error(`do-not-contact bench: warm-up check failed`);
    const urn = host.urnOf(BURKI, "bench-dnc");
    const inputs = { ...base("bench-dnc"), contactsFile, doNotContact: { file: listFile } };
    const t0 = performance.now();
    const chk = await host.check(urn, {}, inputs);
    const checkMs = round(performance.now() - t0, 1);
    if (chk.failures.length)
      throw new Error(`do-not-contact bench: check failed: ${chk.failures[0].property}`);
    const t1 = performance.now();
    const created = await host.create(urn, chk.inputs);
    const createMs = round(performance.now() - t1, 1);
    const held = ((await control.campaign(created.id)) as { contacts: { phone_number: string }[] }).contacts;
    const listedPhones = new Set([...listed].map(phone));
    const result: DoNotContactResult = {
      contacts: n,
      listEntries: n,
      listed: listed.size,
      checkMs,
      createMs,
      excluded: Number(chk.inputs.excludedByDoNotContact),
      emulatorContacts: held.length,
      emulatorListed: held.filter((c) => listedPhones.has(c.phone_number)).length,
    };
    await host.delete(urn, created.id, created.outs, chk.inputs);
    return result;
  } finally {
    await host.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export function doNotContactLine(r: DoNotContactResult): string {
  return (
    `do-not-contact: ${r.contacts.toLocaleString("en-US")} contacts (contactsFile) against a list of ` +
    `${r.listEntries.toLocaleString("en-US")} entries: check ${r.checkMs} ms (budget ${DO_NOT_CONTACT_CHECK_BUDGET_MS}), ` +
    `${r.excluded.toLocaleString("en-US")} left out; create ${r.createMs} ms; the emulator holds ` +
    `${r.emulatorContacts.toLocaleString("en-US")} contacts, ${r.emulatorListed} of them listed`
  );
}

/** Failures of the measurement itself: a listed number sent, or a wrong count. */
export function doNotContactProblems(r: DoNotContactResult): string[] {
  const out: string[] = [];
  if (r.emulatorListed > 0) out.push(`do-not-contact: ${r.emulatorListed} listed contact(s) were imported`);
  if (r.excluded !== r.listed) out.push(`do-not-contact: check left out ${r.excluded}, not ${r.listed}`);
  if (r.emulatorContacts !== r.contacts - r.listed) {
    out.push(
      `do-not-contact: the emulator holds ${r.emulatorContacts} contacts, not ${r.contacts - r.listed}`,
    );
  }
  return out;
}

/** Missed targets, for the report (not problems: the run still counts). */
export function doNotContactMissed(r: DoNotContactResult): string[] {
  return r.checkMs > DO_NOT_CONTACT_CHECK_BUDGET_MS
    ? [`check ${r.checkMs} ms > ${DO_NOT_CONTACT_CHECK_BUDGET_MS} ms`]
    : [];
}
