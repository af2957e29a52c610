import { Flex, Form, Input, InputNumber, Radio, Select } from "antd";
import { useQuery } from "@tanstack/react-query";
import { api, type Page } from "../../../api/client";
import { useT } from "../../../i18n/I18nProvider";
import type { SlaJob } from "../../work/assignment/types";

/** Step 1 of "Giao việc": a job picked from those created, or a new one (Nội dung and Loại công việc
 * required, Mục tiêu optional) with its speed-to-lead deadline. */
export function AssignJobFields({ open }: { open: boolean }) {
  const t = useT();
  const form = Form.useFormInstance();
  const jobMode = Form.useWatch("jobMode", form);
  const sla = Form.useWatch("sla_minutes", form) as number | null | undefined;
  const jobs = useQuery({ queryKey: ["jobs", { limit: 100 }], enabled: open,
                          queryFn: () => api.get<Page<SlaJob>>("/jobs", { limit: 100 }) });
  const required = (text: string) => [{ required: true, whitespace: true, message: text }];
  const jobLabel = (job: SlaJob) => job.sla_minutes
    ? t("customers.assign.jobWithSla", { content: job.content, type: job.type, minutes: job.sla_minutes })
    : `${job.content} · ${job.type}`;
  return (
    <>
      <Form.Item name="jobMode" style={{ marginBottom: 12 }}>
        <Radio.Group optionType="button" aria-label={t("customers.assign.jobMode")} options={[
          { value: "existing", label: t("customers.assign.existingJob") },
          { value: "new", label: t("customers.assign.newJob") }]} />
      </Form.Item>
      {jobMode !== "new" ? (
        <Form.Item name="job_id" label={t("customers.assign.job")}
                   rules={[{ required: true, message: t("customers.assign.jobRequired") }]}>
          <Select showSearch={{ optionFilterProp: "label" }} loading={jobs.isLoading}
                  options={jobs.data?.items.map((job) => ({ value: job.id, label: jobLabel(job) }))} />
        </Form.Item>
      ) : (
        <Flex gap={12} wrap>
          <Form.Item name="content" label={t("customers.assign.jobContent")} style={{ flex: "2 1 240px" }}
                     rules={required(t("customers.assign.fieldRequired"))}>
            <Input maxLength={2000} />
          </Form.Item>
          <Form.Item name="type" label={t("customers.assign.jobType")} style={{ flex: "1 1 160px" }}
                     rules={required(t("customers.assign.fieldRequired"))}>
            <Input maxLength={100} />
          </Form.Item>
          <Form.Item name="target" label={t("customers.assign.jobTarget")} style={{ flex: "1 1 100%" }}>
            <Input maxLength={2000} />
          </Form.Item>
          <Form.Item name="sla_minutes" label={t("customers.assign.jobSla")} style={{ flex: "1 1 200px" }}
                     extra={t("customers.assign.jobSlaHint")}>
            <InputNumber min={1} max={43_200} precision={0} style={{ width: "100%" }} />
          </Form.Item>
          {sla ? (
            <Form.Item name="warn_before_minutes" label={t("customers.assign.jobWarn")} style={{ flex: "1 1 200px" }}
                       extra={t("customers.assign.jobWarnHint")} dependencies={["sla_minutes"]}
                       rules={[{ validator: (_, value: number | null | undefined) =>
                         value === null || value === undefined || value < sla ? Promise.resolve()
                           : Promise.reject(new Error(t("customers.assign.jobWarnTooLarge"))) }]}>
              <InputNumber min={0} max={43_199} precision={0} style={{ width: "100%" }} />
            </Form.Item>
          ) : null}
        </Flex>
      )}
    </>
  );
}
