import { lazy } from "react";
import { withMessages } from "../../i18n/messages";
import type { AppRoute } from "../../routes";

const PackageListPage = lazy(withMessages(["compensation"], () => import("./PackageListPage")));
const PackagePage = lazy(withMessages(["compensation", "interactions"], () => import("./PackagePage")));
const ReviewQueuePage = lazy(withMessages(["compensation"], () => import("./ReviewQueuePage")));
const BatchReviewPage = lazy(withMessages(["compensation"], () => import("./BatchReviewPage")));

// "Danh sách yêu cầu bù" (seed 000), a package's requests, leads and credit, the reviewers' queue
export const compensationRoutes: AppRoute[] = [
  { path: "/compensation", element: <PackageListPage /> },
  { path: "/compensation/packages/:packageId", element: <PackagePage /> },
  { path: "/compensation/review", element: <ReviewQueuePage /> },
  { path: "/compensation/review/:batchId", element: <BatchReviewPage /> },
];
