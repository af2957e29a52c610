// Every message of the console, by language; a feature adds its own file under messages/. The shell's
// and the customer list's words come with the first screen; the others (~9 KB gzipped) with the screens
// that use them (`withMessages` in a feature's routes).
import common from "./messages/common";
import customers from "./messages/customers";
import type admin from "./messages/admin";
import type customer from "./messages/customer";
import type customerDialogs from "./messages/customerDialogs";
import type interactions from "./messages/interactions";
import type work from "./messages/work";
import type imports from "./messages/imports";
import type compensation from "./messages/compensation";

type Module = typeof common | typeof customers | typeof customer | typeof customerDialogs | typeof interactions | typeof work | typeof admin | typeof imports
  | typeof compensation;
type Keys<M> = M extends { vi: infer V } ? keyof V : never;
export type MessageKey = Keys<Module>;
type Catalog = Partial<Record<MessageKey, string>>;

export const messages: Record<"vi" | "en", Catalog> = { vi: {}, en: {} };

function add(module: Module): void {
  Object.assign(messages.vi, module.vi);
  Object.assign(messages.en, module.en);
}
add(common);
add(customers);

const LATER = {
  admin: () => import("./messages/admin"),
  customer: () => import("./messages/customer"),
  customerDialogs: () => import("./messages/customerDialogs"),
  interactions: () => import("./messages/interactions"),
  work: () => import("./messages/work"),
  imports: () => import("./messages/imports"),
  compensation: () => import("./messages/compensation"),
};
export type Feature = keyof typeof LATER;

export function loadMessages(features: Feature[]): Promise<void> {
  return Promise.all(features.map((feature) => LATER[feature]().then((module) => add(module.default))))
    .then(() => undefined);
}

/** A lazy page's module, loaded together with the words it shows. */
export function withMessages<T>(features: Feature[], load: () => Promise<T>): () => Promise<T> {
  return () => Promise.all([load(), loadMessages(features)]).then(([module]) => module);
}
