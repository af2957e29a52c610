import type { Customer } from "../../../api/types";

/** Stub: to be built (see CustomerDetailPage). */
export default function GeneralTab({ customer }: { customer: Customer }) {
  return <div data-testid="GeneralTab">{customer.name}</div>;
}
