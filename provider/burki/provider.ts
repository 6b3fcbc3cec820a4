/**
 * The dynamic provider of `burki.Campaign`. This module's exports object IS the provider Pulumi
 * serializes into state: a shim that loads ./lifecycle from the installed package at call time
 * (see core/shim.ts). Its package subpath, `pulumi-campaigns/dynamic/burki-campaign`, is written
 * into users' state: never rename it.
 */
import { providerShim } from "../core/shim";

export = providerShim("pulumi-campaigns/internal/burki-campaign");
