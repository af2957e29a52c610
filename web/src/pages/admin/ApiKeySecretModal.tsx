import { Alert, Button, Input, Modal, Space } from "antd";
import { useFeedback } from "../../lib/feedback";
import { CopyOutlined } from "@ant-design/icons";
import type { ApiKeyCreated } from "../../api/types";
import { useT } from "../../i18n/I18nProvider";

/** The new key's secret, once: copy it now, it cannot be shown again. */
export function ApiKeySecretModal({ apiKey, onClose }: { apiKey: ApiKeyCreated; onClose: () => void }) {
  const t = useT();
  const { message } = useFeedback();
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(apiKey.key);
      void message.success(t("apiKeys.copied"));
    } catch {
      document.getElementById("api-key-secret")?.focus();
    }
  };
  return (
    <Modal open title={`${t("apiKeys.secretTitle")}: ${apiKey.name}`} closable={false} mask={{ closable: false }}
           keyboard={false} footer={<Button type="primary" onClick={onClose}>{t("apiKeys.secretDone")}</Button>}>
      <Space orientation="vertical" style={{ width: "100%" }}>
        <Alert type="warning" showIcon title={t("apiKeys.secretWarning")} />
        <label htmlFor="api-key-secret">{t("apiKeys.secretLabel")}</label>
        <Space.Compact style={{ width: "100%" }}>
          <Input id="api-key-secret" readOnly value={apiKey.key} onFocus={(event) => event.target.select()}
                 style={{ fontFamily: "monospace" }} />
          <Button icon={<CopyOutlined />} onClick={() => void copy()}>{t("apiKeys.copy")}</Button>
        </Space.Compact>
      </Space>
    </Modal>
  );
}
