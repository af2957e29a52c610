// The configuration a customer's form and detail read: statuses, labels, groups, attribute
// definitions. Cached for a few minutes: an admin changes them rarely.
import { useQuery } from "@tanstack/react-query";
import { api } from "../../../api/client";
import type { CustomerAttribute, CustomerGroup, CustomerLabel, CustomerStatus } from "../../../api/types";
import { useI18n } from "../../../i18n/I18nProvider";

const FEW_MINUTES = 5 * 60_000;

export function useStatuses() {
  return useQuery({ queryKey: ["customer-statuses"], staleTime: FEW_MINUTES,
                    queryFn: () => api.get<CustomerStatus[]>("/customer-statuses") });
}

export function useLabels() {
  return useQuery({ queryKey: ["customer-labels"], staleTime: FEW_MINUTES,
                    queryFn: () => api.get<CustomerLabel[]>("/customer-labels") });
}

export function useGroups() {
  return useQuery({ queryKey: ["customer-groups"], staleTime: FEW_MINUTES,
                    queryFn: () => api.get<CustomerGroup[]>("/customer-groups") });
}

export function useAttributes() {
  return useQuery({
    queryKey: ["customer-attributes"], staleTime: FEW_MINUTES,
    queryFn: async () => (await api.get<CustomerAttribute[]>("/customer-attributes"))
      .slice().sort((a, b) => a.display_order - b.display_order),
  });
}

/** A configured item's name in the reader's language (statuses and labels have `name_en`). */
export function useLocalName() {
  const { language } = useI18n();
  return (item: { name: string; name_en?: string | null } | undefined, fallback = ""): string =>
    item ? (language === "en" && item.name_en ? item.name_en : item.name) : fallback;
}

export function useStatusName() {
  const statuses = useStatuses();
  const localName = useLocalName();
  return (key: string) => localName(statuses.data?.find((status) => status.key === key), key);
}
