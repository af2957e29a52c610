import type { ReactNode } from "react";
import { Drawer } from "antd";

/** The navigation on a phone, loaded when first opened (antd's Drawer is ~5 KB gzipped). */
export default function NavDrawer({ open, title, onClose, children }:
  { open: boolean; title: string; onClose: () => void; children: ReactNode }) {
  return <Drawer placement="left" open={open} onClose={onClose} title={title} size={260}>{children}</Drawer>;
}
