import { lazy } from "react";
import { withMessages } from "../../i18n/messages";
import type { AppRoute } from "../../routes";

const ImportListPage = lazy(withMessages(["imports"], () => import("./ImportListPage")));
const ImportWizardPage = lazy(withMessages(["imports"], () => import("./ImportWizardPage")));
const ImportJobPage = lazy(withMessages(["imports"], () => import("./ImportJobPage")));

export const importRoutes: AppRoute[] = [
  { path: "/imports", element: <ImportListPage /> },
  { path: "/imports/new", element: <ImportWizardPage /> },
  { path: "/imports/:importId", element: <ImportJobPage /> },
];
