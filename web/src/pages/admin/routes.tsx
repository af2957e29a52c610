import { lazy } from "react";
import { Navigate } from "react-router";
import type { AppRoute } from "../../routes";
import { AdminOnly } from "./AdminOnly";

const UnitsPage = lazy(() => import("./UnitsPage"));
const UsersPage = lazy(() => import("./UsersPage"));
const AttributesPage = lazy(() => import("./AttributesPage"));
const ConfigPage = lazy(() => import("./ConfigPage"));
const ApiKeysPage = lazy(() => import("./ApiKeysPage"));
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
  { path: "/admin/*", element: <NotFoundPage /> },
];
