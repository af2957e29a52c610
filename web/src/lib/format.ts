// Dates as the guides show them: dd/mm/yyyy, in Vietnam's time (Asia/Ho_Chi_Minh), whatever the
// browser's own zone.
import dayjs from "dayjs";
import utc from "dayjs/plugin/utc";
import timezone from "dayjs/plugin/timezone";
import relativeTime from "dayjs/plugin/relativeTime";

dayjs.extend(utc);
dayjs.extend(timezone);
dayjs.extend(relativeTime);

export const ZONE = "Asia/Ho_Chi_Minh";
export const DATE = "DD/MM/YYYY";
export const DATE_TIME = "DD/MM/YYYY HH:mm";

export function formatDate(value: string | null | undefined): string {
  return value ? dayjs(value).tz(ZONE).format(DATE) : "";
}

export function formatDateTime(value: string | null | undefined): string {
  return value ? dayjs(value).tz(ZONE).format(DATE_TIME) : "";
}

export function fromNow(value: string | null | undefined): string {
  return value ? dayjs(value).fromNow() : "";
}

export function inZone(value: string | Date): dayjs.Dayjs {
  return dayjs(value).tz(ZONE);
}
