import { lazy, Suspense, useState } from "react";
import { Button, Flex, Space, Tag, Typography } from "antd";
import { EditOutlined, PhoneOutlined, SyncOutlined } from "@ant-design/icons";
import { useNavigate } from "../../../lib/router";
import type { Customer } from "../../../api/types";
import { useAuth } from "../../../auth/AuthProvider";
import { useT } from "../../../i18n/I18nProvider";
import { withMessages } from "../../../i18n/messages";
import { useStatusName } from "../form/options";
import { canEdit } from "./canEdit";
import PersonName from "./PersonName";
import { localPhone } from "./phone";
import StatusUpdateModal from "./StatusUpdateModal";

// "Yêu cầu bù ngay" (compensation, seed 000): its code and words load beside the page, not in it
const RequestButton = lazy(withMessages(["compensation"], () => import("../../compensation/RequestButton")));
// the lead's contact deadline (issue 13, A-6): its code and words load beside the page
const LeadSla = lazy(withMessages(["work"], () => import("../../work/assignment/LeadSla")));

/** The customer's name, phone (a tel: link), status and owner, with "Sửa" and "Cập nhật trạng thái". */
export default function CustomerHeader({ customer }: { customer: Customer }) {
  const t = useT();
  const { me } = useAuth();
  const statusName = useStatusName();
  const navigate = useNavigate();
  const [updating, setUpdating] = useState(false);
  const editable = canEdit(me, customer);
  return (
    <header style={{ marginBottom: 8 }}>
      <Flex wrap gap={12} justify="space-between" align="flex-start">
        <div>
          <Typography.Title level={1} style={{ fontSize: 22, marginBottom: 4 }}>{customer.name}</Typography.Title>
          <Space wrap size={[16, 4]}>
            <a href={`tel:${customer.phone}`} aria-label={t("customers.detail.call", { phone: localPhone(customer.phone) })}>
              <PhoneOutlined aria-hidden /> {localPhone(customer.phone)}
            </a>
            <Tag color="blue" data-testid="customer-status">{statusName(customer.status)}</Tag>
            <span>
              {t("customers.detail.owner")}:{" "}
              {customer.owner_id ? <PersonName id={customer.owner_id} /> : t("customers.detail.noOwner")}
            </span>
            <Suspense fallback={null}><LeadSla customerId={customer.id} /></Suspense>
          </Space>
        </div>
        <Space wrap>
          <Suspense fallback={null}><RequestButton customer={customer} /></Suspense>
          {editable && (<>
            <Button icon={<EditOutlined aria-hidden />} onClick={() => navigate(`/customers/${customer.id}/edit`)}>
              {t("customers.detail.edit")}
            </Button>
            <Button type="primary" icon={<SyncOutlined aria-hidden />} onClick={() => setUpdating(true)}>
              {t("customers.detail.updateStatus")}
            </Button>
          </>)}
        </Space>
      </Flex>
      {editable && <StatusUpdateModal customer={customer} open={updating} onClose={() => setUpdating(false)} />}
    </header>
  );
}
