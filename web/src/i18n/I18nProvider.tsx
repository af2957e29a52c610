import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from "react";
import dayjs from "dayjs";
import "dayjs/locale/vi";
import { currentLanguage, storeLanguage, type Language } from "./language";
import { messages, type MessageKey } from "./messages";

export type Translate = (key: MessageKey, values?: Record<string, string | number>) => string;

interface I18n {
  language: Language;
  setLanguage: (language: Language) => void;
  t: Translate;
}

const I18nContext = createContext<I18n | null>(null);

export function translate(language: Language, key: MessageKey, values?: Record<string, string | number>): string {
  const text = messages[language][key] ?? messages.vi[key] ?? key;
  return values ? text.replace(/\{(\w+)\}/g, (_, name: string) => String(values[name] ?? `{${name}}`)) : text;
}

export function I18nProvider({ children }: { children: ReactNode }) {
  const [language, setLanguageState] = useState<Language>(currentLanguage());
  dayjs.locale(language);
  const setLanguage = useCallback((next: Language) => {
    storeLanguage(next);
    dayjs.locale(next);
    setLanguageState(next);
  }, []);
  const t = useCallback<Translate>((key, values) => translate(language, key, values), [language]);
  const value = useMemo(() => ({ language, setLanguage, t }), [language, setLanguage, t]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const context = useContext(I18nContext);
  if (!context) throw new Error("useI18n outside I18nProvider");
  return context;
}

export function useT(): Translate {
  return useI18n().t;
}
