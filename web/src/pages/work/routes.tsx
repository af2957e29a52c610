import { lazy } from "react";
import type { AppRoute } from "../../routes";

const ComingSoonPage = lazy(() => import("../ComingSoonPage"));

// assignment, tickets and appointments screens; import and compensation keep their places until
// their services exist
export const workRoutes: AppRoute[] = [
  { path: "/assignments/*", element: (() => { const AssignmentPage = lazy(() => import("./assignment/AssignmentPage")); return <AssignmentPage />; })() },
  { path: "/care-tickets/*", element: <ComingSoonPage /> },
  { path: "/support-tickets/*", element: <ComingSoonPage /> },
  { path: "/appointments/*", element: <ComingSoonPage /> },
  { path: "/notifications", element: <ComingSoonPage /> },
  { path: "/imports/*", element: <ComingSoonPage /> },
  { path: "/compensation/*", element: <ComingSoonPage /> },
];
