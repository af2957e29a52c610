import type { ReactNode } from "react";
import { Card, Flex, Spin } from "antd";

/** A phone's list: one card per row (antd's List is deprecated in v6). */
export default function CardList<T>({ items, loading, empty, rowKey, testId, render }: {
  items: T[]; loading: boolean; empty: ReactNode; rowKey: (row: T) => string; testId: string;
  render: (row: T) => ReactNode;
}) {
  if (loading) return <Spin />;
  if (!items.length) return <div style={{ padding: "16px 0", textAlign: "center" }}>{empty}</div>;
  return (
    <Flex vertical gap={8}>
      {items.map((row) => (
        <Card key={rowKey(row)} size="small" data-testid={testId}>{render(row)}</Card>
      ))}
    </Flex>
  );
}
