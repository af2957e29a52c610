// Typography's look for the first screen's few words (the list's title and count, the header's
// name), without Typography's machinery for copying, editing and measured ellipsis, ~4 KB gzipped
// of that screen's budget. Other screens use antd's Typography.
import type { HTMLAttributes, ReactNode } from "react";
import { theme } from "antd";

type TextProps = HTMLAttributes<HTMLSpanElement> & { strong?: boolean; secondary?: boolean; "data-testid"?: string };

export function Text({ strong, secondary, style, ...props }: TextProps) {
  const { token } = theme.useToken();
  return <span {...props} style={{ ...(strong && { fontWeight: token.fontWeightStrong }),
                                    ...(secondary && { color: token.colorTextDescription }), ...style }} />;
}

export function PageTitle({ id, children }: { id?: string; children: ReactNode }) {
  const { token } = theme.useToken();
  return <h1 id={id} style={{ fontSize: 22, margin: 0, fontWeight: token.fontWeightStrong, lineHeight: 1.35,
                              color: token.colorTextHeading }}>{children}</h1>;
}
