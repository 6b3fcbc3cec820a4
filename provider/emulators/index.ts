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
  type EmulatorOptions,
  type FaultProfile,
  type RequestLogEntry,
} from "./common";
export { BurkiEmulator, BURKI_EMULATOR_API_KEY, type BurkiEmulatorOptions } from "./burki";
export {
  WoodpeckerEmulator,
  WOODPECKER_EMULATOR_API_KEY,
  type WoodpeckerEmulatorOptions,
} from "./woodpecker";
