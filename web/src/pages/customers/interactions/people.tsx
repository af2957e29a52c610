import { useState } from "react";
import { Select } from "antd";
import { useQuery } from "@tanstack/react-query";
import { api, type Page } from "../../../api/client";
import { usePerson } from "../../../api/people";
import type { Colleague } from "./types";

export { usePerson };

export function usePeopleSearch(q: string, enabled = true) {
  return useQuery({
    queryKey: ["people", "search", q],
    queryFn: () => api.get<Page<Colleague>>("/people", { q: q || undefined, active: true, kind: "user", limit: 10 }),
    enabled,
    staleTime: 60_000,
  });
}

/** A colleague's full name (their username until it is known). */
export function PersonName({ id, fallback }: { id: string | null | undefined; fallback?: string }) {
  const person = usePerson(id);
  if (!id) return <>{fallback ?? ""}</>;
  return <>{person.data?.full_name || person.data?.username || fallback || "…"}</>;
}

/** A select of active colleagues found by name or username as one types. */
export function PersonSelect({ value, onChange, label, allowClear = true, id, prefix }: {
  value?: string | null;
  onChange?: (value: string | undefined) => void;
  label: string;
  allowClear?: boolean;
  id?: string;
  /** a visible label inside the box (for filters without a form label) */
  prefix?: string;
}) {
  const [q, setQ] = useState("");
  const found = usePeopleSearch(q);
  const current = usePerson(value ?? undefined);
  const options = (found.data?.items ?? []).map((person) => ({
    value: person.id, label: `${person.full_name || person.username} (${person.username})`,
  }));
  if (value && current.data && !options.some((option) => option.value === value)) {
    options.unshift({ value, label: `${current.data.full_name || current.data.username} (${current.data.username})` });
  }
  return (
    <Select id={id} aria-label={label} showSearch={{ filterOption: false, onSearch: setQ }} allowClear={allowClear}
            value={value ?? undefined} onChange={(next) => onChange?.(next ?? undefined)} options={options}
            loading={found.isFetching} style={{ minWidth: 200 }} prefix={prefix} />
  );
}
