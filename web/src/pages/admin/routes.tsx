import { lazy } from "react";
import type { AppRoute } from "../../routes";

const ComingSoonPage = lazy(() => import("../ComingSoonPage"));

export const adminRoutes: AppRoute[] = [{ path: "/admin/*", element: <ComingSoonPage /> }];
