import { useMemo, useRef, useState } from "react";
import { Alert, Button, Form, Result, Space, Spin, Typography } from "antd";
import { useFeedback } from "../../../lib/feedback";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { Link, useNavigate, useParams } from "../../../lib/router";
import { api, ApiError, newKey } from "../../../api/client";
import type { Customer, CustomerAttribute } from "../../../api/types";
import { useT } from "../../../i18n/I18nProvider";
import ConflictAlert from "./ConflictAlert";
import CustomerFields from "./CustomerFields";
import { useAttributes } from "./options";
import {
  changedBody, conflicts, createBody, fieldPath, toFormValues, toPayload, type FieldChange, type FormValues,
} from "./values";

/** /customers/new and /customers/<id>/edit: the same form, seed 004's "Thêm mới" and "Cập nhật thông tin". */
export default function CustomerFormPage() {
  const t = useT();
  const { customerId } = useParams();
  const attributes = useAttributes();
  const customer = useQuery({
    queryKey: ["customer", customerId],
    queryFn: () => api.get<Customer>(`/customers/${customerId}`),
    enabled: Boolean(customerId),
    refetchOnMount: "always",
  });
  // edit what the record is now, not what a list or the detail cached a while ago
  if (attributes.isLoading || customer.isLoading || (customerId && !customer.isFetchedAfterMount)) return <Spin />;
  const failure = attributes.error ?? customer.error;
  if (failure) return <Result status="error" title={t("common.error")} subTitle={failure.message} />;
  return <CustomerEditor key={customerId ?? "new"} definitions={attributes.data ?? []} customer={customer.data} />;
}

interface Problem {
  title: string;
  detail?: string;
  existingId?: string;
}

function CustomerEditor({ definitions, customer }: { definitions: CustomerAttribute[]; customer?: Customer }) {
  const t = useT();
  const { message } = useFeedback();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<FormValues>();
  const [base, setBase] = useState<Customer | undefined>(customer);
  const [saving, setSaving] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [conflict, setConflict] = useState<{ current: Customer; changes: FieldChange[] } | null>(null);
  const creationKey = useRef<string | null>(null);
  const creating = !customer;
  const initialValues = useMemo<FormValues>(
    () => (customer ? toFormValues(customer, definitions)
      : { party_type: "individual", lifecycle: "lead", labels: [], groups: [], attributes: {} }),
    [customer, definitions]);

  const showError = (error: unknown) => {
    if (!(error instanceof ApiError)) {
      setProblem({ title: t("customers.form.problem"), detail: String(error) });
      return;
    }
    if (error.code === "phone_exists") {
      const existing = error.body.existing_id;
      form.setFields([{ name: "phone", errors: [t("customers.form.phoneExists")] }]);
      setProblem({ title: t("customers.form.phoneExists"), detail: error.detail,
                   existingId: typeof existing === "string" ? existing : undefined });
      return;
    }
    const known = new Set(Object.keys(form.getFieldsValue(true)));
    const onFields = error.errors.filter((item) => known.has(fieldPath(item.field)[0]));
    if (onFields.length) {
      form.setFields(onFields.map((item) => ({ name: fieldPath(item.field), errors: [item.message] })));
      form.scrollToField(fieldPath(onFields[0].field));
    }
    const elsewhere = error.errors.filter((item) => !onFields.includes(item));
    if (!onFields.length || elsewhere.length) {
      setProblem({ title: error.detail, detail: elsewhere.map((item) => `${item.field}: ${item.message}`).join("; ") });
    }
  };

  const saved = (row: Customer, text: string) => {
    queryClient.setQueryData(["customer", row.id], row);
    void queryClient.invalidateQueries({ queryKey: ["customers"] });
    void queryClient.invalidateQueries({ queryKey: ["customer", row.id] });
    void message.success(text);
    navigate(`/customers/${row.id}`);
  };

  const showConflict = async (against: Customer, values: FormValues) => {
    const current = await api.get<Customer>(`/customers/${against.id}`);
    queryClient.setQueryData(["customer", current.id], current);
    const payload = (row: Customer) => toPayload(toFormValues(row, definitions), definitions);
    setConflict({ current, changes: conflicts(payload(against), payload(current), toPayload(values, definitions)) });
  };

  /** `version`: the one to send as If-Match when it is not `against`'s (keeping mine over a newer record). */
  const save = async (values: FormValues, against: Customer | undefined = base, version = against?.version) => {
    setProblem(null);
    setSaving(true);
    try {
      if (!against) {
        creationKey.current ??= newKey();
        const row = await api.post<Customer>("/customers", createBody(values, definitions),
                                             { idempotencyKey: creationKey.current });
        saved(row, t("customers.form.created"));
        return;
      }
      const body = changedBody(toPayload(toFormValues(against, definitions), definitions), toPayload(values, definitions));
      const row = Object.keys(body).length
        ? await api.patch<Customer>(`/customers/${against.id}`, body, version) : against;
      setConflict(null);
      saved(row, t("customers.form.updated"));
    } catch (error) {
      // refused: the corrected form is a new attempt; no answer at all: retrying is the same attempt
      if (creating && error instanceof ApiError) creationKey.current = null;
      if (error instanceof ApiError && error.status === 412 && against) {
        await showConflict(against, values).catch(showError);
      } else {
        showError(error);
      }
    } finally {
      setSaving(false);
    }
  };

  const reload = () => {
    if (!conflict) return;
    setBase(conflict.current);
    form.resetFields();
    form.setFieldsValue(toFormValues(conflict.current, definitions));
    setConflict(null);
  };

  // what I changed since I opened the form wins; what only they changed stays theirs
  const overwrite = () => {
    if (!conflict) return;
    void save(form.getFieldsValue(true), base, conflict.current.version);
  };

  const title = creating ? t("customers.form.titleNew") : t("customers.form.titleEdit");
  const back = customer ? `/customers/${customer.id}` : "/customers";
  return (
    <section aria-labelledby="customer-form-title" style={{ maxWidth: 980 }}>
      <Typography.Title id="customer-form-title" level={1} style={{ fontSize: 22 }}>
        {customer ? `${title}: ${customer.name}` : title}
      </Typography.Title>
      {conflict && (
        <ConflictAlert changes={conflict.changes} definitions={definitions} busy={saving}
                       onReload={reload} onOverwrite={overwrite} />
      )}
      {problem && (
        <Alert type="error" showIcon role="alert" style={{ marginBottom: 16 }} title={problem.title}
               description={(problem.detail || problem.existingId) && (
                 <>
                   {problem.detail && <div>{problem.detail}</div>}
                   {problem.existingId && (
                     <Link to={`/customers/${problem.existingId}`}>{t("customers.form.phoneExistsLink")}</Link>
                   )}
                 </>
               )} />
      )}
      <Form<FormValues> form={form} layout="vertical" initialValues={initialValues} onFinish={() => save(form.getFieldsValue(true))}
                        scrollToFirstError>
        <CustomerFields definitions={definitions} creating={creating} customerId={customer?.id} />
        <Space style={{ marginTop: 8 }}>
          <Button type="primary" htmlType="submit" loading={saving}>{t("common.save")}</Button>
          <Button onClick={() => navigate(back)}>{t("common.cancel")}</Button>
        </Space>
      </Form>
    </section>
  );
}
