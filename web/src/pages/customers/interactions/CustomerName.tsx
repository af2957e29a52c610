import { Link } from "../../../lib/router";
import { useQuery } from "@tanstack/react-query";
import { api } from "../../../api/client";
import type { Customer } from "../../../api/types";
import { useT } from "../../../i18n/I18nProvider";

/** A link to a customer by name (a ticket's assignee may not see the customer: then no link). */
export function CustomerName({ id }: { id: string | null }) {
  const t = useT();
  const customer = useQuery({
    queryKey: ["customer", id],
    queryFn: () => api.get<Customer>(`/customers/${id}`),
    enabled: Boolean(id),
    staleTime: 60_000,
    retry: false,
  });
  if (!id) return null;
  if (customer.error) return <span>{t("ix.customer.hidden")}</span>;
  return <Link to={`/customers/${id}`}>{customer.data?.name ?? "…"}</Link>;
}
