import { useEffect, useRef, useState } from "react";
import { Input } from "antd";
import { useT } from "../../../i18n/I18nProvider";
import { useDebounced } from "./useDebounced";

interface Props {
  /** the search the list uses now (set from outside too: a saved filter) */
  value: string;
  onChange: (q: string) => void;
  loading: boolean;
}

/** The one search box: its keystrokes stay in here (the list does not re-render per key) and reach the list
 * once typing pauses; Enter sends at once. */
export function SearchBox({ value, onChange, loading }: Props) {
  const t = useT();
  const [text, setText] = useState(value);
  const settled = useDebounced(text);
  const sent = useRef(value);
  const emit = useRef(onChange);
  emit.current = onChange;
  useEffect(() => {
    if (settled !== sent.current) {
      sent.current = settled;
      emit.current(settled);
    }
  }, [settled]);
  useEffect(() => {
    if (value !== sent.current) {
      sent.current = value;
      setText(value);
    }
  }, [value]);
  const send = (now: string) => {
    sent.current = now;
    setText(now);
    onChange(now);
  };
  return (
    <Input.Search aria-label={t("customers.list.search")} placeholder={t("customers.list.searchPlaceholder")}
                  allowClear value={text} onChange={(event) => setText(event.target.value)} onSearch={send}
                  loading={loading} style={{ maxWidth: 380, flex: "1 1 240px" }} />
  );
}
