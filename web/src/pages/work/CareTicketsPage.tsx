import { CareTicketTable } from "../customers/interactions/CareTicketTable";
import { CARE_STATUSES } from "../customers/interactions/types";
import { TicketsPage } from "./TicketsPage";

const CARE = {
  title: "ix.care.tickets", search: "ix.care.search", statusWords: "ix.care.status",
  scopes: ["all", "mine", "my_unit", "today"], statuses: CARE_STATUSES, Table: CareTicketTable,
} as const;

/** "Chăm sóc": every care ticket I may see (also those planned today). */
export default function CareTicketsPage() {
  return <TicketsPage kind={CARE} />;
}
