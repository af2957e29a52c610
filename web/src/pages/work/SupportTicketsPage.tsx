import { SupportTicketTable } from "../customers/interactions/SupportTicketTable";
import { SUPPORT_STATUSES } from "../customers/interactions/types";
import { TicketsPage } from "./TicketsPage";

const SUPPORT = {
  title: "ix.support.tickets", search: "ix.support.search", statusWords: "ix.support.status",
  scopes: ["all", "mine", "my_unit"], statuses: SUPPORT_STATUSES, Table: SupportTicketTable,
} as const;

/** "Phiếu hỗ trợ": the support tickets I may see (the API has no "today" for them). */
export default function SupportTicketsPage() {
  return <TicketsPage kind={SUPPORT} />;
}
