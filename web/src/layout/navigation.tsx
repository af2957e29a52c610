import type { ReactNode } from "react";
import {
  ApartmentOutlined, AuditOutlined, BellOutlined, CalendarOutlined, CloudUploadOutlined, CustomerServiceOutlined,
  FileProtectOutlined, HeartOutlined, SettingOutlined, SwapOutlined, TeamOutlined,
} from "@ant-design/icons";
import type { MessageKey } from "../i18n/messages";

export interface NavItem {
  path: string;
  label: MessageKey;
  icon?: ReactNode;
  /** shown only to these roles (everyone when absent) */
  roles?: string[];
  children?: NavItem[];
}

export const navigation: NavItem[] = [
  { path: "/customers", label: "nav.customers", icon: <TeamOutlined /> },
  { path: "/assignments", label: "nav.assignment", icon: <SwapOutlined /> },
  { path: "/appointments", label: "nav.appointments", icon: <CalendarOutlined /> },
  { path: "/care-tickets", label: "nav.careTickets", icon: <HeartOutlined /> },
  { path: "/support-tickets", label: "nav.supportTickets", icon: <CustomerServiceOutlined /> },
  { path: "/notifications", label: "nav.notifications", icon: <BellOutlined /> },
  { path: "/imports", label: "nav.imports", icon: <CloudUploadOutlined /> },
  { path: "/compensation", label: "nav.compensation", icon: <FileProtectOutlined /> },
  { path: "/compensation/review", label: "nav.compensationReview", icon: <AuditOutlined />, roles: ["reviewer", "admin"] },
  {
    path: "/admin", label: "nav.admin", icon: <SettingOutlined />, roles: ["admin"],
    children: [
      { path: "/admin/units", label: "nav.units", icon: <ApartmentOutlined /> },
      { path: "/admin/users", label: "nav.users" },
      { path: "/admin/attributes", label: "nav.attributes" },
      { path: "/admin/statuses", label: "nav.statuses" },
      { path: "/admin/labels", label: "nav.labels" },
      { path: "/admin/groups", label: "nav.groups" },
      { path: "/admin/api-keys", label: "nav.apiKeys" },
      { path: "/admin/compensation", label: "nav.compensationSettings" },
    ],
  },
];
