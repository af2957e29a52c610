import { useDeferredValue, useState } from "react";
import { Select } from "antd";
import { useQuery } from "@tanstack/react-query";
import { api, type Page } from "../../../api/client";
import type { PersonSummary } from "../../../api/types";
import { usePerson } from "../detail/usePerson";

interface Props {
  id?: string;
  value?: string | null;
  onChange?: (value: string | null) => void;
  exclude?: string[];
  "aria-label"?: string;
  placeholder?: string;
}

/** Pick an active colleague by typing part of their name (GET /people?q=, accents optional). */
export default function PersonSelect({ id, value, onChange, exclude = [], placeholder, ...rest }: Props) {
  const [q, setQ] = useState("");
  const query = useDeferredValue(q);
  const people = useQuery({
    queryKey: ["people", "search", query],
    queryFn: ({ signal }) => api.get<Page<PersonSummary>>("/people", { q: query, active: true, kind: "user", limit: 20 },
                                                          signal),
    staleTime: 60_000,
  });
  const current = usePerson(value);
  const found = (people.data?.items ?? []).filter((person) => !exclude.includes(person.id));
  const choices = current.data && !found.some((person) => person.id === current.data!.id)
    ? [current.data, ...found] : found;
  return (
    <Select id={id} aria-label={rest["aria-label"]} value={value ?? undefined} allowClear style={{ width: "100%" }}
            placeholder={placeholder}
            onChange={(next) => onChange?.(next ?? null)} loading={people.isFetching}
            showSearch={{ filterOption: false, onSearch: setQ }}
            options={choices.map((person) => ({
              value: person.id,
              label: person.unit_name ? `${person.full_name} · ${person.unit_name}` : person.full_name,
            }))} />
  );
}
