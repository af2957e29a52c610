import type { Customer } from "../../../api/types";

/** Stub: to be built (see CustomerDetailPage). */
export default function ReferralsTab({ customer }: { customer: Customer }) {
  return <div data-testid="ReferralsTab">{customer.name}</div>;
}
