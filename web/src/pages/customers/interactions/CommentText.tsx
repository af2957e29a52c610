import { Typography } from "antd";

const TOKENS = /((?<![\w#&])#[\p{L}\p{N}_]+|(?<![\w@.])@[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9_])?)/gu;

/** A comment's text as text, its #hashtags and @mentions set apart. */
export function CommentText({ text }: { text: string }) {
  const parts = text.split(TOKENS);
  return (
    <Typography.Paragraph style={{ whiteSpace: "pre-wrap", marginBottom: 4 }}>
      {parts.map((part, index) =>
        index % 2 === 1
          ? <Typography.Text key={index} strong style={{ color: "#0958d9" }}>{part}</Typography.Text>
          : <span key={index}>{part}</span>)}
    </Typography.Paragraph>
  );
}
