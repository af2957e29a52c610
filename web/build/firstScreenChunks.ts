// The code of the console's two first screens in a few large chunks instead of the ~60 small ones
// rolldown makes by default: gzip compresses antd's many small modules far better together (the
// customer list's first load was 370 KB gzipped in 59 files, the same bytes 350 KB in one), and
// each file is a request. Modules go by which first screen needs them:
//   boot     what src/main.tsx needs before it knows whether the user is signed in
//   prefetch the customer list's data prefetch (App.tsx starts it beside the console's code)
//   common   needed by the sign-in form and by the signed-in console
//   signin   only the sign-in form
//   console  only the signed-in console: its frame and the customer list, the most used screen
// Everything else (other screens, dialogs) is split by rolldown as before, loaded when used.
import { resolve } from "node:path";
import type { ChunkingContext, CodeSplittingGroup } from "rolldown";

const src = (path: string) => resolve(__dirname, "../src", path);
const BOOT = [src("main.tsx")];
const SIGN_IN = [src("pages/LoginPage.tsx")];
const CONSOLE = [src("SignedIn.tsx"), src("pages/customers/CustomerListPage.tsx")];
/** the list's data prefetch, started by App.tsx before the console chunk arrives: a chunk needing boot only */
const PREFETCH = [src("pages/customers/list/prefetch.ts")];

function staticClosure(roots: string[], ctx: ChunkingContext): Set<string> {
  const seen = new Set<string>();
  const todo = [...roots];
  while (todo.length) {
    const id = todo.pop()!;
    const info = seen.has(id) ? null : ctx.getModuleInfo(id);
    if (!info) continue;
    seen.add(id);
    todo.push(...info.importedIds);
  }
  return seen;
}

type Screen = "boot" | "prefetch" | "common" | "signin" | "console";
type Sets = Record<"boot" | "prefetch" | "signIn" | "console", Set<string>>;

/** The chunk a module belongs to, or null to leave it to rolldown. */
function screenOf(sets: Sets, id: string): Screen | null {
  if (BOOT.includes(id)) return null;
  if (sets.boot.has(id)) return "boot";
  if (sets.prefetch.has(id)) return "prefetch";
  const signIn = sets.signIn.has(id);
  const console = sets.console.has(id);
  if (signIn && console) return "common";
  if (signIn) return "signin";
  if (console) return "console";
  return null;
}

/** rolldown's codeSplitting groups, in this order, each taking its own dependencies. */
export function firstScreenGroups(): CodeSplittingGroup[] {
  let sets: Sets | null = null;
  const group = (screen: Screen, priority: number): CodeSplittingGroup => ({
    name: (id, ctx) => {
      sets ??= { boot: staticClosure(BOOT, ctx), prefetch: staticClosure(PREFETCH, ctx),
                 signIn: staticClosure(SIGN_IN, ctx), console: staticClosure(CONSOLE, ctx) };
      return screenOf(sets, id) === screen ? screen : null;
    },
    priority,
  });
  return [group("boot", 5), group("prefetch", 4), group("common", 3), group("signin", 2), group("console", 1)];
}
