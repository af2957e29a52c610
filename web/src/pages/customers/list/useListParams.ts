import { useCallback, useMemo } from "react";
import { useSearchParams } from "../../../lib/router";
import { filterFromParam, filterToParam, scopeFromParam, type FilterValues, type Scope } from "./filters";

export interface ListParams {
  scope: Scope | null;
  q: string;
  /** the JSON of the filter: stable between renders while the filter does not change */
  filterText: string | null;
  filter: FilterValues;
  sort: string | null;
  set: (changes: { scope?: Scope | null; q?: string; filter?: FilterValues; sort?: string | null }) => void;
}

/** The list's scope, search, filter and sort live in the URL (?scope=&q=&f=&sort=): a link brings the same
 * list, and coming back from a customer finds it as it was. */
export function useListParams(): ListParams {
  const [params, setParams] = useSearchParams();
  const filterText = params.get("f");
  const filter = useMemo(() => filterFromParam(filterText), [filterText]);
  const set = useCallback<ListParams["set"]>((changes) => {
    setParams((current) => {
      const next = new URLSearchParams(current);
      const put = (name: string, value: string | null | undefined) => {
        if (value) next.set(name, value);
        else next.delete(name);
      };
      if ("scope" in changes) put("scope", changes.scope);
      if ("q" in changes) put("q", changes.q);
      if ("filter" in changes) put("f", filterToParam(changes.filter ?? {}));
      if ("sort" in changes) put("sort", changes.sort);
      return next;
    }, { replace: true });
  }, [setParams]);
  return { scope: scopeFromParam(params.get("scope")), q: params.get("q") ?? "", filterText, filter,
           sort: params.get("sort"), set };
}
