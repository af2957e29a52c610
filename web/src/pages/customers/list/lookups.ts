// The configuration the list shows by name (labels, groups, statuses, people), fetched once and shared.
import { useCallback } from "react";
import { useQuery } from "@tanstack/react-query";
import { api } from "../../../api/client";
import type { CustomerGroup, CustomerLabel, CustomerStatus } from "../../../api/types";
import { useI18n } from "../../../i18n/I18nProvider";

const LONG = 5 * 60_000;

export function useLabels() {
  return useQuery({ queryKey: ["customer-labels"], queryFn: () => api.get<CustomerLabel[]>("/customer-labels"),
                    staleTime: LONG });
}

export function useGroups() {
  return useQuery({ queryKey: ["customer-groups"], queryFn: () => api.get<CustomerGroup[]>("/customer-groups"),
                    staleTime: LONG });
}

export function useStatuses() {
  return useQuery({ queryKey: ["customer-statuses"], queryFn: () => api.get<CustomerStatus[]>("/customer-statuses"),
                    staleTime: LONG });
}

/** A configured item's name in the reader's language (labels and statuses may have an English name). */
export function useLocalName() {
  const { language } = useI18n();
  return useCallback((item: { name: string; name_en?: string | null }) =>
    language === "en" && item.name_en ? item.name_en : item.name, [language]);
}

export interface AttributeDefinition {
  key: string;
  name: string;
  type: string;
  filterable: boolean;
  display_order: number;
}

/** The admin's attributes (only while `enabled`: the column settings offer them). */
export function useAttributes(enabled = true) {
  return useQuery({ queryKey: ["customer-attributes"], enabled,
                    queryFn: () => api.get<AttributeDefinition[]>("/customer-attributes"), staleTime: LONG });
}
