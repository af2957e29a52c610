import { lazy } from "react";
import { withMessages } from "../../i18n/messages";
import type { AppRoute } from "../../routes";
import { importRoutes } from "../imports/routes";
import { compensationRoutes } from "../compensation/routes";

const CareTicketsPage = lazy(withMessages(["interactions", "work"], () => import("./CareTicketsPage")));
const SupportTicketsPage = lazy(withMessages(["interactions", "work"], () => import("./SupportTicketsPage")));
const AppointmentsPage = lazy(withMessages(["interactions", "work"], () => import("./AppointmentsPage")));
const AssignmentPage = lazy(withMessages(["interactions", "work"], () => import("./assignment/AssignmentPage")));
const NotificationsPage = lazy(withMessages(["interactions", "work"], () => import("./NotificationsPage")));

// assignment, tickets and appointments screens, then the import and compensation routes
export const workRoutes: AppRoute[] = [
  { path: "/assignments/*", element: <AssignmentPage /> },
  { path: "/care-tickets/*", element: <CareTicketsPage /> },
  { path: "/support-tickets/*", element: <SupportTicketsPage /> },
  { path: "/appointments/*", element: <AppointmentsPage /> },
  { path: "/notifications", element: <NotificationsPage /> },
  ...importRoutes,
  ...compensationRoutes,
];
