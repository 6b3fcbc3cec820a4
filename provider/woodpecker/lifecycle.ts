/**
 * `woodpecker.Campaign`'s provider implementation: check, diff, create, read, update, delete.
 *
 * Loaded at call time by the serialized shim (dynamic.ts) from the installed package.
 */
import { adoptOrCreate } from "../core/adopt";
import { doNotContactChanged } from "../core/do-not-contact-check";
import { CampaignsError, OutcomeUnknownError, isApiError } from "../core/errors";
import { logInfo } from "../core/log";
import type { CreateResult, DiffResult, Props, ReadResult, UpdateResult } from "../core/provider-kit";
import {
  checkWithSchema,
  completeInputs,
  guarded,
  orPartialFailure,
  plain,
  removedFromState,
  storedWithoutItemDefaults,
  thenCheck,
} from "../core/provider-kit";
import { type CheckFailure, UNKNOWN, withoutItemDefaults, withoutProvider } from "../core/validation";
import { type ApiCampaign, type WoodpeckerClient, woodpeckerClient } from "./api";
import { WorkflowConflictError, WorkflowReplacementError } from "./errors";
import { findCampaign, findLostCreates, labelFor, mustFindCampaign, mustFindForAdoption } from "./find";
import {
  flattenChain,
  inputsFromOutputs,
  observedState,
  toApiStep,
  toCreateBody,
  toOutputs,
} from "./mapping";
import {
  type EditOp,
  configurationOf,
  describeEdit,
  liveConfiguration,
  planDiff,
  planUpdate,
  replaceReasons,
} from "./plan";
import {
  type DeclaredProspects,
  carriedProspects,
  inlineProspects,
  prospectInputs,
  prospectsChanged,
  readProspects,
  syncProspects,
  withProspects,
} from "./prospects";
import { checkProspectsFile, prospectsFileDigest, readProspectsFile } from "./prospects-file";
import {
  checkWoodpeckerDoNotContact,
  enrolledFromFile,
  prospectsToEnrol,
  prospectsToEnrolDigest,
  withDoNotContact,
} from "./do-not-contact";
import { carriedRefusals, settleRefusals } from "./refusals";
import { converge, prepareForEdit, restoreAfterEdit } from "./run-state";
import { woodpeckerCampaignSchema } from "./schema";
import type { WoodpeckerCampaignInputs, WoodpeckerCampaignOutputs } from "./types";

export { configureFromStack as configure } from "../core/credentials";

/**
 * The promise: a campaign in an active workflow is never half-deleted. A change that needs a
 * replacement (which deletes the campaign) of a campaign that declares `workflow` fails `check`,
 * so `pulumi preview` and `pulumi up` stop before the engine deletes or creates anything, without
 * calling Woodpecker. The old inputs stand for the campaign as last applied or refreshed.
 * Replacements the engine decides without Diff or Check of olds (`--replace`, taint) are covered
 * by deleteBeforeReplace: Woodpecker's 409 refuses the delete before anything is created.
 */
function refuseWorkflowReplacement(olds: Props, inputs: WoodpeckerCampaignInputs): CheckFailure | undefined {
  const workflow = inputs.workflow;
  if (workflow === undefined || Object.keys(olds).length === 0) return undefined;
  const current = completeInputs(woodpeckerCampaignSchema, olds) as Partial<WoodpeckerCampaignInputs>;
  if (!Array.isArray(current.steps) || !current.settings) return undefined; // no configuration to compare
  const { reasons } = replaceReasons(current, current.existingCampaignId, inputs);
  if (current.existingCampaignId === undefined) {
    // Created by Pulumi: whether a newly declared existingCampaignId names this very campaign is
    // known only from the outputs; diff decides, and the delete's 409 still protects it.
    const i = reasons.indexOf("existingCampaignId");
    if (i >= 0) reasons.splice(i, 1);
  }
  if (!reasons.length) return undefined;
  const name = typeof inputs.name === "string" && inputs.name !== UNKNOWN ? inputs.name : current.name;
  const error = new WorkflowReplacementError(undefined, name, String(workflow), reasons);
  return { property: "workflow", reason: error.message };
}

/**
 * Validate with the schema and the workflow rule; a `prospectsFile` is read, validated and counted
 * (prospects-file.ts). The engine stores the result without the defaults of each step and
 * version (delivery windows, delay, type, signature, open tracking: most of the bytes, repeated on
 * every step); the methods below fill them back with `completeInputs`.
 */
export const check = storedWithoutItemDefaults(
  woodpeckerCampaignSchema,
  checkWithSchema(
    woodpeckerCampaignSchema,
    refuseWorkflowReplacement,
    thenCheck(checkProspectsFile, checkWoodpeckerDoNotContact),
  ),
);

/** What changes and whether it replaces the campaign: plan.ts `planDiff`. */
export async function diff(_id: string, olds: Props, stored: Props): Promise<DiffResult> {
  return guarded(async () => {
    const news = completeInputs(woodpeckerCampaignSchema, stored) as unknown as Props;
    const o = olds as unknown as Partial<WoodpeckerCampaignOutputs>;
    const n = news as unknown as Partial<WoodpeckerCampaignInputs>;
    const d = planDiff(o, n);
    if (d.changes) return d;
    // A prospects change is an in-place update, never a replacement (prospects.ts).
    if (doNotContactChanged(news, olds)) return { ...d, changes: true };
    const excluded: unknown = n.excludedByDoNotContact;
    if (n.doNotContact !== undefined && excluded !== undefined && excluded !== 0) {
      // A do-not-contact list leaves someone out: compare what a sync would enrol now.
      const digest = excluded === UNKNOWN ? undefined : prospectsToEnrolDigest(n);
      const changed =
        digest === undefined || digest !== o.prospectsDigest || n.prospectsFile !== o.prospectsFile;
      return changed ? { ...d, changes: true } : d;
    }
    const file = news.prospectsFile;
    const fileDigest = typeof file === "string" && file !== UNKNOWN ? prospectsFileDigest(file) : undefined;
    return prospectsChanged(n, o, fileDigest) ? { ...d, changes: true } : d;
  });
}

/**
 * The prospects to enrol: inline, or read from `prospectsFile` (refused with its problems when
 * invalid), without those on the do-not-contact list (do-not-contact.ts).
 */
function declaredProspects(inputs: WoodpeckerCampaignInputs): DeclaredProspects {
  const enrol = prospectsToEnrol(inputs, declaredBeforeList(inputs));
  if ("problem" in enrol) {
    throw new CampaignsError(
      `Cannot apply Woodpecker campaign "${inputs.name}": its doNotContact list: ${enrol.problem}. Nothing ` +
        "was sent to Woodpecker. Fix the list or the prospects and run the update again.",
    );
  }
  return enrol;
}

/** The declared prospects: inline, or read from `prospectsFile` (refused with its problems when invalid). */
function declaredBeforeList(inputs: WoodpeckerCampaignInputs): DeclaredProspects {
  if (inputs.prospectsFile === undefined) return inlineProspects(inputs);
  const read = readProspectsFile(inputs.prospectsFile);
  if (!read.ok) {
    throw new CampaignsError(
      `Cannot apply Woodpecker campaign "${inputs.name}": its prospectsFile ${read.problems.join("; ")}. ` +
        "Fix the file and run the update again.",
    );
  }
  return {
    prospects: read.prospects,
    digest: read.digest,
    file: { path: inputs.prospectsFile, rows: read.rows },
  };
}

async function applyEdit(client: WoodpeckerClient, id: number, op: EditOp, label: string): Promise<void> {
  const live = () => mustFindCampaign(client, id, label);
  switch (op.kind) {
    case "patchCampaign":
      await client.patchCampaign(id, op.body);
      return;
    case "patchDeliveryTime": {
      const step = flattenChain((await live()).steps)[op.stepIndex];
      await client.patchStepDeliveryTime(id, step.id!, op.deliveryTime);
      return;
    }
    case "patchVersion": {
      const step = flattenChain((await live()).steps)[op.stepIndex];
      const version = step.body?.versions?.[op.versionIndex];
      await client.patchVersion(id, step.id!, version!.id!, op.body);
      return;
    }
    case "deleteStep": {
      const step = flattenChain((await live()).steps)[op.stepIndex];
      try {
        await client.deleteStep(id, step.id!);
      } catch (e) {
        if (isApiError(e) && (e.status === 400 || e.status === 409)) {
          throw new CampaignsError(
            `Woodpecker refused to delete steps[${op.stepIndex}] of ${label}: ${e.vendorMessage}. A step that already ` +
              `emailed prospects cannot be removed; keep it, or replace the campaign.`,
            { cause: e },
          );
        }
        throw e;
      }
      return;
    }
    case "appendStep": {
      const chain = flattenChain((await live()).steps);
      const parent = chain[chain.length - 1];
      try {
        await client.addStep(id, parent.id!, toApiStep(op.step));
      } catch (e) {
        if (e instanceof OutcomeUnknownError) {
          // Look before trying again: the step may have been added.
          const after = flattenChain((await live()).steps);
          if (after.length > chain.length) return;
        }
        throw e;
      }
      return;
    }
  }
}

/**
 * Converge a live campaign to `inputs`: edits that need DRAFT/EDITED are wrapped in
 * make_editable → edit → run; the bounce-shield threshold is set in any status; then the declared
 * run state. A failure once the campaign exists is a partial failure (the engine keeps it).
 */
async function applyChanges(
  client: WoodpeckerClient,
  initial: ApiCampaign,
  inputs: WoodpeckerCampaignInputs,
  currentThreshold: number | undefined,
  props: Props,
  declared: DeclaredProspects,
  previous: Partial<WoodpeckerCampaignOutputs> = {},
): Promise<WoodpeckerCampaignOutputs> {
  const id = initial.id;
  const label = labelFor(id, inputs.name);
  let threshold = currentThreshold;
  let prospects = carriedProspects(inputs, declared, previous);
  return orPartialFailure(
    label,
    id,
    props,
    async () => {
      const plan = planUpdate(liveConfiguration(initial, currentThreshold), configurationOf(inputs));
      if (plan.replaceReasons.length) {
        throw new CampaignsError(
          `${label} differs from the program in ways Woodpecker cannot change in place ` +
            `(${plan.replaceReasons.join(", ")}), probably from an edit outside Pulumi. Run \`pulumi refresh\`, ` +
            `then \`pulumi up\` to replace it.`,
        );
      }
      const prepared = plan.edits.length ? await prepareForEdit(client, initial, label) : undefined;
      for (const op of plan.edits) {
        logInfo(`${label}: ${describeEdit(op)}`);
        await applyEdit(client, id, op, label);
      }
      if (plan.bounceShield) {
        await client.setBounceShieldThreshold(id, plan.bounceShield.threshold);
        threshold = plan.bounceShield.threshold;
      } else if (plan.bounceShieldReleased !== undefined) {
        logInfo(
          `${label}: bounceShieldThreshold is no longer declared, so Pulumi stops managing it; ` +
            `Woodpecker keeps its threshold (${plan.bounceShieldReleased}%) until it is changed in the app`,
        );
        threshold = undefined;
      }
      const synced = await syncProspects(client, id, inputs, declared, previous, label);
      prospects = synced.state;
      // Nothing changed yet: the campaign as read (or as just created) is still current.
      const untouched = plan.edits.length === 0 && !plan.bounceShield && !synced.wrote;
      const live = prepared
        ? await restoreAfterEdit(client, id, prepared.restore, inputs.state, label)
        : await converge(client, id, inputs.state, label, untouched ? initial : undefined);
      const managed = declared.prospects !== undefined || declared.file !== undefined;
      // Inline, with some left out by the list: name each refused prospect at its declared position.
      const at = declared.positions;
      const refusals = managed
        ? settleRefusals(
            label,
            at ? synced.rejections.map((r) => ({ ...r, index: at[r.index] })) : synced.rejections,
            inputs.prospectCount ?? declared.prospects?.length ?? 0,
            declared.file?.rows,
            inputs.onProspectRefused,
          )
        : {};
      return {
        ...withDoNotContact(withProspects(toOutputs(live, inputs, threshold), prospects), inputs),
        ...refusals,
      };
    },
    async () => {
      const latest = (await findCampaign(client, id).catch(() => undefined)) ?? initial;
      return plain(withDoNotContact(withProspects(toOutputs(latest, inputs, threshold), prospects), inputs));
    },
  );
}

export async function create(props: Props): Promise<CreateResult> {
  return guarded(async () => {
    const inputs = completeInputs(woodpeckerCampaignSchema, withoutProvider(props));
    const client = woodpeckerClient();
    // Read before any API call: an invalid file creates nothing.
    const declared = declaredProspects(inputs);
    const functions = { toCreateBody, mustFindForAdoption, findLostCreates };
    const { live, adopted } = await adoptOrCreate("woodpecker", client, inputs, functions);
    // An adopted campaign's threshold is read only when declared: an undeclared one is not managed
    // (plan.ts). A created one has none yet.
    const threshold =
      adopted && inputs.bounceShieldThreshold !== undefined
        ? await client.getBounceShieldThreshold(live.id)
        : undefined;
    const outs = await applyChanges(client, live, inputs, threshold, props, declared);
    return { id: String(live.id), outs: plain(outs) };
  });
}

export async function update(id: string, olds: Props, news: Props): Promise<UpdateResult> {
  return guarded(async () => {
    const inputs = completeInputs(woodpeckerCampaignSchema, withoutProvider(news));
    const previous = olds as unknown as Partial<WoodpeckerCampaignOutputs>;
    const client = woodpeckerClient();
    const declared = declaredProspects(inputs);
    const live = await mustFindCampaign(client, Number(id), labelFor(Number(id), inputs.name));
    const outs = await applyChanges(
      client,
      live,
      inputs,
      previous.bounceShieldThreshold,
      news,
      declared,
      previous,
    );
    return { outs: plain(outs) };
  });
}

export async function read(id: string, props: Props): Promise<ReadResult> {
  return guarded(async () => {
    const previous = props as unknown as WoodpeckerCampaignOutputs;
    const client = woodpeckerClient();
    const live = await findCampaign(client, Number(id));
    if (!live) return removedFromState(labelFor(Number(id), previous.name));
    // One GET per refresh unless the threshold is managed (declared, so in the outputs): an
    // undeclared one is not Pulumi's to show as drift (plan.ts), and Woodpecker's campaign answer
    // does not carry it.
    const threshold =
      previous.bounceShieldThreshold !== undefined
        ? await client.getBounceShieldThreshold(live.id)
        : undefined;
    // With prospectsFile, drift is measured against the file as it is now (if it can be read),
    // without the people on the do-not-contact list (never enrolled, so never missing).
    const file = previous.prospectsFile !== undefined ? readProspectsFile(previous.prospectsFile) : undefined;
    const prospects = await readProspects(
      client,
      live.id,
      previous,
      labelFor(live.id, live.name),
      file?.ok ? enrolledFromFile(previous, file.prospects) : undefined,
    );
    const outs = toOutputs(
      live,
      {
        state: observedState(previous.state, live.status),
        workflow: previous.workflow,
        existingCampaignId: previous.existingCampaignId,
      },
      threshold,
    );
    const declaredCount = file?.ok ? file.prospects.length : previous.prospectCount;
    return {
      id,
      props: plain({
        ...withDoNotContact(withProspects(outs, prospects), previous, declaredCount),
        ...carriedRefusals(previous),
      }),
      // Stored as check stores them: without the defaults of each step and version.
      inputs: plain(
        withoutItemDefaults(
          woodpeckerCampaignSchema(),
          withDoNotContact(
            withProspects(inputsFromOutputs(outs), prospectInputs(prospects)),
            previous,
            declaredCount,
          ),
        ),
      ),
    };
  });
}

async function deleteCampaign(id: string, props: Props): Promise<void> {
  return guarded(async () => {
    const previous = props as unknown as Partial<WoodpeckerCampaignOutputs>;
    const label = labelFor(Number(id), previous.name);
    try {
      const outcome = await woodpeckerClient().deleteCampaign(Number(id));
      logInfo(outcome === "gone" ? `${label} was already gone` : `${label} deleted`);
    } catch (e) {
      if (isApiError(e, 409) && e.vendorCode === "CAMPAIGN_RELATED_TO_ACTIVE_WORKFLOW") {
        throw new WorkflowConflictError(Number(id), previous.name, previous.workflow);
      }
      throw e;
    }
  });
}

export { deleteCampaign as delete };
