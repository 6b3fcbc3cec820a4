/**
 * The dynamic provider of `woodpecker.Campaign`. This module's exports object IS the provider
 * Pulumi serializes into state: a shim that loads ./lifecycle from the installed package at call
 * time (see core/shim.ts). Its package subpath, `pulumi-campaigns/dynamic/woodpecker-campaign`, is
 * written into users' state: never rename it.
 */
import { providerShim } from "../core/shim";

export = providerShim("pulumi-campaigns/internal/woodpecker-campaign");
