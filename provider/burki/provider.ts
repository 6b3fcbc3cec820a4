/**
 * The dynamic provider of `burki.Campaign`: this module's exports object IS the provider that
 * Pulumi serializes into every resource's state (`__provider`).
 *
 * Installed under node_modules, the serializer writes just
 * `require("pulumi-campaigns/dynamic/burki-campaign")` (a few hundred bytes). Each method loads the
 * implementation from the installed package at call time, so `delete` and `read` always run the
 * installed code, never a copy frozen into state, and no key or config value is ever captured.
 * When the package is linked rather than installed, these few functions are captured by value and
 * still resolve the implementation by package name from the program directory.
 *
 * Keep this file tiny and its text stable across releases: no imports, no module state.
 */
/* eslint-disable @typescript-eslint/no-explicit-any */

const IMPLEMENTATION = "pulumi-campaigns/internal/burki-campaign";

function implementation(): any {
  return require(IMPLEMENTATION);
}

export function configure(req: any): Promise<void> {
  return implementation().configure(req);
}
export function check(olds: any, news: any): Promise<any> {
  return implementation().check(olds, news);
}
export function diff(id: string, olds: any, news: any): Promise<any> {
  return implementation().diff(id, olds, news);
}
export function create(inputs: any): Promise<any> {
  return implementation().create(inputs);
}
export function read(id: string, props: any): Promise<any> {
  return implementation().read(id, props);
}
export function update(id: string, olds: any, news: any): Promise<any> {
  return implementation().update(id, olds, news);
}
function remove(id: string, props: any): Promise<void> {
  return implementation().delete(id, props);
}
export { remove as delete };
