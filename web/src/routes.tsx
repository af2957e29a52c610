// Every screen's URL. Each feature lists its own routes (pages/<feature>/routes.tsx), loaded lazily
// so that the first page downloads only the shell and the screen it opens.
import type { ReactElement } from "react";
import { matchPath } from "./lib/router";
import { customerRoutes } from "./pages/customers/routes";
import { workRoutes } from "./pages/work/routes";
import { adminRoutes } from "./pages/admin/routes";

export interface AppRoute {
  path: string;
  element: ReactElement;
  /** the page's module (and first data), fetched ahead when the console opens on this path: the most
   * used screens */
  preload?: (search: string) => Promise<unknown>;
}

export const routes: AppRoute[] = [...customerRoutes, ...workRoutes, ...adminRoutes];

export function preloadRoute(pathname: string, search: string): void {
  void routes.find((route) => route.preload && matchPath(route.path, pathname))?.preload?.(search);
}
