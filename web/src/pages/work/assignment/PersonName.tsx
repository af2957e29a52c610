import { usePerson } from "../../../api/people";

/** A colleague's name (api/people: batched, shared cache with every other name in the console). */
export function PersonName({ id }: { id: string }) {
  const person = usePerson(id);
  return <>{person.data ? person.data.full_name || person.data.username : "…"}</>;
}
