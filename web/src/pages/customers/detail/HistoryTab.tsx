import type { Customer } from "../../../api/types";

/** Stub: to be built (see CustomerDetailPage). */
export default function HistoryTab({ customer }: { customer: Customer }) {
  return <div data-testid="HistoryTab">{customer.name}</div>;
}
