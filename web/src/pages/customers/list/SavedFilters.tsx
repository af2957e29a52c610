import { lazy, Suspense, useState } from "react";
import { Button, Flex, Select } from "antd";
import { useFeedback } from "../../../lib/feedback";
import { DeleteOutlined, SaveOutlined } from "@ant-design/icons";
import { ApiError } from "../../../api/client";
import type { CustomerFilter, CustomerView } from "../../../api/types";
import { useT } from "../../../i18n/I18nProvider";
import { useSaveView } from "./view";

const SaveFilterModal = lazy(() => import("./SaveFilterModal"));

interface Props {
  saved: CustomerView["saved_filters"];
  current: CustomerFilter;
  onApply: (filter: CustomerFilter) => void;
}

/** The user's named filters (saved in /me/views/customers): pick one to apply it, save the current one. */
export function SavedFilters({ saved, current, onApply }: Props) {
  const t = useT();
  const { message } = useFeedback();
  const save = useSaveView();
  const [picked, setPicked] = useState<string>();
  const [naming, setNaming] = useState(false);

  const store = (next: CustomerView["saved_filters"], done: string) =>
    save.mutate({ saved_filters: next }, {
      onSuccess: () => void message.success(done),
      onError: (error) => void message.error(error instanceof ApiError ? error.detail : t("common.error")),
    });

  const add = (trimmed: string) => {
    store([...saved.filter((item) => item.name !== trimmed), { name: trimmed, filter: current as Record<string, unknown> }],
          t("customers.list.filterSaved"));
    setPicked(trimmed);
    setNaming(false);
  };

  return (
    <Flex gap={4} align="center">
      <Select aria-label={t("customers.list.savedFilters")} placeholder={t("customers.list.savedFilters")}
              value={picked} allowClear style={{ minWidth: 170 }}
              options={saved.map((item) => ({ value: item.name, label: item.name }))}
              onChange={(name?: string) => {
                setPicked(name);
                const found = saved.find((item) => item.name === name);
                if (found) onApply(found.filter as CustomerFilter);
              }} />
      {picked && (
        <Button type="text" icon={<DeleteOutlined />} aria-label={t("customers.list.deleteSaved", { name: picked })}
                onClick={() => {
                  store(saved.filter((item) => item.name !== picked), t("customers.list.settingsSaved"));
                  setPicked(undefined);
                }} />
      )}
      <Button icon={<SaveOutlined />} onClick={() => setNaming(true)}>
        {t("customers.list.saveFilter")}
      </Button>
      {naming && (
        <Suspense>
          <SaveFilterModal saving={save.isPending} onSave={add} onCancel={() => setNaming(false)} />
        </Suspense>
      )}
    </Flex>
  );
}
