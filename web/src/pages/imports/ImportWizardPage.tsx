import { useState } from "react";
import { Alert, Button, Card, Flex, Form, Steps, Typography } from "antd";
import { useQueryClient } from "@tanstack/react-query";
import { useNavigate } from "../../lib/router";
import { ApiError, request } from "../../api/client";
import { useT } from "../../i18n/I18nProvider";
import { useFeedback } from "../../lib/feedback";
import { FileStep } from "./FileStep";
import { GroupStep } from "./GroupStep";
import { MappingStep } from "./MappingStep";
import { downloadTemplate } from "./transfer";
import type { ImportJob, UploadedFile } from "./types";
import { formPath, importRequest, INITIAL_VALUES, type WizardPath, type WizardValues } from "./wizard";

/** "Thêm mới nhiều khách hàng" (seed 004, 2.2): the group, the file, the columns, then "Lưu". */
export default function ImportWizardPage() {
  const t = useT();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const { message } = useFeedback();
  const [form] = Form.useForm<WizardValues>();
  const mode = Form.useWatch("mode", { form, preserve: true }) ?? "quick";
  const [step, setStep] = useState(0);
  const [file, setFile] = useState<UploadedFile | null>(null);
  const [fileMissing, setFileMissing] = useState(false);
  const [saving, setSaving] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [downloadingTemplate, setDownloadingTemplate] = useState(false);
  const lastStep = mode === "template" ? 1 : 2;

  const template = async () => {
    setDownloadingTemplate(true);
    try {
      await downloadTemplate(t("imp.templateName"));
    } catch (error) {
      void message.error(error instanceof ApiError ? error.detail : t("common.error"));
    } finally {
      setDownloadingTemplate(false);
    }
  };

  const uploaded = (next: UploadedFile | null) => {
    setFile(next);
    setFileMissing(false);
    form.setFieldsValue({ sheet: next?.sheets[0]?.index ?? 0, startRow: undefined, mapping: {} });
  };

  const next = async () => {
    await form.validateFields();
    if (step === 1 && !file) {
      setFileMissing(true);
      return;
    }
    setStep(step + 1);
  };

  const save = async () => {
    setProblem(null);
    try {
      await form.validateFields();
    } catch {
      return;
    }
    if (!file) {
      setFileMissing(true);
      return;
    }
    setSaving(true);
    try {
      const started = await request<ImportJob>("POST", "/imports", { body: importRequest(file.id, form.getFieldsValue(true)) });
      void message.success(started.status === 200 ? t("imp.sameJob") : t("imp.started"));
      void queryClient.invalidateQueries({ queryKey: ["imports"] });
      void queryClient.invalidateQueries({ queryKey: ["customer-groups"] });
      navigate(`/imports/${started.data.id}`);
    } catch (error) {
      showProblem(error);
    } finally {
      setSaving(false);
    }
  };

  const showProblem = (error: unknown) => {
    if (!(error instanceof ApiError)) {
      setProblem(t("common.error"));
      return;
    }
    const onFields = error.errors.map((item) => ({ path: formPath(item.field), message: item.message }))
      .filter((item): item is { path: WizardPath; message: string } => item.path !== null);
    if (onFields.some((item) => item.path[0] === "groupName" || item.path[0] === "groupId")) setStep(0);
    if (onFields.length) form.setFields(onFields.map((item) => ({ name: item.path, errors: [item.message] })));
    const elsewhere = error.errors.filter((item) => formPath(item.field) === null).map((item) => item.message);
    if (elsewhere.length || !onFields.length) setProblem(elsewhere.length ? elsewhere.join(" ") : error.detail);
  };

  const steps = [
    { key: "group", title: t("imp.step.group") },
    { key: "file", title: t("imp.step.file") },
    ...(mode === "quick" ? [{ key: "mapping", title: t("imp.step.mapping") }] : []),
  ];

  return (
    <section>
      <Typography.Title level={1} style={{ fontSize: 22 }}>{t("imp.newTitle")}</Typography.Title>
      <nav aria-label={t("imp.steps")}>
        <Steps current={step} items={steps} size="small" style={{ marginBottom: 16 }} />
      </nav>
      <Card>
        <Form<WizardValues> form={form} layout="vertical" initialValues={INITIAL_VALUES} requiredMark>
          {step === 0 && <GroupStep onTemplate={() => void template()} downloadingTemplate={downloadingTemplate} />}
          {step === 1 && <FileStep file={file} onUploaded={uploaded} />}
          {step === 2 && file && <MappingStep file={file} />}
        </Form>
        {fileMissing && <Alert type="error" showIcon title={t("imp.chooseFile")} style={{ marginTop: 12 }} />}
        {problem && <Alert type="error" showIcon title={problem} style={{ marginTop: 12 }} />}
        <Flex gap={8} wrap justify="flex-end" style={{ marginTop: 16 }}>
          <Button onClick={() => navigate("/imports")}>{t("imp.cancel")}</Button>
          {step > 0 && <Button onClick={() => setStep(step - 1)}>{t("imp.back")}</Button>}
          {step < lastStep
            ? <Button type="primary" onClick={() => void next().catch(() => undefined)}>{t("imp.next")}</Button>
            : <Button type="primary" onClick={() => void save()} loading={saving}>{t("imp.save")}</Button>}
        </Flex>
      </Card>
    </section>
  );
}
