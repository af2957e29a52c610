import { lazy } from "react";
import { withMessages } from "../../i18n/messages";
import type { AppRoute } from "../../routes";

// the list comes with the shell (build/firstScreenChunks.ts) and its data is prefetched by App.tsx
const CustomerListPage = lazy(() => import("./CustomerListPage"));
const CustomerDetailPage = lazy(withMessages(["customer", "interactions"], () => import("./CustomerDetailPage")));
const CustomerFormPage = lazy(withMessages(["customer"], () => import("./form/CustomerFormPage")));

export const customerRoutes: AppRoute[] = [
  { path: "/customers", element: <CustomerListPage /> },
  { path: "/customers/new", element: <CustomerFormPage /> },
  { path: "/customers/:customerId/edit", element: <CustomerFormPage /> },
  { path: "/customers/:customerId/*", element: <CustomerDetailPage /> },
];
