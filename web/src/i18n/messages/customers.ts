// The words of the customers screens ("en" must name every key of "vi").
const vi = {
  "customers.title": "customers",
} as const;

const en: Record<keyof typeof vi, string> = {
  "customers.title": "customers",
};

export default { vi, en };
