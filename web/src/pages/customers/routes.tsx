import { lazy } from "react";
import type { AppRoute } from "../../routes";

const CustomerListPage = lazy(() => import("./CustomerListPage"));
const CustomerDetailPage = lazy(() => import("./CustomerDetailPage"));

export const customerRoutes: AppRoute[] = [
  { path: "/customers", element: <CustomerListPage /> },
  { path: "/customers/:customerId/*", element: <CustomerDetailPage /> },
];
