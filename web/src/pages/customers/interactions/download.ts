// A file of the API saved by the browser: a plain link would carry no Authorization header, so the
// file is fetched with the bearer token and handed to the browser as a blob.
import { ApiError, request, url } from "../../../api/client";
import { session } from "../../../auth/session";
import { currentLanguage } from "../../../i18n/language";

async function fetchFile(path: string, token: string | null): Promise<Response> {
  const headers: Record<string, string> = { "Accept-Language": currentLanguage() };
  if (token) headers.Authorization = `Bearer ${token}`;
  return fetch(url(path), { headers, credentials: "same-origin" });
}

export async function downloadFile(path: string, filename: string): Promise<void> {
  let response = await fetchFile(path, await session.accessToken());
  if (response.status === 401 && (await session.renew())) response = await fetchFile(path, await session.accessToken());
  if (!response.ok) {
    const body = await response.json().catch(() => ({}));
    throw new ApiError(response.status, body as Record<string, unknown>);
  }
  const blob = await response.blob();
  const link = document.createElement("a");
  link.href = URL.createObjectURL(blob);
  link.download = filename;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
}

/** Upload a file as the raw body (the API streams it; the name goes in ?filename=). */
export async function uploadFile<T>(path: string, file: File): Promise<T> {
  const response = await request<T>("POST", path, {
    raw: file, query: { filename: file.name },
    headers: { "Content-Type": file.type || "application/octet-stream" },
  });
  return response.data;
}

export function fileSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
