// Server-Sent Events over fetch: EventSource cannot send an Authorization header, so the stream is
// read with fetch + ReadableStream and parsed here (the WHATWG "event stream" format: `id:`,
// `event:`, `data:`, `retry:` lines, a blank line ends an event, `:` starts a comment). The follower
// reconnects when the stream ends (the server closes it when the access token expires) with a fresh
// token and Last-Event-ID, backing off after failures, until its signal is aborted.

export interface SseEvent {
  /** the last event id seen so far (also of earlier events when this one carries none) */
  id: string | undefined;
  event: string;
  data: string;
}

/** Incremental parser: push text chunks as they arrive, get the events they complete. */
export class SseParser {
  lastEventId: string | undefined;
  retry: number | undefined;
  private buffer = "";
  private data: string[] = [];
  private event = "";

  constructor(lastEventId?: string) {
    this.lastEventId = lastEventId;
  }

  push(chunk: string): SseEvent[] {
    this.buffer += chunk;
    const events: SseEvent[] = [];
    for (;;) {
      const end = this.buffer.search(/[\r\n]/);
      if (end < 0) break;
      // a "\r" at the very end may be the first half of "\r\n": wait for the next chunk
      if (this.buffer[end] === "\r" && end === this.buffer.length - 1) break;
      const width = this.buffer.startsWith("\r\n", end) ? 2 : 1;
      const line = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + width);
      const event = this.line(line);
      if (event) events.push(event);
    }
    return events;
  }

  private line(line: string): SseEvent | null {
    if (line === "") return this.dispatch();
    if (line.startsWith(":")) return null;
    const colon = line.indexOf(":");
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    if (field === "data") this.data.push(value);
    else if (field === "event") this.event = value;
    else if (field === "id" && !value.includes("\0")) this.lastEventId = value;
    else if (field === "retry" && /^\d+$/.test(value)) this.retry = Number(value);
    return null;
  }

  private dispatch(): SseEvent | null {
    const data = this.data;
    const event = this.event || "message";
    this.data = [];
    this.event = "";
    if (data.length === 0) return null;
    return { id: this.lastEventId, event, data: data.join("\n") };
  }
}

export interface FollowOptions {
  url: string;
  /** the current access token (renewed by the session when about to expire); null: signed out */
  token: () => Promise<string | null>;
  /** after a 401: a new token, or false when the session is gone */
  renew: () => Promise<boolean>;
  onEvent: (event: SseEvent) => void;
  /** each time a stream opens (also after a reconnect) */
  onOpen?: () => void;
  headers?: Record<string, string>;
  signal: AbortSignal;
  /** first wait after a failure, doubled up to `maxDelayMs` */
  initialDelayMs?: number;
  maxDelayMs?: number;
}

export function nextDelay(current: number, max: number): number {
  return Math.min(current * 2, max);
}

function wait(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => { clearTimeout(timer); resolve(); }, { once: true });
  });
}

/** Follow an event stream until `signal` aborts or the session ends. */
export async function followEventStream(options: FollowOptions): Promise<void> {
  const { signal } = options;
  const initial = options.initialDelayMs ?? 1000;
  const max = options.maxDelayMs ?? 30_000;
  let delay = initial;
  let lastEventId: string | undefined;
  let retry = initial;
  while (!signal.aborted) {
    let ended = false;
    try {
      const token = await options.token();
      if (!token) return;
      const headers: Record<string, string> = { Accept: "text/event-stream", ...options.headers,
                                                Authorization: `Bearer ${token}` };
      if (lastEventId) headers["Last-Event-ID"] = lastEventId;
      const response = await fetch(options.url, { headers, signal, cache: "no-store", credentials: "same-origin" });
      if (response.status === 401) {
        if (!(await options.renew())) return;
      } else if (response.ok && response.body) {
        options.onOpen?.();
        delay = initial;
        const parser = new SseParser(lastEventId);
        const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          for (const event of parser.push(value)) {
            lastEventId = event.id;
            options.onEvent(event);
          }
        }
        lastEventId = parser.lastEventId;
        retry = parser.retry ?? retry;
        ended = true;
      }
    } catch {
      if (signal.aborted) return;
    }
    // a stream that ended normally comes back after the server's `retry`; a failure backs off
    await wait(ended ? retry : delay, signal);
    if (!ended) delay = nextDelay(delay, max);
  }
}
