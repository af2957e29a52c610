import type { Customer } from "../../../api/types";
import type { Me } from "../../../auth/AuthProvider";

/** Whether the API will let `me` change the customer (C-9): an admin, its owner, or a manager above
 * the owner's unit. Only to show or hide actions: the API decides. */
export function canEdit(me: Me | undefined, customer: Customer): boolean {
  if (!me) return false;
  if (me.roles.includes("admin")) return true;
  if (customer.owner_id && customer.owner_id === me.id) return true;
  const unitPath = customer.owner_unit_path ?? null;
  return me.roles.includes("manager") && Boolean(unitPath && me.unit_path && unitPath.startsWith(me.unit_path));
}
