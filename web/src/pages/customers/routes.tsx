import { lazy } from "react";
import { withMessages } from "../../i18n/messages";
import type { AppRoute } from "../../routes";

const loadList = () => import("./CustomerListPage");
const CustomerListPage = lazy(loadList);
// the list is the most used screen: its code, the user's view and its first page all at once
const preloadList = (search: string) =>
  Promise.all([loadList(), import("./list/prefetch").then(({ prefetchList }) => prefetchList(search))]);
const CustomerDetailPage = lazy(withMessages(["customer", "interactions"], () => import("./CustomerDetailPage")));
const CustomerFormPage = lazy(withMessages(["customer"], () => import("./form/CustomerFormPage")));

export const customerRoutes: AppRoute[] = [
  { path: "/customers", element: <CustomerListPage />, preload: preloadList },
  { path: "/customers/new", element: <CustomerFormPage /> },
  { path: "/customers/:customerId/edit", element: <CustomerFormPage /> },
  { path: "/customers/:customerId/*", element: <CustomerDetailPage /> },
];
