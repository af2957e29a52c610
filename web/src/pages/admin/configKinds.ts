import type { ConfigKind } from "./ConfigItemsPage";

export const STATUSES: ConfigKind = {
  id: "statuses", path: "/customer-statuses", title: "statuses.title", add: "statuses.add", nameLabel: "admin.name",
  fields: ["name_en", "key", "position"],
};

export const LABELS: ConfigKind = {
  id: "labels", path: "/customer-labels", title: "labels.title", add: "labels.add", nameLabel: "admin.name",
  fields: ["name_en", "category", "key", "position"],
};

/** seed 004, "Tạo nhóm khách hàng": Tên nhóm and Mô tả, both required */
export const GROUPS: ConfigKind = {
  id: "groups", path: "/customer-groups", title: "groups.title", add: "groups.add", nameLabel: "groups.name",
  nameRequired: "groups.nameRequired", fields: ["description"], required: ["description"],
};
