import { lazy } from "react";
import { Navigate } from "../../lib/router";
import { withMessages } from "../../i18n/messages";
import type { AppRoute } from "../../routes";
import { AdminOnly } from "./AdminOnly";

const UnitsPage = lazy(withMessages(["admin"], () => import("./UnitsPage")));
const UsersPage = lazy(withMessages(["admin"], () => import("./UsersPage")));
const AttributesPage = lazy(withMessages(["admin"], () => import("./AttributesPage")));
const ConfigPage = lazy(withMessages(["admin"], () => import("./ConfigPage")));
const ApiKeysPage = lazy(withMessages(["admin"], () => import("./ApiKeysPage")));
const CompensationSettingsPage = lazy(withMessages(["admin", "compensation"], () => import("./compensation/CompensationSettingsPage")));
const NotFoundPage = lazy(() => import("../NotFoundPage"));

const admin = (page: React.ReactElement) => <AdminOnly>{page}</AdminOnly>;

export const adminRoutes: AppRoute[] = [
  { path: "/admin", element: admin(<Navigate to="/admin/units" replace />) },
  { path: "/admin/units", element: admin(<UnitsPage />) },
  { path: "/admin/users", element: admin(<UsersPage />) },
  { path: "/admin/attributes", element: admin(<AttributesPage />) },
  { path: "/admin/statuses", element: admin(<ConfigPage kind="statuses" />) },
  { path: "/admin/labels", element: admin(<ConfigPage kind="labels" />) },
  { path: "/admin/groups", element: admin(<ConfigPage kind="groups" />) },
  { path: "/admin/api-keys", element: admin(<ApiKeysPage />) },
  { path: "/admin/compensation", element: admin(<CompensationSettingsPage />) },
  { path: "/admin/*", element: <NotFoundPage /> },
];
