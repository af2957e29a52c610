import type { ReactNode } from "react";
import { Tag } from "antd";

// antd's preset tag colours are too pale for text (below 4.5:1): the same hues, darker text
const TONES = {
  green: { color: "#135200", background: "#f6ffed", borderColor: "#b7eb8f" },
  blue: { color: "#003eb3", background: "#e6f4ff", borderColor: "#91caff" },
  orange: { color: "#873800", background: "#fff7e6", borderColor: "#ffd591" },
  red: { color: "#a8071a", background: "#fff1f0", borderColor: "#ffa39e" },
  default: { color: "#262626", background: "#fafafa", borderColor: "#d9d9d9" },
} as const;

export type Tone = keyof typeof TONES;

export function ToneTag({ tone = "default", children }: { tone?: Tone | string; children: ReactNode }) {
  return <Tag style={TONES[(tone in TONES ? tone : "default") as Tone]}>{children}</Tag>;
}

/** A table's "nothing here" in readable grey (antd's own is 1.8:1). */
export function EmptyText({ children }: { children: ReactNode }) {
  return <span style={{ color: "#595959" }}>{children}</span>;
}
