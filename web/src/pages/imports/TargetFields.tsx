import { useState } from "react";
import { Form, Select } from "antd";
import { useQuery } from "@tanstack/react-query";
import { api, type Page } from "../../api/client";
import type { PersonSummary } from "../../api/types";
import { hasRole, useAuth } from "../../auth/AuthProvider";
import { useT } from "../../i18n/I18nProvider";
import { useDebounced } from "../customers/list/useDebounced";
import { READABLE_PLACEHOLDER } from "./mapping";

interface LeadPackageSummary {
  id: string;
  name: string;
  provider: string;
}

/** Who owns the imported customers (managers and admins pick a colleague; reps own what they
 *  import) and the lead package ("gói tài khoản") they were bought in, if any. */
export function TargetFields() {
  const t = useT();
  const { me } = useAuth();
  const packages = useQuery({
    queryKey: ["lead-packages", { limit: 100 }],
    queryFn: ({ signal }) => api.get<Page<LeadPackageSummary>>("/lead-packages", { limit: 100 }, signal),
    staleTime: 60_000,
  });
  const choosesOwner = hasRole(me, "manager", "admin");
  const packageOptions = (packages.data?.items ?? []).map((item) => ({ value: item.id, label: `${item.name} — ${item.provider}` }));
  return (
    <>
      {choosesOwner && (
        <Form.Item name="ownerId" label={t("imp.owner")} extra={t("imp.ownerHint")} style={{ maxWidth: 560 }}>
          <OwnerSelect />
        </Form.Item>
      )}
      {packageOptions.length > 0 && (
        <Form.Item name="leadPackageId" label={t("imp.package")} extra={t("imp.packageHint")} style={{ maxWidth: 560 }}>
          <Select allowClear showSearch={{ optionFilterProp: "label" }} aria-label={t("imp.package")}
                  placeholder={t("imp.packagePlaceholder")} styles={READABLE_PLACEHOLDER} options={packageOptions} />
        </Form.Item>
      )}
    </>
  );
}

function OwnerSelect({ value, onChange }: { value?: string; onChange?: (id: string | undefined) => void }) {
  const t = useT();
  const [q, setQ] = useState("");
  const query = useDebounced(q, 250);
  const found = useQuery({
    queryKey: ["people", "search", { q: query, kind: "user", limit: 20 }],
    queryFn: ({ signal }) => api.get<Page<PersonSummary>>("/people", { q: query, kind: "user", limit: 20 }, signal),
    staleTime: 60_000,
  });
  return (
    <Select allowClear value={value} onChange={onChange} aria-label={t("imp.owner")} placeholder={t("imp.ownerPlaceholder")}
            styles={READABLE_PLACEHOLDER} loading={found.isFetching} showSearch={{ filterOption: false, onSearch: setQ }}
            options={(found.data?.items ?? []).map((person) => ({ value: person.id, label: person.full_name }))} />
  );
}
