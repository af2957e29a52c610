import { Button } from "antd";
import { SendOutlined } from "@ant-design/icons";
import { useAuth } from "../../auth/AuthProvider";
import { useT } from "../../i18n/I18nProvider";
import { maySubmit } from "./logic";
import { useSubmitForReview } from "./useSubmitForReview";
import type { LeadPackage } from "./types";

/** "Gửi xét duyệt" for one package (seed 000, step 6.2), named after it where several are listed. */
export default function SubmitButton({ pack, named = false, primary = false }:
  { pack: LeadPackage; named?: boolean; primary?: boolean }) {
  const t = useT();
  const { me } = useAuth();
  const review = useSubmitForReview(pack);
  if (!maySubmit(me?.roles)) return null;
  return (
    <Button type={primary ? "primary" : "default"} size={named ? "small" : "middle"} icon={<SendOutlined aria-hidden />}
            loading={review.pending} onClick={review.submit}
            aria-label={named ? `${t("comp.submit")}: ${pack.name}` : undefined}>
      {t("comp.submit")}
    </Button>
  );
}
