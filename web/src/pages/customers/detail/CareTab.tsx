import type { Customer } from "../../../api/types";

/** Stub: to be built (see CustomerDetailPage). */
export default function CareTab({ customer }: { customer: Customer }) {
  return <div data-testid="CareTab">{customer.name}</div>;
}
