import { describe, expect, it } from "vitest";
import { followEventStream, nextDelay, SseParser } from "./sse";

describe("SseParser", () => {
  it("reads id, event and data lines up to a blank line", () => {
    const parser = new SseParser();
    const events = parser.push('id: 7\nevent: notification\ndata: {"id":7}\n\n');
    expect(events).toEqual([{ id: "7", event: "notification", data: '{"id":7}' }]);
    expect(parser.lastEventId).toBe("7");
  });

  it("keeps an event split across chunks until it is complete", () => {
    const parser = new SseParser();
    expect(parser.push("id: 1\nevent: notif")).toEqual([]);
    expect(parser.push("ication\ndata: a")).toEqual([]);
    expect(parser.push("bc\n")).toEqual([]);
    expect(parser.push("\n")).toEqual([{ id: "1", event: "notification", data: "abc" }]);
  });

  it("joins data lines, ignores comments, reads retry, and accepts CRLF and CR", () => {
    const parser = new SseParser();
    const events = parser.push("retry: 3000\r\n: connected\r\n\r\ndata: one\rdata: two\r\n\n: heartbeat\n\n");
    expect(parser.retry).toBe(3000);
    expect(events).toEqual([{ id: undefined, event: "message", data: "one\ntwo" }]);
  });

  it("waits when a chunk ends between CR and LF", () => {
    const parser = new SseParser();
    expect(parser.push("data: x\r")).toEqual([]);
    expect(parser.push("\n\r\n")).toEqual([{ id: undefined, event: "message", data: "x" }]);
  });

  it("keeps the last id for events without one, and resumes from a given id", () => {
    const parser = new SseParser("41");
    expect(parser.push("data: a\n\nid: 42\ndata: b\n\ndata: c\n\n").map((event) => event.id)).toEqual(["41", "42", "42"]);
  });

  it("takes a field without a colon as empty and keeps a value's own spaces after the first", () => {
    const parser = new SseParser();
    expect(parser.push("data\ndata:  two spaces\n\n")).toEqual([{ id: undefined, event: "message", data: "\n two spaces" }]);
  });
});

describe("nextDelay", () => {
  it("doubles up to the maximum", () => {
    expect(nextDelay(1000, 30_000)).toBe(2000);
    expect(nextDelay(20_000, 30_000)).toBe(30_000);
  });
});

describe("followEventStream", () => {
  function streamOf(text: string): Response {
    return new Response(new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(text));
        controller.close();
      },
    }), { status: 200, headers: { "Content-Type": "text/event-stream" } });
  }

  it("reconnects when the stream ends, with a fresh token and Last-Event-ID, and stops when aborted", async () => {
    const controller = new AbortController();
    const calls: { auth: string; last: string | null }[] = [];
    const received: string[] = [];
    const tokens = ["first", "second"];
    const answers = [
      () => streamOf("retry: 1\n\nid: 5\nevent: notification\ndata: a\n\n"),
      () => new Response(null, { status: 401 }),
      () => streamOf("id: 6\nevent: notification\ndata: b\n\n"),
    ];
    const realFetch = globalThis.fetch;
    globalThis.fetch = (async (_url: string, init: RequestInit) => {
      const headers = init.headers as Record<string, string>;
      calls.push({ auth: headers.Authorization, last: headers["Last-Event-ID"] ?? null });
      const answer = answers.shift();
      if (!answer) {
        controller.abort();
        throw new DOMException("aborted", "AbortError");
      }
      return answer();
    }) as typeof fetch;
    try {
      await followEventStream({
        url: "/api/v1/notifications/stream", signal: controller.signal, initialDelayMs: 1,
        token: async () => tokens[0],
        renew: async () => { tokens.shift(); return true; },
        onEvent: (event) => received.push(`${event.id}:${event.data}`),
      });
    } finally {
      globalThis.fetch = realFetch;
    }
    expect(received).toEqual(["5:a", "6:b"]);
    expect(calls).toEqual([
      { auth: "Bearer first", last: null },
      { auth: "Bearer first", last: "5" },
      { auth: "Bearer second", last: "5" },
      { auth: "Bearer second", last: "6" },
    ]);
  });

  it("stops at once when signed out (no token)", async () => {
    let fetched = false;
    const realFetch = globalThis.fetch;
    globalThis.fetch = (async () => { fetched = true; return new Response(null); }) as typeof fetch;
    try {
      await followEventStream({ url: "/x", signal: new AbortController().signal, token: async () => null,
                                renew: async () => false, onEvent: () => undefined });
    } finally {
      globalThis.fetch = realFetch;
    }
    expect(fetched).toBe(false);
  });
});
