import { useState } from "react";
import { Alert, Button, Card, Form, Input, Select } from "antd";
import { LockOutlined, UserOutlined } from "@ant-design/icons";
import { session } from "../auth/session";
import { useI18n } from "../i18n/I18nProvider";

interface Credentials {
  username: string;
  password: string;
}

/** Sign in; the page the user asked for stays in the address bar and opens once signed in. */
export default function LoginPage() {
  const { t, language, setLanguage } = useI18n();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(values: Credentials) {
    setBusy(true);
    setError(null);
    try {
      await session.open(values.username, values.password, language);
    } catch (failure) {
      setError((failure as Error).message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <main style={{ minHeight: "100vh", display: "grid", placeItems: "center", background: "#f5f7fa", padding: 16 }}>
      <Card style={{ width: "100%", maxWidth: 380 }}>
        <h1 style={{ fontSize: 24, textAlign: "center", marginTop: 0 }}>{t("app.name")} · {t("login.title")}</h1>
        {error && <Alert type="error" role="alert" title={error} style={{ marginBottom: 16 }} />}
        <Form<Credentials> layout="vertical" onFinish={submit} requiredMark={false}>
          <Form.Item name="username" label={t("login.username")}
                     rules={[{ required: true, message: t("login.usernameRequired") }]}>
            <Input prefix={<UserOutlined />} autoComplete="username" autoFocus />
          </Form.Item>
          <Form.Item name="password" label={t("login.password")}
                     rules={[{ required: true, message: t("login.passwordRequired") }]}>
            <Input.Password prefix={<LockOutlined />} autoComplete="current-password" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={busy}>{t("login.submit")}</Button>
        </Form>
        <Select aria-label={t("header.language")} value={language} onChange={setLanguage} size="small"
                style={{ marginTop: 16 }} options={[{ value: "vi", label: "Tiếng Việt" }, { value: "en", label: "English" }]} />
      </Card>
    </main>
  );
}
