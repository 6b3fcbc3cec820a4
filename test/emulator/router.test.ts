/**
 * Unit tests of the one router both emulators declare their route tables on
 * (provider/emulators/common/router.ts): matching, params, and why nothing matched.
 */
import { expect } from "chai";
import { Router, type RouteMatch } from "../../provider/emulators/common";

const table = [
  { pattern: "/c/", methods: { GET: "list", POST: "create" } },
  { pattern: "/c/preview", methods: { POST: "preview" } },
  { pattern: "/c/:id", methods: { GET: "get", DELETE: "delete" } },
  { pattern: "/c/:id/steps/:step", methods: { PATCH: "patchStep" } },
];

const kind = (m: RouteMatch<string>) => (m.kind === "ok" ? `ok:${m.handler}` : m.kind);

describe("emulator router", () => {
  it("answers the handler of the first route that has the path and the method, with decoded params", () => {
    const r = new Router(table);
    expect(r.match("PATCH", "/c/12/steps/a%20b")).to.deep.equal({
      kind: "ok",
      handler: "patchStep",
      params: { id: "12", step: "a b" },
    });
    expect(kind(r.match("POST", "/c/preview"))).to.equal("ok:preview");
    // a literal route shadows the param route only for its own methods
    expect(r.match("GET", "/c/preview")).to.deep.equal({
      kind: "ok",
      handler: "get",
      params: { id: "preview" },
    });
  });

  it("answers 'method' with the allow list of the first route that has the path, and 'none' for no path", () => {
    const r = new Router(table);
    expect(r.match("PUT", "/c/preview")).to.deep.equal({ kind: "method", allow: ["POST"] });
    expect(r.match("PUT", "/c/7")).to.deep.equal({ kind: "method", allow: ["GET", "DELETE"] });
    expect(r.match("GET", "/c")).to.deep.equal({ kind: "none" });
    expect(r.match("GET", "/c/7/steps")).to.deep.equal({ kind: "none" });
  });

  it("lets an empty param match by default, and not with nonEmptyParams (Starlette)", () => {
    expect(kind(new Router(table).match("GET", "/c//steps/x"))).to.equal("method");
    expect(kind(new Router(table, { nonEmptyParams: true }).match("GET", "/c//steps/x"))).to.equal("none");
    expect(new Router(table).match("PATCH", "/c//steps/x")).to.deep.include({ kind: "ok" });
    expect(kind(new Router(table, { nonEmptyParams: true }).match("PATCH", "/c//steps/x"))).to.equal("none");
  });

  it("answers a malformed %-escape as 'malformed' by default, and as no match with badEscape: no-match", () => {
    const m = new Router(table).match("GET", "/c/%ZZ");
    expect(m.kind).to.equal("malformed");
    expect(m.kind === "malformed" && m.error).to.be.instanceOf(URIError);
    expect(kind(new Router(table, { badEscape: "no-match" }).match("GET", "/c/%ZZ"))).to.equal("none");
  });

  it("with methodFirst, never looks at routes without the method (no 405, no malformed from them)", () => {
    const r = new Router(table, { methodFirst: true });
    expect(kind(r.match("PUT", "/c/7"))).to.equal("none");
    expect(kind(r.match("POST", "/c/%ZZ"))).to.equal("none");
    expect(kind(r.match("GET", "/c/%ZZ"))).to.equal("malformed");
    expect(kind(r.match("DELETE", "/c/7"))).to.equal("ok:delete");
  });
});
