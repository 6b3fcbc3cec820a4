/**
 * The serialized-shim pattern (DESIGN.md "The serialized shim").
 *
 * Pulumi stores the provider object's closure in every resource's state (`__provider`), and
 * `delete`/`read` later run that stored code. Each resource's provider module therefore exports
 * one of these shims as its whole `module.exports`: installed under node_modules, the serializer
 * then writes only `require("pulumi-campaigns/dynamic/<resource>")` into state, and every call
 * loads the implementation from the installed package at call time — so state never freezes
 * provider code, and no key or config value is ever captured.
 *
 * If the package is linked rather than installed, the shim's few functions are captured by value
 * and still resolve the implementation by package name from the program directory.
 *
 * No imports here and no module state: this text must stay tiny and stable across releases.
 */
/* eslint-disable @typescript-eslint/no-explicit-any */

export interface ProviderShim {
  configure(req: any): Promise<void>;
  check(olds: any, news: any): Promise<any>;
  diff(id: string, olds: any, news: any): Promise<any>;
  create(inputs: any): Promise<any>;
  read(id: string, props: any): Promise<any>;
  update(id: string, olds: any, news: any): Promise<any>;
  delete(id: string, props: any): Promise<void>;
}

/** What the implementation module (lifecycle.ts) must export; `configure` may be synchronous. */
export type ProviderImplementation = Omit<ProviderShim, "configure"> & {
  configure(req: any): void | Promise<void>;
};

/**
 * `implementation`: the package subpath of the module that implements the provider methods.
 * `Impl` is that module's type (`typeof import("./lifecycle")`): the compiler checks it against
 * ProviderShim, and go-to-definition on a shim method lands in the implementation. Type only:
 * nothing of `Impl` reaches the emitted JavaScript.
 */
export function providerShim<Impl extends ProviderImplementation = ProviderShim>(
  implementation: string,
): Pick<Impl, keyof ProviderShim> & ProviderShim {
  const load = (): any => require(implementation);
  return {
    configure: (req) => load().configure(req),
    check: (olds, news) => load().check(olds, news),
    diff: (id, olds, news) => load().diff(id, olds, news),
    create: (inputs) => load().create(inputs),
    read: (id, props) => load().read(id, props),
    update: (id, olds, news) => load().update(id, olds, news),
    delete: (id, props) => load().delete(id, props),
  };
}
