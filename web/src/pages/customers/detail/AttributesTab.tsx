import type { Customer } from "../../../api/types";

/** Stub: to be built (see CustomerDetailPage). */
export default function AttributesTab({ customer }: { customer: Customer }) {
  return <div data-testid="AttributesTab">{customer.name}</div>;
}
