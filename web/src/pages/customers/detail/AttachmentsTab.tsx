import type { Customer } from "../../../api/types";

/** Stub: to be built (see CustomerDetailPage). */
export default function AttachmentsTab({ customer }: { customer: Customer }) {
  return <div data-testid="AttachmentsTab">{customer.name}</div>;
}
