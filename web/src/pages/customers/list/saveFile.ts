// An export's file saved by the browser: a plain link would carry no Authorization header, so the
// file is fetched with the bearer token and handed to the browser as a blob.
import { API, ApiError, url } from "../../../api/client";
import { session } from "../../../auth/session";
import { currentLanguage } from "../../../i18n/language";

async function fetchFile(path: string, token: string | null): Promise<Response> {
  const headers: Record<string, string> = { "Accept-Language": currentLanguage() };
  if (token) headers.Authorization = `Bearer ${token}`;
  return fetch(url(path.startsWith(API) ? path.slice(API.length) : path), { headers, credentials: "same-origin" });
}

export async function saveFile(path: string, filename: string): Promise<void> {
  let response = await fetchFile(path, await session.accessToken());
  if (response.status === 401 && (await session.renew())) response = await fetchFile(path, await session.accessToken());
  if (!response.ok) throw new ApiError(response.status, await response.json().catch(() => ({})));
  const link = document.createElement("a");
  link.href = URL.createObjectURL(await response.blob());
  link.download = filename;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
}
