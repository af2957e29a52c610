import { useState } from "react";
import { App, Button, Flex, Form, Input, Modal, Select } from "antd";
import { DeleteOutlined, SaveOutlined } from "@ant-design/icons";
import { ApiError } from "../../../api/client";
import type { CustomerFilter, CustomerView } from "../../../api/types";
import { useT } from "../../../i18n/I18nProvider";
import { useSaveView } from "./view";

interface Props {
  saved: CustomerView["saved_filters"];
  current: CustomerFilter;
  onApply: (filter: CustomerFilter) => void;
}

/** The user's named filters (saved in /me/views/customers): pick one to apply it, save the current one. */
export function SavedFilters({ saved, current, onApply }: Props) {
  const t = useT();
  const { message } = App.useApp();
  const save = useSaveView();
  const [picked, setPicked] = useState<string>();
  const [naming, setNaming] = useState(false);
  const [form] = Form.useForm<{ name: string }>();

  const store = (next: CustomerView["saved_filters"], done: string) =>
    save.mutate({ saved_filters: next }, {
      onSuccess: () => void message.success(done),
      onError: (error) => void message.error(error instanceof ApiError ? error.detail : t("common.error")),
    });

  const add = ({ name }: { name: string }) => {
    const trimmed = name.trim();
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
      <Button icon={<SaveOutlined />} onClick={() => { form.resetFields(); setNaming(true); }}>
        {t("customers.list.saveFilter")}
      </Button>
      <Modal open={naming} title={t("customers.list.saveFilter")} onCancel={() => setNaming(false)}
             onOk={() => form.submit()} okText={t("common.save")} cancelText={t("common.cancel")}
             confirmLoading={save.isPending} destroyOnHidden>
        <Form form={form} layout="vertical" onFinish={add}>
          <Form.Item name="name" label={t("customers.list.filterName")}
                     rules={[{ required: true, whitespace: true, message: t("customers.list.filterNameRequired") },
                             { max: 100 }]}>
            <Input maxLength={100} />
          </Form.Item>
        </Form>
      </Modal>
    </Flex>
  );
}
