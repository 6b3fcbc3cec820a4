/**
 * Local emulators of the Burki and Woodpecker APIs (loopback only), for tests, the demo and trying
 * the provider without real accounts:
 *
 *   import { BurkiEmulator, WoodpeckerEmulator } from "pulumi-campaigns/emulators";
 *   const burki = new BurkiEmulator();  const url = await burki.start();
 */
export {
  EmulatorBase,
  HttpReply,
  type AccountQueueOptions,
  type EmulatorOptions,
  type FaultProfile,
  type RequestLogEntry,
} from "./common";
export { BurkiEmulator, BURKI_EMULATOR_API_KEY, type BurkiEmulatorOptions } from "./burki";
export {
  WoodpeckerEmulator,
  WOODPECKER_EMULATOR_API_KEY,
  type WoodpeckerAccountStats,
  type WoodpeckerCampaignStatus,
  type WoodpeckerEmulatorOptions,
  type WoodpeckerEmulatorStats,
  type WoodpeckerOutsideEdit,
} from "./woodpecker";
// The types of the Woodpecker emulator's public members (its prospects and their control).
export type { CampaignMembership, ProspectStore, StoredProspect } from "./woodpecker/prospects";
export type { BlacklistStore } from "./woodpecker/blacklist";
export type { ProspectStatusChange } from "./woodpecker/control";
