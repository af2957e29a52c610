// The words of the interactions screens ("en" must name every key of "vi").
const vi = {
  "interactions.title": "interactions",
} as const;

const en: Record<keyof typeof vi, string> = {
  "interactions.title": "interactions",
};

export default { vi, en };
