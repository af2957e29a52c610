import { usePackage } from "./queries";

/** A package's name by id (the id until it is known). */
export default function PackageName({ id }: { id: string }) {
  const pack = usePackage(id);
  return <>{pack.data?.name ?? (pack.isLoading ? "…" : id)}</>;
}
