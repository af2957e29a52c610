// The reader's language: Vietnamese unless they switched (remembered in this browser).
export type Language = "vi" | "en";
const KEY = "crm.language";

let language: Language = readStored();

function readStored(): Language {
  try {
    return localStorage.getItem(KEY) === "en" ? "en" : "vi";
  } catch {
    return "vi";
  }
}

export function currentLanguage(): Language {
  return language;
}

export function storeLanguage(next: Language): void {
  language = next;
  try {
    localStorage.setItem(KEY, next);
  } catch {
    /* private mode: the choice lasts for this page */
  }
  document.documentElement.lang = next;
}
