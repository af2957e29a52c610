// Every screen's URL. Each feature lists its own routes (pages/<feature>/routes.tsx), loaded lazily
// so that the first page downloads only the shell and the screen it opens.
import type { ReactElement } from "react";
import { customerRoutes } from "./pages/customers/routes";
import { workRoutes } from "./pages/work/routes";
import { adminRoutes } from "./pages/admin/routes";

export interface AppRoute {
  path: string;
  element: ReactElement;
}

export const routes: AppRoute[] = [...customerRoutes, ...workRoutes, ...adminRoutes];
