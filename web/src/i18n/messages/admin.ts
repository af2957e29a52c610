// The words of the admin screens ("en" must name every key of "vi").
const vi = {
  "admin.title": "admin",
} as const;

const en: Record<keyof typeof vi, string> = {
  "admin.title": "admin",
};

export default { vi, en };
