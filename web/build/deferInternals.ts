// Parts of antd the customer list imports but never shows: antd's Table imports Tree (for tree-mode
// column filters) and Radio (for radio row selection, which pulls in the form engine); the list uses
// its own filter bar and checkboxes. Those imports were ~20 KB gzipped of the list's first load
// (313 KB with them, 294 KB without, 2026-11-29). This plugin gives those importers a lazy stand-in:
// the same component, loaded the first time it renders, so a table that does use them still works.
import type { Plugin } from "vite";

interface Deferral {
  /** the antd module that imports the component */
  importer: RegExp;
  /** the import's specifier, as written in that module */
  source: string;
}

export const DEFERRALS: Deferral[] = [
  { importer: /antd\/es\/table\/hooks\/useFilter\/FilterDropdown\.js$/, source: "../../../tree" },
  { importer: /antd\/es\/table\/hooks\/useFilter\/FilterDropdown\.js$/, source: "../../../radio" },
  { importer: /antd\/es\/table\/hooks\/useSelection\.js$/, source: "../../radio" },
];

const PREFIX = "\0deferred:";

export function deferInternals(deferrals: Deferral[] = DEFERRALS): Plugin {
  return {
    name: "crm:defer-internals",
    apply: "build",
    enforce: "pre",
    async resolveId(source, importer) {
      if (!importer || !deferrals.some((item) => item.source === source && item.importer.test(importer))) return null;
      const resolved = await this.resolve(source, importer, { skipSelf: true });
      return resolved ? PREFIX + resolved.id : null;
    },
    load(id) {
      if (!id.startsWith(PREFIX)) return null;
      const target = JSON.stringify(id.slice(PREFIX.length));
      return [
        'import { createElement, lazy, Suspense } from "react";',
        `const Component = lazy(() => import(${target}));`,
        "export default function Deferred(props) {",
        "  return createElement(Suspense, { fallback: null }, createElement(Component, props));",
        "}",
      ].join("\n");
    },
  };
}
