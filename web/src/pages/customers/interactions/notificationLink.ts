import type { AppNotification } from "./types";

/** Where a notification leads: the comment a colleague mentioned me in, the offers, the import… */
export function notificationLink(notification: AppNotification): string | null {
  const data = notification.data;
  const customer = typeof data.customer_id === "string" ? data.customer_id : null;
  if (customer && typeof data.comment_id === "string") return `/customers/${customer}/comments?comment=${data.comment_id}`;
  // an SLA warning, a refusal, an expiry open the assignment; an offer opens the offers to answer
  if (notification.type.startsWith("assignment_") && notification.type !== "assignment_offered"
      && typeof data.assignment_id === "string") {
    return `/assignments/${data.assignment_id}`;
  }
  if (notification.type.startsWith("assignment_")) return "/assignments";
  if (notification.type.startsWith("import_")) {
    return typeof data.job_id === "string" ? `/imports/${data.job_id}` : "/imports";
  }
  if (notification.type.startsWith("compensation_")) {
    return typeof data.package_id === "string" ? `/compensation/packages/${data.package_id}` : "/compensation";
  }
  if (customer) return `/customers/${customer}`;
  return null;
}
