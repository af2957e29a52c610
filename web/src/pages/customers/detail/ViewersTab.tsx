import type { Customer } from "../../../api/types";

/** Stub: to be built (see CustomerDetailPage). */
export default function ViewersTab({ customer }: { customer: Customer }) {
  return <div data-testid="ViewersTab">{customer.name}</div>;
}
