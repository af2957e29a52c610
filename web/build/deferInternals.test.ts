import { describe, expect, it } from "vitest";
import { deferInternals } from "./deferInternals";

type Hook = (this: unknown, ...args: unknown[]) => unknown;
const plugin = deferInternals([{ importer: /antd\/es\/table\/hooks\/useSelection\.js$/, source: "../../radio" }]);
const resolveId = plugin.resolveId as Hook;
const load = plugin.load as Hook;
const context = { resolve: async (source: string) => ({ id: `/node_modules/antd/es/${source.replace(/^(\.\.\/)+/, "")}/index.js` }) };

describe("deferred internals", () => {
  it("gives the named importer a lazy stand-in of the real module", async () => {
    const id = await resolveId.call(context, "../../radio", "/x/node_modules/antd/es/table/hooks/useSelection.js");
    expect(id).toBe("\0deferred:/node_modules/antd/es/radio/index.js");
    const code = load.call(context, id) as string;
    expect(code).toContain('lazy(() => import("/node_modules/antd/es/radio/index.js"))');
    expect(code).toContain("Suspense");
  });

  it("leaves every other import as it is", async () => {
    expect(await resolveId.call(context, "../../radio", "/x/node_modules/antd/es/form/Form.js")).toBeNull();
    expect(await resolveId.call(context, "../../checkbox", "/x/node_modules/antd/es/table/hooks/useSelection.js"))
      .toBeNull();
    expect(load.call(context, "/node_modules/antd/es/radio/index.js")).toBeNull();
  });
});
