import { useQuery } from "@tanstack/react-query";
import { api } from "../../../api/client";

interface Person {
  id: string;
  username: string;
  full_name: string;
}

/** A colleague's name (GET /people/{id}, shared cache with the header's). */
export function PersonName({ id }: { id: string }) {
  const person = useQuery({
    queryKey: ["people", id], queryFn: () => api.get<Person>(`/people/${id}`), staleTime: 5 * 60_000,
  });
  return <>{person.data ? person.data.full_name || person.data.username : "…"}</>;
}
