// The words of the work screens ("en" must name every key of "vi").
const vi = {
  "work.title": "work",
} as const;

const en: Record<keyof typeof vi, string> = {
  "work.title": "work",
};

export default { vi, en };
