/** The Woodpecker emulator (see emulator.ts): `import { WoodpeckerEmulator } from ".../emulators/woodpecker"`. */
export { WoodpeckerEmulator } from "./emulator";
export {
  WOODPECKER_CAMPAIGN_STATUSES,
  WOODPECKER_EMULATOR_API_KEY,
  WOODPECKER_EMULATOR_DEFAULT_ACCOUNT,
  type WoodpeckerAccountStats,
  type WoodpeckerCampaignStatus,
  type WoodpeckerEmulatorOptions,
  type WoodpeckerEmulatorStats,
  type WoodpeckerOutsideEdit,
} from "./types";
