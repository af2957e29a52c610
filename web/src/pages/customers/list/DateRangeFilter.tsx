// antd's DatePicker (and its calendar engine) is ~31 KB gzipped: the list's first paint shows the date
// filter as a field and loads the picker when the user reaches for it.
import { DatePicker } from "antd";
import dayjs from "dayjs";
import { DATE } from "../../../lib/format";

export interface DateRangeProps {
  label: string;
  placeholder: string;
  from?: string;
  to?: string;
  onChange: (from?: string, to?: string) => void;
  /** opened by the user's click on the field it replaced */
  autoOpen?: boolean;
}

export default function DateRangeFilter({ label, placeholder, from, to, onChange, autoOpen }: DateRangeProps) {
  const range = from || to ? [from ? dayjs(from) : null, to ? dayjs(to) : null] as const : null;
  return <DatePicker.RangePicker aria-label={label} format={DATE} allowEmpty={[true, true]} autoFocus={autoOpen}
                                 defaultOpen={autoOpen} value={range as never} placeholder={[placeholder, placeholder]}
                                 onChange={(dates) => onChange(dates?.[0]?.format("YYYY-MM-DD"),
                                                               dates?.[1]?.format("YYYY-MM-DD"))} />;
}
