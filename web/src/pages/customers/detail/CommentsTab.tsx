import type { Customer } from "../../../api/types";

/** Stub: to be built (see CustomerDetailPage). */
export default function CommentsTab({ customer }: { customer: Customer }) {
  return <div data-testid="CommentsTab">{customer.name}</div>;
}
