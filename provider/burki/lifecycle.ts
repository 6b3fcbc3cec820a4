/**
 * `burki.Campaign`'s provider implementation: check, diff, create, read, update, delete.
 *
 * Loaded at call time by the serialized shim (dynamic.ts) from the installed package, so state
 * never freezes this code. See DESIGN.md "Lifecycle semantics".
 */
import { createOnce } from "../core/create-once";
import { numberSetting } from "../core/credentials";
import { errorMessage } from "../core/errors";
import { logInfo } from "../core/log";
import type { CreateResult, DiffResult, Props, ReadResult, UpdateResult } from "../core/provider-kit";
import { checkWithSchema, guarded, orPartialFailure, plain } from "../core/provider-kit";
import { withoutProvider } from "../core/validation";
import { type BurkiCampaign, type BurkiClient, burkiClient } from "./api";
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
import { burkiCampaignSchema } from "./schema";
import type { BurkiCampaignInputs, BurkiCampaignOutputs, BurkiContact } from "./types";
import { waitImportDone } from "./wait";

export { configureFromStack as configure } from "../core/credentials";

export const check = checkWithSchema(burkiCampaignSchema);

/** What changes and whether it replaces the campaign: plan.ts `planDiff`. */
export async function diff(_id: string, olds: Props, news: Props): Promise<DiffResult> {
  return guarded(async () =>
    planDiff(
      olds as unknown as Partial<BurkiCampaignOutputs>,
      news as unknown as Partial<BurkiCampaignInputs>,
    ),
  );
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
    let live: BurkiCampaign;
    if (inputs.existingCampaignId !== undefined) {
      const label = labelFor(inputs.existingCampaignId, inputs.name);
      live = await mustFindForAdoption(client, inputs.existingCampaignId).catch((e) => {
        throw new Error(`Cannot adopt ${label}: ${errorMessage(e)}`);
      });
      logInfo(`${label}: adopting the existing campaign (status ${live.status})`);
      const outs = await applyChanges(client, live, inputs, { contactsDigest: undefined }, props);
      return { id: String(live.id), outs: plain(outs) };
    }
    live = await createOnce({
      platform: "burki",
      name: inputs.name,
      create: () => client.createCampaign(toCreateBody(inputs)),
      findMatches: (since) => findLostCreates(client, inputs, since),
      requestBudgetMs: client.http.requestBudgetMs,
    });
    const label = labelFor(live.id, inputs.name);
    logInfo(`${label}: created`);
    const outs = await applyChanges(client, live, inputs, { contactsDigest: undefined }, props);
    return { id: String(live.id), outs: plain(outs) };
  });
}

/**
 * Converge a live campaign to `inputs`: PUT what differs and import changed contacts (pausing a
 * running campaign around the edit), then bring the run state to the declared one. A failure after
 * the campaign exists is a partial failure, so the engine keeps it in state.
 */
async function applyChanges(
  client: BurkiClient,
  initial: BurkiCampaign,
  inputs: BurkiCampaignInputs,
  previous: { contacts?: BurkiContact[]; contactsDigest?: string },
  props: Props,
): Promise<BurkiCampaignOutputs> {
  const id = initial.id;
  const label = labelFor(id, inputs.name);
  const digest = contactsDigest(inputs.contacts);
  // Contacts are managed only while declared: dropping the input stops tracking them.
  let applied: { contacts?: BurkiContact[]; contactsDigest?: string } =
    inputs.contacts === undefined
      ? {}
      : { contacts: previous.contacts, contactsDigest: previous.contactsDigest };
  let live = initial;
  return orPartialFailure(
    label,
    id,
    props,
    async () => {
      const body = updateBodyFor(inputs, live);
      const fieldsChanged = Object.keys(body).length > 0;
      const contactsChanged = inputs.contacts !== undefined && digest !== previous.contactsDigest;
      if (fieldsChanged || contactsChanged) {
        const prepared = await prepareForEdit(client, live, label);
        if (fieldsChanged) {
          logInfo(`${label}: updating ${Object.keys(body).join(", ")}`);
          await client.updateCampaign(id, body);
        }
        if (contactsChanged) {
          await importContacts(client, id, inputs.contacts!, label);
          applied = { contacts: inputs.contacts, contactsDigest: digest };
        }
        // Only the status of the pre-edit read is still current: the edit changed fields and counters.
        const known = { campaign: prepared.live, current: false };
        live = await restoreAfterEdit(client, id, prepared.restore, inputs.state, label, known);
      } else {
        live = await converge(client, id, inputs.state, label, { campaign: live, current: true });
      }
      return toOutputs(live, inputs, applied);
    },
    async () => {
      const latest = (await findCampaign(client, id).catch(() => undefined)) ?? live;
      return plain(toOutputs(latest, inputs, applied));
    },
  );
}

export async function update(id: string, olds: Props, news: Props): Promise<UpdateResult> {
  return guarded(async () => {
    const inputs = withoutProvider(news) as unknown as BurkiCampaignInputs;
    const previous = olds as unknown as BurkiCampaignOutputs;
    const client = burkiClient();
    const live = await mustFindCampaign(client, Number(id), labelFor(Number(id), inputs.name));
    const outs = await applyChanges(
      client,
      live,
      inputs,
      { contacts: previous.contacts, contactsDigest: previous.contactsDigest },
      news,
    );
    return { outs: plain(outs) };
  });
}

export async function read(id: string, props: Props): Promise<ReadResult> {
  return guarded(async () => {
    const previous = props as unknown as BurkiCampaignOutputs;
    const live = await findCampaign(burkiClient(), Number(id));
    if (!live) {
      logInfo(`${labelFor(Number(id), previous.name)} no longer exists; removing it from the state`);
      return { id: "", props: {} };
    }
    const declared = previous.state;
    const outs = toOutputs(
      live,
      { ...inputsFromOutputs(previous), state: observedState(declared, live.status) },
      { contacts: previous.contacts, contactsDigest: previous.contactsDigest },
    );
    return { id, props: plain(outs), inputs: plain(inputsFromOutputs(outs)) };
  });
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
