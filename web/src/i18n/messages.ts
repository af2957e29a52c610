// Every message of the console, by language; a feature adds its own file under messages/.
import admin from "./messages/admin";
import common from "./messages/common";
import customers from "./messages/customers";
import interactions from "./messages/interactions";
import work from "./messages/work";

const modules = [common, customers, interactions, work, admin] as const;

type Keys<M> = M extends { vi: infer V } ? keyof V : never;
export type MessageKey = Keys<(typeof modules)[number]>;

function merge(language: "vi" | "en"): Record<MessageKey, string> {
  return Object.assign({}, ...modules.map((module) => module[language]));
}

export const messages: Record<"vi" | "en", Record<MessageKey, string>> = { vi: merge("vi"), en: merge("en") };
