// Empties dist/ before a build: tsc never deletes the output of a source file that was moved or
// removed, and `npm pack` ships everything under dist/ — a stale dist/burki/provider.js or
// dist/emulators/burki.d.ts (which shadows dist/emulators/burki/index.d.ts) would reach users.
import { rmSync } from "node:fs";
import { resolve } from "node:path";

rmSync(resolve(import.meta.dirname, "..", "dist"), { recursive: true, force: true });
