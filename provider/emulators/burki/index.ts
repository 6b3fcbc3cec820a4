/** The Burki emulator (see emulator.ts): `import { BurkiEmulator } from ".../emulators/burki"`. */
export { BurkiEmulator } from "./emulator";
export {
  BURKI_EMULATOR_API_KEY,
  type BurkiCampaignStatus,
  type BurkiContactStatus,
  type BurkiEmulatorOptions,
} from "./types";
export { normalizePhone, parseCsv } from "./csv";
export { renderTemplate } from "./template";
