import { Button, Flex, Form, Input, Segmented, Select, Typography } from "antd";
import { DownloadOutlined, PlusOutlined, UnorderedListOutlined } from "@ant-design/icons";
import { useT } from "../../i18n/I18nProvider";
import { useGroups } from "../customers/form/options";
import { READABLE_PLACEHOLDER } from "./mapping";
import { TargetFields } from "./TargetFields";
import type { WizardValues } from "./wizard";

/** Step 1: the group the customers join ("Tập khách hàng", or "Tạo nhóm mới"), the way to import, their owner and
 *  lead package. */
export function GroupStep({ onTemplate, downloadingTemplate }: { onTemplate: () => void; downloadingTemplate: boolean }) {
  const t = useT();
  const groups = useGroups();
  const form = Form.useFormInstance<WizardValues>();
  const groupMode = Form.useWatch("groupMode", form) ?? "existing";
  const mode = Form.useWatch("mode", form) ?? "quick";

  return (
    <>
      <Form.Item name="mode" label={t("imp.mode")}>
        <Segmented<WizardValues["mode"]> aria-label={t("imp.mode")}
          options={[{ value: "quick", label: t("imp.quick") }, { value: "template", label: t("imp.template") }]} />
      </Form.Item>
      <Typography.Paragraph type="secondary">{mode === "template" ? t("imp.templateHint") : t("imp.quickHint")}</Typography.Paragraph>
      {mode === "template" && (
        <Button icon={<DownloadOutlined />} onClick={onTemplate} loading={downloadingTemplate} style={{ marginBottom: 24 }}>
          {t("imp.downloadTemplate")}
        </Button>
      )}
      <Form.Item name="groupMode" hidden><Input /></Form.Item>
      {groupMode === "existing" ? (
        <Form.Item label={t("imp.group")} required={false}>
          <Flex gap={8} wrap style={{ maxWidth: 640 }}>
            <Form.Item name="groupId" noStyle>
              <Select style={{ flex: "1 1 240px", minWidth: 0 }} allowClear showSearch={{ optionFilterProp: "label" }} aria-label={t("imp.group")}
                placeholder={t("imp.groupPlaceholder")} loading={groups.isLoading} styles={READABLE_PLACEHOLDER}
                options={(groups.data ?? []).map((group) => ({ value: group.id, label: group.name }))} />
            </Form.Item>
            <Button icon={<PlusOutlined />} onClick={() => form.setFieldsValue({ groupMode: "new", groupId: undefined })}>
              {t("imp.newGroup")}
            </Button>
          </Flex>
        </Form.Item>
      ) : (
        <>
          <Form.Item name="groupName" label={t("imp.groupName")} style={{ maxWidth: 560 }}
                     rules={[{ required: true, whitespace: true, message: t("imp.groupNameRequired") }]}>
            <Input maxLength={200} autoFocus />
          </Form.Item>
          <Form.Item name="groupDescription" label={t("imp.groupDescription")} style={{ maxWidth: 560 }}>
            <Input.TextArea maxLength={2000} autoSize={{ minRows: 2, maxRows: 5 }} />
          </Form.Item>
          <Button icon={<UnorderedListOutlined />} onClick={() => form.setFieldsValue({ groupMode: "existing" })}
                  style={{ marginBottom: 24 }}>
            {t("imp.existingGroup")}
          </Button>
        </>
      )}
      <TargetFields />
    </>
  );
}
