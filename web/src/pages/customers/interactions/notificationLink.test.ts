import { describe, expect, it } from "vitest";
import { notificationLink } from "./notificationLink";
import type { AppNotification } from "./types";

function notification(type: string, data: Record<string, unknown>): AppNotification {
  return { id: 1, type, important: true, title: "", body: null, data, created_at: "2026-11-29T00:00:00Z", read_at: null };
}

describe("notificationLink", () => {
  it("opens the comment a colleague mentioned me in", () => {
    expect(notificationLink(notification("mention", { customer_id: "c1", comment_id: "m1" })))
      .toBe("/customers/c1/comments?comment=m1");
  });

  it("opens the screen of the other kinds", () => {
    expect(notificationLink(notification("assignment_offered", { count: 3 }))).toBe("/assignments");
    expect(notificationLink(notification("assignment_sla_warning", { assignment_id: "a1", count: 2 })))
      .toBe("/assignments/a1");
    expect(notificationLink(notification("import_finished", {}))).toBe("/imports");
    expect(notificationLink(notification("compensation_decided", {}))).toBe("/compensation");
    expect(notificationLink(notification("compensation_decided", { package_id: "p1", customer_id: "c3" })))
      .toBe("/compensation/packages/p1");
    expect(notificationLink(notification("something_new", { customer_id: "c2" }))).toBe("/customers/c2");
    expect(notificationLink(notification("something_new", {}))).toBeNull();
  });
});
