import type { ReactNode } from "react";
import { Flex, Typography } from "antd";

/** The frame of an admin screen: its one h1, the actions beside it, the content. */
export function AdminPage({ id, title, extra, children }: { id: string; title: string; extra?: ReactNode; children: ReactNode }) {
  return (
    <section aria-labelledby={`${id}-title`}>
      <Flex justify="space-between" align="center" wrap gap={8} style={{ marginBottom: 16 }}>
        <Typography.Title id={`${id}-title`} level={1} style={{ fontSize: 22, margin: 0 }}>{title}</Typography.Title>
        {extra}
      </Flex>
      {children}
    </section>
  );
}
