/**
 * `burki.Campaign`'s provider implementation: check, diff, create, read, update, delete.
 *
 * Loaded at call time by the serialized shim (dynamic.ts) from the installed package, so state
 * never freezes this code. See DESIGN.md "Lifecycle semantics".
 */
import { adoptOrCreate } from "../core/adopt";
import { numberSetting } from "../core/credentials";
import { CampaignsError } from "../core/errors";
import { logInfo } from "../core/log";
import type { CreateResult, DiffResult, Props, ReadResult, UpdateResult } from "../core/provider-kit";
import {
  checkWithSchema,
  guarded,
  orPartialFailure,
  plain,
  removedFromState,
  thenCheck,
} from "../core/provider-kit";
import { UNKNOWN, withoutProvider } from "../core/validation";
import { type BurkiCampaign, type BurkiClient, burkiClient } from "./api";
import { checkContactsFile, contactsFileDigest, readContactsFile } from "./contacts-file";
import { checkBurkiDoNotContact, contactsToImport, contactsToImportDigest } from "./do-not-contact";
import { findCampaign, findLostCreates, labelFor, mustFindCampaign, mustFindForAdoption } from "./find";
import {
  contactsCsv,
  contactsDigest,
  inputsFromOutputs,
  observedState,
  toCreateBody,
  toOutputs,
  updateBodyFor,
} from "./mapping";
import { planDiff } from "./plan";
import { converge, prepareForEdit, restoreAfterEdit, stopThenDelete } from "./run-state";
import {
  fromScheduleBody,
  isSpent,
  isTimed,
  sameRun,
  sameSchedule,
  scheduleTimeRule,
  toScheduleBody,
} from "./schedule";
import { burkiCampaignSchema } from "./schema";
import type { BurkiCampaignInputs, BurkiCampaignOutputs, BurkiContact, BurkiSchedule } from "./types";
import { waitImportDone } from "./wait";

/** The contacts to import and their digest (both absent while contacts are not managed). */
interface Declared {
  contacts?: BurkiContact[];
  digest?: string;
}

export { configureFromStack as configure } from "../core/credentials";

/**
 * Validate with the schema; a schedule time in the past is refused only when it is new
 * (schedule.ts); a `contactsFile` is read and validated, and counted (contacts-file.ts).
 */
export const check = checkWithSchema(
  burkiCampaignSchema,
  scheduleTimeRule,
  thenCheck(checkContactsFile, checkBurkiDoNotContact),
);

/** What changes and whether it replaces the campaign: plan.ts `planDiff`. */
export async function diff(_id: string, olds: Props, news: Props): Promise<DiffResult> {
  return guarded(async () => {
    const file = news.contactsFile;
    const n = news as unknown as Partial<BurkiCampaignInputs>;
    // A do-not-contact list that leaves someone out: compare what would be imported now.
    const excluded: unknown = n.excludedByDoNotContact;
    const toImport =
      n.doNotContact === undefined || excluded === undefined || excluded === 0
        ? undefined
        : { digest: excluded === UNKNOWN ? undefined : contactsToImportDigest(n) };
    return planDiff(
      olds as unknown as Partial<BurkiCampaignOutputs>,
      n,
      typeof file === "string" && toImport === undefined ? contactsFileDigest(file) : undefined,
      toImport,
    );
  });
}

/**
 * The contacts to import: inline, or read from `contactsFile` (refused with its problems when
 * invalid), without those on the do-not-contact list (do-not-contact.ts).
 */
function declaredContacts(inputs: BurkiCampaignInputs): Declared {
  let declared: Declared;
  if (inputs.contactsFile === undefined) {
    declared = { contacts: inputs.contacts, digest: contactsDigest(inputs.contacts) };
  } else {
    const read = readContactsFile(inputs.contactsFile);
    if (!read.ok) {
      throw new Error(
        `Cannot apply Burki campaign "${inputs.name}": its contactsFile ${read.problems.join("; ")}. ` +
          "Fix the file and run the update again.",
      );
    }
    declared = { contacts: read.contacts, digest: read.digest };
  }
  if (inputs.doNotContact === undefined || declared.contacts === undefined) return declared;
  const toImport = contactsToImport(inputs, declared.contacts);
  if ("problem" in toImport) {
    throw new CampaignsError(
      `Cannot apply Burki campaign "${inputs.name}": its doNotContact list: ${toImport.problem}. Nothing was ` +
        "sent to Burki. Fix the list or the contacts and run the update again.",
    );
  }
  return toImport;
}

async function importContacts(
  client: BurkiClient,
  id: number,
  contacts: BurkiContact[],
  label: string,
): Promise<void> {
  logInfo(`${label}: importing ${contacts.length} contact(s)`);
  const importId = await client.importContacts(id, contactsCsv(contacts), "pulumi-contacts.csv");
  if (importId === undefined) return; // an older, synchronous import-data answered
  await waitImportDone(client, id, importId, label, contacts.length);
}

function stopTimeoutMs(): number {
  return numberSetting("burki:stopTimeoutSeconds", 300) * 1000;
}

export async function create(props: Props): Promise<CreateResult> {
  return guarded(async () => {
    const inputs = withoutProvider(props) as unknown as BurkiCampaignInputs;
    const client = burkiClient();
    // Read before any API call: an invalid file creates nothing.
    const declared = declaredContacts(inputs);
    const functions = { toCreateBody, mustFindForAdoption, findLostCreates };
    const { live, adopted } = await adoptOrCreate("burki", client, inputs, functions);
    // A campaign just created has no schedule record yet (fresh): Burki's is "immediate".
    const previous = adopted ? { contactsDigest: undefined } : { contactsDigest: undefined, fresh: true };
    const outs = await applyChanges(client, live, inputs, declared, previous, props);
    return { id: String(live.id), outs: plain(outs) };
  });
}

/**
 * What to POST /schedule, or undefined when Burki's record already says it. `observed` is Burki's
 * record (undefined: read it now); a spent one-shot schedule in state is never sent again.
 */
async function scheduleToApply(
  client: BurkiClient,
  id: number,
  desired: BurkiSchedule | undefined,
  previous: BurkiSchedule | undefined,
  observed: BurkiSchedule | undefined,
): Promise<BurkiSchedule | undefined> {
  if (desired === undefined) return undefined;
  if (isSpent(desired) && sameSchedule(desired, previous)) return undefined;
  const live = observed ?? fromScheduleBody(await client.getSchedule(id), desired);
  // `timezone` is not read back: a change of it alone is sent too.
  return sameRun(desired, live) &&
    (previous === undefined || sameSchedule(desired, previous) || !isTimed(desired))
    ? undefined
    : desired;
}

/**
 * Converge a live campaign to `inputs`: PUT what differs, import changed contacts and POST a
 * changed schedule (pausing a running campaign, or unscheduling a scheduled one, around the edit),
 * then bring the run state to the declared one. A failure after the campaign exists is a partial
 * failure, so the engine keeps it in state.
 */
async function applyChanges(
  client: BurkiClient,
  initial: BurkiCampaign,
  inputs: BurkiCampaignInputs,
  declared: Declared,
  previous: { contacts?: BurkiContact[]; contactsDigest?: string; schedule?: BurkiSchedule; fresh?: boolean },
  props: Props,
): Promise<BurkiCampaignOutputs> {
  const id = initial.id;
  const label = labelFor(id, inputs.name);
  const digest = declared.digest;
  const inline = inputs.contactsFile === undefined;
  // Contacts are managed only while declared: dropping the input stops tracking them. With
  // contactsFile only the digest is kept (the people stay in the file).
  let applied: { contacts?: BurkiContact[]; contactsDigest?: string } =
    declared.contacts === undefined
      ? {}
      : inline
        ? {
            // The same digest is the same people (e.g. moved from contactsFile to contacts).
            contacts: digest === previous.contactsDigest ? declared.contacts : previous.contacts,
            contactsDigest: previous.contactsDigest,
          }
        : { contactsDigest: previous.contactsDigest };
  let live = initial;
  return orPartialFailure(
    label,
    id,
    props,
    async () => {
      const body = updateBodyFor(inputs, live);
      const fieldsChanged = Object.keys(body).length > 0;
      const contactsChanged = declared.contacts !== undefined && digest !== previous.contactsDigest;
      // A campaign just created has no schedule record yet: Burki's is "immediate".
      const schedule = await scheduleToApply(
        client,
        id,
        inputs.schedule,
        previous.schedule,
        previous.fresh ? { type: "immediate" } : undefined,
      );
      if (fieldsChanged || contactsChanged || schedule) {
        const prepared = await prepareForEdit(client, live, label);
        let restore = prepared.restore;
        if (fieldsChanged) {
          logInfo(`${label}: updating ${Object.keys(body).join(", ")}`);
          await client.updateCampaign(id, body);
        }
        if (contactsChanged) {
          await importContacts(client, id, declared.contacts!, label);
          applied = inline
            ? { contacts: declared.contacts, contactsDigest: digest }
            : { contactsDigest: digest };
        }
        if (schedule) {
          // While the campaign is editable: Burki then sets it scheduled (timed) or leaves it draft.
          logInfo(`${label}: saving its ${schedule.type} schedule`);
          await client.saveSchedule(id, toScheduleBody(schedule));
          if (isTimed(schedule) || restore.kind === "schedule") restore = { kind: "none" };
        } else if (restore.kind === "schedule" && isTimed(inputs.schedule) && !isSpent(inputs.schedule)) {
          // Put back the declared schedule (with its timezone), not only what GET /schedule showed.
          restore = { kind: "schedule", schedule: toScheduleBody(inputs.schedule!) };
        }
        // Only the status of the pre-edit read is still current: the edit changed fields and counters.
        const known = schedule ? undefined : { campaign: prepared.live, current: false };
        live = await restoreAfterEdit(client, id, restore, inputs.state, label, known);
      } else {
        live = await converge(client, id, inputs.state, label, { campaign: live, current: true });
      }
      return toOutputs(live, inputs, applied);
    },
    async () => {
      const latest = (await findCampaign(client, id).catch(() => undefined)) ?? live;
      // The schedule as Burki holds it now (the edit may have unscheduled it); unreadable: left
      // out, so the next diff shows a change and the next up compares with Burki again.
      const schedule =
        inputs.schedule === undefined
          ? undefined
          : await observedSchedule(client, id, inputs.schedule).catch(() => undefined);
      return plain(toOutputs(latest, { ...inputs, schedule }, applied));
    },
  );
}

export async function update(id: string, olds: Props, news: Props): Promise<UpdateResult> {
  return guarded(async () => {
    const inputs = withoutProvider(news) as unknown as BurkiCampaignInputs;
    const previous = olds as unknown as BurkiCampaignOutputs;
    const client = burkiClient();
    const declared = declaredContacts(inputs);
    const live = await mustFindCampaign(client, Number(id), labelFor(Number(id), inputs.name));
    const outs = await applyChanges(
      client,
      live,
      inputs,
      declared,
      { contacts: previous.contacts, contactsDigest: previous.contactsDigest, schedule: previous.schedule },
      news,
    );
    return { outs: plain(outs) };
  });
}

export async function read(id: string, props: Props): Promise<ReadResult> {
  return guarded(async () => {
    const previous = props as unknown as BurkiCampaignOutputs;
    const client = burkiClient();
    const live = await findCampaign(client, Number(id));
    if (!live) return removedFromState(labelFor(Number(id), previous.name));
    const declared = previous.state;
    const outs = toOutputs(
      live,
      {
        ...inputsFromOutputs(previous),
        state: observedState(declared, live.status),
        schedule: await observedSchedule(client, live.id, previous.schedule),
      },
      { contacts: previous.contacts, contactsDigest: previous.contactsDigest },
    );
    return { id, props: plain(outs), inputs: plain(inputsFromOutputs(outs)) };
  });
}

/**
 * The schedule to report on refresh: Burki's record (GET /schedule, only while `schedule` is
 * declared), or the declared one when they run at the same times (one spelling, no diff) or when
 * the declared one-shot time has passed (spent: history, see schedule.ts).
 */
async function observedSchedule(
  client: BurkiClient,
  id: number,
  declared: BurkiSchedule | undefined,
): Promise<BurkiSchedule | undefined> {
  if (declared === undefined || isSpent(declared)) return declared;
  const live = fromScheduleBody(await client.getSchedule(id), declared);
  return sameRun(declared, live) ? declared : live;
}

async function deleteCampaign(id: string, props: Props): Promise<void> {
  return guarded(async () => {
    const previous = props as unknown as Partial<BurkiCampaignOutputs>;
    const label = labelFor(Number(id), previous.name);
    const outcome = await stopThenDelete(burkiClient(), Number(id), {
      label,
      stopTimeoutMs: stopTimeoutMs(),
    });
    if (outcome === "already-gone") logInfo(`${label} was already gone`);
  });
}

export { deleteCampaign as delete };
