import { useDeferredValue, useState } from "react";
import { Select } from "antd";
import { useQuery } from "@tanstack/react-query";
import { api, type Page } from "../../../api/client";
import type { Customer } from "../../../api/types";

interface Props {
  id?: string;
  value?: string | null;
  onChange?: (value: string | null) => void;
  excludeId?: string;
}

/** Pick a customer one may see by name or phone (the referrer of a new one). */
export default function CustomerSelect({ id, value, onChange, excludeId }: Props) {
  const [q, setQ] = useState("");
  const query = useDeferredValue(q);
  const found = useQuery({
    queryKey: ["customers", { q: query, limit: 10 }],
    queryFn: ({ signal }) => api.get<Page<Customer>>("/customers", { q: query, limit: 10 }, signal),
    enabled: query.trim().length > 0,
  });
  const current = useQuery({
    queryKey: ["customer", value],
    queryFn: () => api.get<Customer>(`/customers/${value}`),
    enabled: Boolean(value),
    retry: false,
  });
  const rows = (found.data?.items ?? []).filter((row) => row.id !== excludeId);
  const choices = current.data && !rows.some((row) => row.id === current.data!.id) ? [current.data, ...rows] : rows;
  return (
    <Select id={id} value={value ?? undefined} allowClear
            onChange={(next) => onChange?.(next ?? null)} loading={found.isFetching}
            showSearch={{ filterOption: false, onSearch: setQ }}
            options={choices.map((row) => ({ value: row.id, label: `${row.name} · ${row.phone}` }))} />
  );
}
