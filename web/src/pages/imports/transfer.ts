// Files to and from the import API. The upload goes through XMLHttpRequest, the only browser API that
// reports upload progress; like api/client it sends the session's bearer token and, after a 401,
// renews it once and sends the file again.
import { ApiError, url } from "../../api/client";
import { session } from "../../auth/session";
import { currentLanguage } from "../../i18n/language";
import { saveFile } from "../customers/list/saveFile";
import type { UploadedFile } from "./types";

interface Sent {
  status: number;
  body: Record<string, unknown>;
}

function send(file: File, token: string | null, onProgress: (percent: number) => void, signal?: AbortSignal):
  Promise<Sent> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", url("/imports/uploads", { filename: file.name }));
    xhr.setRequestHeader("Accept-Language", currentLanguage());
    xhr.setRequestHeader("Content-Type", file.type || "application/octet-stream");
    if (token) xhr.setRequestHeader("Authorization", `Bearer ${token}`);
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress(Math.round((event.loaded / event.total) * 100));
    };
    xhr.onload = () => {
      let body: Record<string, unknown> = {};
      try {
        body = xhr.responseText ? (JSON.parse(xhr.responseText) as Record<string, unknown>) : {};
      } catch {
        body = { detail: xhr.responseText };
      }
      resolve({ status: xhr.status, body });
    };
    xhr.onerror = () => reject(new ApiError(0, {}));
    xhr.onabort = () => reject(new DOMException("aborted", "AbortError"));
    signal?.addEventListener("abort", () => xhr.abort(), { once: true });
    xhr.send(file);
  });
}

/** Upload a spreadsheet, reporting 0..100 as it goes; the API says what it found in it. */
export async function uploadSpreadsheet(file: File, onProgress: (percent: number) => void, signal?: AbortSignal):
  Promise<UploadedFile> {
  let sent = await send(file, await session.accessToken(), onProgress, signal);
  if (sent.status === 401 && (await session.renew())) sent = await send(file, await session.accessToken(), onProgress, signal);
  if (sent.status === 401) session.expired();
  if (sent.status < 200 || sent.status >= 300) throw new ApiError(sent.status, sent.body);
  return sent.body as unknown as UploadedFile;
}

export function downloadTemplate(filename: string): Promise<void> {
  return saveFile("/imports/template.xlsx", filename);
}

export function downloadResult(path: string, filename: string): Promise<void> {
  return saveFile(path, filename);
}
