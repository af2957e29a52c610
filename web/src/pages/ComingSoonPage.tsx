import { Result } from "antd";
import { useT } from "../i18n/I18nProvider";

export default function ComingSoonPage() {
  const t = useT();
  return <Result status="info" title={t("common.comingSoon")} />;
}
