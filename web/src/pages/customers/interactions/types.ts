// The interactions service's shapes the console reads (the gateway's /api/openapi.json is the reference).
import type { Person } from "../../../api/people";

export interface TimelineEntry {
  id: string;
  type: string;
  occurred_at: string;
  actor_id: string | null;
  customer_id: string;
  note: string | null;
  data: Record<string, unknown>;
}

export const TIMELINE_TYPES = [
  "created", "edited", "classified", "assigned", "recalled", "potential", "contract_closed", "refused",
  "call_in", "call_out", "call_missed", "appointment", "note", "care", "support", "comment", "compensation",
  "imported",
] as const;

export const CALL_OUTCOMES = ["reached", "no_answer", "busy", "wrong_number", "call_back_later", "voicemail",
                              "rejected"] as const;

export interface CallSheet {
  id: string;
  customer_id: string;
  direction: "in" | "out";
  outcome: string;
  occurred_at: string;
  duration_seconds: number;
  rating: number | null;
  note: string | null;
  actor_id: string | null;
  entry_id: string;
}

export interface Mention {
  user_id: string;
  username: string;
  acknowledged_at: string | null;
}

export interface CommentFile {
  id: string;
  filename: string;
  content_type: string;
  size: number;
}

export interface Comment {
  id: string;
  customer_id: string;
  ticket_type?: "care_ticket" | "support_ticket" | null;
  ticket_id?: string | null;
  author_id: string;
  text: string;
  hashtags: string[];
  mentions: Mention[];
  attachments: CommentFile[];
  read: boolean;
  version: number;
  created_at: string;
  updated_at: string;
  deleted_at?: string | null;
  deleted_by?: string | null;
}

export interface Attachment {
  id: string;
  customer_id: string;
  parent_type?: "support_ticket" | "comment" | null;
  parent_id?: string | null;
  filename: string;
  content_type: string;
  size: number;
  uploaded_by: string;
  created_at: string;
}

export const CARE_METHODS = ["call", "meeting", "email", "sms", "zalo"] as const;
export const CARE_STATUSES = ["planned", "done", "cancelled"] as const;

export interface CareTicket {
  id: string;
  customer_id: string;
  method: string;
  planned_at: string;
  assignee_id: string;
  note: string | null;
  result: string | null;
  cancel_reason: string | null;
  status: "planned" | "done" | "cancelled";
  completed_at: string | null;
  cancelled_at: string | null;
  created_by: string;
  version: number;
  created_at: string;
}

export const SUPPORT_STATUSES = ["pending", "processing", "done", "cancelled"] as const;

export interface SupportTicket {
  id: string;
  customer_id: string;
  channel: string | null;
  handling_unit_id: string | null;
  assignee_id: string | null;
  title: string;
  content: string | null;
  handling_process: string | null;
  response_to_customer: string | null;
  customer_feedback: string | null;
  contact_name: string | null;
  contact_details: string | null;
  status: "pending" | "processing" | "done" | "cancelled";
  created_by: string;
  version: number;
  created_at: string;
  updated_at: string;
}

export const APPOINTMENT_TYPES = ["meeting", "call", "task", "payment_due", "other"] as const;

export interface Appointment {
  id: string;
  title: string;
  type: string;
  customer_id: string | null;
  assignee_id: string;
  starts_at: string;
  ends_at: string | null;
  all_day: boolean;
  location: string | null;
  note: string | null;
  status: "planned" | "done" | "cancelled";
  version: number;
  created_at: string;
}

export interface AppNotification {
  id: number;
  type: string;
  important: boolean;
  title: string;
  body: string | null;
  data: Record<string, unknown>;
  created_at: string;
  read_at: string | null;
}

export interface NotificationPage {
  items: AppNotification[];
  next_cursor: string | null;
  unread_count: number;
}

/** A colleague of the people directory (the same shape everywhere in the console). */
export type Colleague = Person;
