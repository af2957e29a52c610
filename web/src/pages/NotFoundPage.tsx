import { Button, Result } from "antd";
import { Link } from "../lib/router";
import { useT } from "../i18n/I18nProvider";

export default function NotFoundPage() {
  const t = useT();
  return (
    <Result status="404" title={t("common.notFound")} subTitle={t("common.notFoundDetail")}
            extra={<Link to="/customers"><Button type="primary">{t("nav.customers")}</Button></Link>} />
  );
}
