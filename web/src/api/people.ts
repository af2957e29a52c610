// Colleagues by id, as the console names them everywhere (owners, authors, assignees). The ids asked
// for within the same few milliseconds go out together as one GET /people?id=…&id=… (up to 100 per
// call): a page of 50 customers names its owners in one request, not 50 — which also kept a
// manager's list from running into the per-user rate limit.
import { useQuery } from "@tanstack/react-query";
import { api, ApiError, type Page } from "./client";

export interface Person {
  id: string;
  username: string;
  full_name: string;
  unit_id: string;
  unit_name: string;
  active: boolean;
  kind: "user" | "service";
}

const BATCH = 100;
const WAIT_MS = 10;
const STALE = 5 * 60_000;

interface Waiting {
  resolve: (person: Person) => void;
  reject: (error: unknown) => void;
}

let waiting = new Map<string, Waiting[]>();
let timer: ReturnType<typeof setTimeout> | null = null;

/** One colleague; batched with the others asked for at the same moment. */
export function loadPerson(id: string): Promise<Person> {
  return new Promise((resolve, reject) => {
    waiting.set(id, [...(waiting.get(id) ?? []), { resolve, reject }]);
    timer ??= setTimeout(flush, WAIT_MS);
  });
}

async function flush(): Promise<void> {
  const batch = waiting;
  waiting = new Map();
  timer = null;
  const ids = [...batch.keys()];
  for (let start = 0; start < ids.length; start += BATCH) {
    const chunk = ids.slice(start, start + BATCH);
    try {
      const page = await api.get<Page<Person>>("/people", { id: chunk, limit: BATCH });
      const found = new Map(page.items.map((person) => [person.id, person]));
      for (const id of chunk) {
        const person = found.get(id);
        batch.get(id)?.forEach((one) => (person ? one.resolve(person) : one.reject(notFound())));
      }
    } catch (error) {
      chunk.forEach((id) => batch.get(id)?.forEach((one) => one.reject(error)));
    }
  }
}

function notFound(): ApiError {
  return new ApiError(404, { code: "not_found", detail: "not found" });
}

export function personQuery(id: string) {
  return { queryKey: ["people", id], queryFn: () => loadPerson(id), staleTime: STALE };
}

export function usePerson(id: string | null | undefined) {
  return useQuery({ ...personQuery(id ?? ""), enabled: Boolean(id) });
}
