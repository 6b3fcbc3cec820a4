/**
 * The dynamic provider of `woodpecker.Campaign`. This module's exports object IS the provider Pulumi
 * serializes into state: a shim that loads ./lifecycle from the installed package at call time
 * (see core/shim.ts). It is typed by ./lifecycle, so go-to-definition on any method leads there.
 * Its package subpath, `pulumi-campaigns/dynamic/woodpecker-campaign`, is written into users' state:
 * never rename it (this file may move; package.json "exports" then points the subpath at it).
 */
import { providerShim } from "../core/shim";

export = providerShim<typeof import("./lifecycle")>("pulumi-campaigns/internal/woodpecker-campaign");
