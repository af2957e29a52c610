import { usePerson } from "./usePerson";

/** A colleague's full name (the id until it is known). */
export default function PersonName({ id }: { id: string }) {
  const person = usePerson(id);
  return <>{person.data?.full_name ?? (person.isLoading ? "…" : id)}</>;
}
