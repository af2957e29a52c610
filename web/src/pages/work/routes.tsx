import { lazy } from "react";
import type { AppRoute } from "../../routes";

const ComingSoonPage = lazy(() => import("../ComingSoonPage"));
const CareTicketsPage = lazy(() => import("./CareTicketsPage"));
const SupportTicketsPage = lazy(() => import("./SupportTicketsPage"));
const AppointmentsPage = lazy(() => import("./AppointmentsPage"));
const NotificationsPage = lazy(() => import("./NotificationsPage"));

// assignment, tickets and appointments screens; import and compensation keep their places until
// their services exist
export const workRoutes: AppRoute[] = [
  { path: "/assignments/*", element: (() => { const AssignmentPage = lazy(() => import("./assignment/AssignmentPage")); return <AssignmentPage />; })() },
  { path: "/care-tickets/*", element: <CareTicketsPage /> },
  { path: "/support-tickets/*", element: <SupportTicketsPage /> },
  { path: "/appointments/*", element: <AppointmentsPage /> },
  { path: "/notifications", element: <NotificationsPage /> },
  { path: "/imports/*", element: <ComingSoonPage /> },
  { path: "/compensation/*", element: <ComingSoonPage /> },
];
