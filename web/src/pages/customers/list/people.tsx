// Colleagues by id (api/people: batched, cached under ["people", id] as everywhere in the console) and a
// multi-select of colleagues searched by name (GET /people?q=).
import { useState } from "react";
import { Select } from "antd";
import { useQuery, type QueryClient } from "@tanstack/react-query";
import { api, type Page } from "../../../api/client";
import { personQuery, usePerson } from "../../../api/people";
import type { PersonSummary } from "../../../api/types";
import { useDebounced } from "./useDebounced";

export { personQuery, usePerson };

/** Names of several colleagues at once (each read once, then cached). */
export async function personNames(queryClient: QueryClient, ids: string[]): Promise<Map<string, string>> {
  const unique = [...new Set(ids)];
  const people = await Promise.all(unique.map((id) => queryClient.fetchQuery(personQuery(id)).catch(() => null)));
  return new Map(unique.map((id, index) => [id, people[index]?.full_name ?? id.slice(0, 8)]));
}

export function PersonName({ id, unit = false }: { id: string; unit?: boolean }) {
  const person = usePerson(id).data;
  if (unit) return <>{person?.unit_name ?? ""}</>;
  return <>{person?.full_name ?? ""}</>;
}

interface PeopleSelectProps {
  value: string[];
  onChange: (ids: string[]) => void;
  "aria-label": string;
  placeholder: string;
  style?: React.CSSProperties;
}

/** Several colleagues, found by typing part of a name (accents optional). */
export function PeopleSelect({ value, onChange, style, ...rest }: PeopleSelectProps) {
  const [q, setQ] = useState("");
  const query = useDebounced(q, 250);
  const [known, setKnown] = useState<Record<string, string>>({});
  const found = useQuery({
    queryKey: ["people", "search", { q: query, kind: "user", limit: 20 }],
    queryFn: ({ signal }) => api.get<Page<PersonSummary>>("/people", { q: query, kind: "user", limit: 20 }, signal),
    staleTime: 60_000,
  });
  const options = (found.data?.items ?? []).map((person) => ({ value: person.id, label: person.full_name }));
  const chosen = value.filter((id) => !options.some((option) => option.value === id))
    .map((id) => ({ value: id, label: known[id] ?? id.slice(0, 8) }));
  return (
    <Select {...rest} mode="multiple" allowClear value={value} style={style} maxTagCount="responsive"
            loading={found.isFetching} showSearch={{ filterOption: false, onSearch: setQ }}
            options={[...chosen, ...options]}
            onChange={(ids: string[]) => {
              setKnown({ ...known, ...Object.fromEntries(options.map((option) => [option.value, option.label])) });
              onChange(ids);
            }} />
  );
}
