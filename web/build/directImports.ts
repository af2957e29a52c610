// `import { Table, Button } from "antd"` rewritten to import each name from the module that defines
// it (`antd/es/table/index.js`), as babel-plugin-import and Next.js's optimizePackageImports do. The
// bundle is the same; what changes is the module graph rolldown sees: without this, every screen
// reaches all 80 antd components and 800 icons through the packages' index files, and antd's
// FormContext (a 1 KB context every input reads) reaches the whole form engine. firstScreenChunks.ts
// groups modules by that graph, so the graph must say what each screen really needs.
import { readFileSync, statSync } from "node:fs";
import { dirname, resolve } from "node:path";
import type { Plugin } from "vite";

const MODULES = resolve(__dirname, "../node_modules");

/** The packages rewritten, and their index module. */
const PACKAGES: Record<string, string> = {
  antd: "antd/es/index.js",
  "@ant-design/icons": "@ant-design/icons/es/index.js",
  "@rc-component/form": "@rc-component/form/es/index.js",
  "@rc-component/tree": "@rc-component/tree/es/index.js",
};

interface Origin {
  file: string;
  /** the name the defining module exports it as ("default" for a default export) */
  imported: string;
}

const IMPORT = /import\s+(?:(\w+)\s*,?\s*)?(?:\{([^}]*)\})?\s*from\s*["'](\.[^"']+)["']/g;
const EXPORT_FROM = /export\s*\{([^}]*)\}\s*from\s*["'](\.[^"']+)["']/g;
const EXPORT_LOCAL = /export\s*\{([^}]*)\}\s*;/g;
const EXPORT_STAR = /export\s*\*\s*from\s*["'](\.[^"']+)["']/g;

function pairs(list: string): [string, string][] {
  return list.split(",").map((part) => part.trim()).filter((part) => part && !part.startsWith("type "))
    .map((part) => {
      const [name, alias] = part.split(/\s+as\s+/);
      return [name, alias ?? name];
    });
}

function fileOf(from: string, specifier: string): string | undefined {
  const base = resolve(dirname(from), specifier);
  return [base, `${base}.js`, `${base}/index.js`].find((path) => statSync(path, { throwIfNoEntry: false })?.isFile());
}

/** exported name → where it is defined, read from an index module's re-exports */
function origins(index: string): Map<string, Origin> {
  const code = readFileSync(index, "utf8");
  const found = new Map<string, Origin>();
  const imported = new Map<string, Origin>();
  for (const [, defaultName, list, specifier] of code.matchAll(IMPORT)) {
    const file = fileOf(index, specifier);
    if (!file) continue;
    if (defaultName) imported.set(defaultName, { file, imported: "default" });
    for (const [name, local] of pairs(list ?? "")) imported.set(local, { file, imported: name });
  }
  for (const [, list, specifier] of code.matchAll(EXPORT_FROM)) {
    const file = fileOf(index, specifier);
    if (file) for (const [name, exported] of pairs(list)) found.set(exported, { file, imported: name });
  }
  for (const [, list] of code.matchAll(EXPORT_LOCAL)) {
    for (const [local, exported] of pairs(list)) {
      const origin = imported.get(local);
      if (origin) found.set(exported, origin);
    }
  }
  for (const [, specifier] of code.matchAll(EXPORT_STAR)) {
    const file = fileOf(index, specifier);
    if (file) for (const [name, origin] of origins(file)) if (!found.has(name)) found.set(name, origin);
  }
  return found;
}

const ORIGINS = new Map(Object.entries(PACKAGES).map(([pkg, index]) => [pkg, origins(resolve(MODULES, index))]));
const NAMED_IMPORT = new RegExp(
  `import\\s*\\{([^}]*)\\}\\s*from\\s*["'](${[...ORIGINS.keys()].map((pkg) => pkg.replace("/", "\\/")).join("|")})["'];?`, "g");

/** The rewritten import statements, or the statement itself when a name is not a plain re-export. */
export function rewrite(code: string): string {
  return code.replace(NAMED_IMPORT, (statement, list: string, pkg: string) => {
    const known = ORIGINS.get(pkg)!;
    const names = pairs(list);
    if (!names.every(([name]) => known.has(name))) return statement;
    return names.map(([name, local]) => {
      const { file, imported } = known.get(name)!;
      const binding = imported === "default" ? local : `{ ${imported === local ? local : `${imported} as ${local}`} }`;
      return `import ${binding} from ${JSON.stringify(file)};`;
    }).join("\n");
  });
}

export function directImports(): Plugin {
  return {
    name: "crm:direct-imports",
    apply: "build",
    transform(code, id) {
      if (!/\.[jt]sx?$/.test(id) || !NAMED_IMPORT.test(code)) return null;
      NAMED_IMPORT.lastIndex = 0;
      const rewritten = rewrite(code);
      return rewritten === code ? null : { code: rewritten, map: null };
    },
  };
}
