// "Yêu cầu bù ngay" on a customer's page (seed 000, step 1), loaded beside the page with its words;
// the dialog loads when clicked.
import { lazy, Suspense, useState } from "react";
import { Button } from "antd";
import type { Customer } from "../../api/types";
import { useAuth } from "../../auth/AuthProvider";
import { useT } from "../../i18n/I18nProvider";
import { mayRequest } from "./logic";

const RequestDialog = lazy(() => import("./RequestDialog"));

export default function RequestButton({ customer }: { customer: Customer }) {
  const t = useT();
  const { me } = useAuth();
  const [open, setOpen] = useState(false);
  const [opened, setOpened] = useState(false);
  if (!mayRequest(me?.roles)) return null;
  return (
    <>
      <Button onClick={() => { setOpened(true); setOpen(true); }}>{t("comp.requestNow")}</Button>
      {opened && (
        <Suspense fallback={null}>
          <RequestDialog customer={customer} open={open} onClose={() => setOpen(false)} />
        </Suspense>
      )}
    </>
  );
}
