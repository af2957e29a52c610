import { lazy } from "react";
import type { AppRoute } from "../../routes";

const loadList = () => import("./CustomerListPage");
const CustomerListPage = lazy(loadList);
const CustomerDetailPage = lazy(() => import("./CustomerDetailPage"));
const CustomerFormPage = lazy(() => import("./form/CustomerFormPage"));

export const customerRoutes: AppRoute[] = [
  { path: "/customers", element: <CustomerListPage />, preload: loadList },
  { path: "/customers/new", element: <CustomerFormPage /> },
  { path: "/customers/:customerId/edit", element: <CustomerFormPage /> },
  { path: "/customers/:customerId/*", element: <CustomerDetailPage /> },
];
