// public/sw.js, run in a context of its own with a stand-in for the worker's
// `self`: what it shows for a push, and what Done and Tomorrow send.
import { describe, expect, it, vi } from "vitest";
import { runInNewContext } from "node:vm";
import source from "../public/sw.js?raw";

interface Shown {
  title: string;
  body?: string;
  tag?: string;
  data?: Record<string, unknown>;
  actions?: { action: string; title: string }[];
  icon?: string;
  close: () => void;
}

interface Sent {
  url: string;
  method: string;
  headers: Record<string, string>;
  body?: string;
  credentials?: string;
}

type Listener = (event: Record<string, unknown>) => void;

const PAYLOAD = {
  title: "Due soon: Call the bank",
  body: "Due at 14:30",
  tag: "taskspin:due_soon:42",
  url: "/tasks/42",
  tasks: [{ id: 42, version: 3, title: "Call the bank", tomorrow: { due_at: "2026-12-03T14:30:00Z" } }],
};

/** The worker, with every task request answered `status` (or by `answer`). */
function worker(answer: (request: Sent) => number = () => 200) {
  const listeners = new Map<string, Listener>();
  let shown: Shown[] = [];
  const sent: Sent[] = [];
  const posted: unknown[] = [];
  const windows: { url: string; focus: () => Promise<unknown>; navigate: (url: string) => Promise<unknown>; postMessage: (m: unknown) => void }[] = [];
  const self = {
    location: { origin: "https://app.example" },
    addEventListener: (type: string, listener: Listener) => listeners.set(type, listener),
    skipWaiting: vi.fn(() => Promise.resolve()),
    clients: {
      claim: vi.fn(() => Promise.resolve()),
      matchAll: vi.fn(() => Promise.resolve(windows)),
      openWindow: vi.fn(() => Promise.resolve(null)),
    },
    registration: {
      showNotification: vi.fn((title: string, options: Omit<Shown, "title" | "close">) => {
        const notification: Shown = {
          title,
          ...options,
          close: () => {
            shown = shown.filter((n) => n !== notification);
          },
        };
        shown = [...shown.filter((n) => n.tag === undefined || n.tag !== options.tag), notification];
        return Promise.resolve();
      }),
      getNotifications: vi.fn(({ tag }: { tag: string }) => Promise.resolve(shown.filter((n) => n.tag === tag))),
    },
  };
  const fetch = vi.fn((url: string, init: Omit<Sent, "url">) => {
    const request = { url, ...init };
    sent.push(request);
    return Promise.resolve({ status: answer(request) });
  });
  runInNewContext(source, { self, fetch, URL, console });

  async function dispatch(type: string, event: Record<string, unknown>) {
    const waits: Promise<unknown>[] = [];
    const listener = listeners.get(type);
    if (!listener) throw new Error(`no ${type} listener`);
    listener({ ...event, waitUntil: (promise: Promise<unknown>) => waits.push(promise) });
    await Promise.all(waits);
  }
  const push = (text: string) =>
    dispatch("push", {
      data: {
        json: () => JSON.parse(text) as unknown,
        text: () => text,
      },
    });
  const click = (action: string) => {
    const notification = shown[0];
    if (!notification) throw new Error("nothing shown");
    return dispatch("notificationclick", { notification, action });
  };
  const message = async (data: unknown) => {
    let reply: unknown;
    await dispatch("message", { data, ports: [{ postMessage: (r: unknown) => (reply = r) }] });
    return reply;
  };
  return { self, fetch, sent, posted, windows, shown: () => shown, push, click, message, dispatch };
}

describe("the service worker", () => {
  it("takes over at once", async () => {
    const w = worker();
    await w.dispatch("install", {});
    await w.dispatch("activate", {});
    expect(w.self.skipWaiting).toHaveBeenCalled();
    expect(w.self.clients.claim).toHaveBeenCalled();
  });

  it("shows a pushed reminder with Done and Tomorrow, and ignores what is not JSON", async () => {
    const w = worker();
    await w.push("not json");
    await w.push('{"no": "title"}');
    expect(w.shown()).toHaveLength(0);
    await w.push(JSON.stringify(PAYLOAD));
    const [shown] = w.shown();
    expect(shown?.title).toBe("Due soon: Call the bank");
    expect(shown?.body).toBe("Due at 14:30");
    expect(shown?.tag).toBe("taskspin:due_soon:42");
    expect(shown?.icon).toBe("/favicon.svg");
    expect(shown?.data).toEqual(PAYLOAD);
    expect(shown?.actions?.map((a) => [a.action, a.title])).toEqual([
      ["done", "Done"],
      ["tomorrow", "Tomorrow"],
    ]);
  });

  it("Done completes each task with its version, and closes the reminder", async () => {
    const w = worker();
    await w.push(JSON.stringify({ ...PAYLOAD, url: "/today", tasks: [PAYLOAD.tasks[0], { id: 7, version: 1, title: "Pay rent" }] }));
    await w.click("done");
    expect(w.sent.map((r) => [r.method, r.url, r.headers["if-match"], r.credentials])).toEqual([
      ["POST", "/api/tasks/42/complete", '"3"', "same-origin"],
      ["POST", "/api/tasks/7/complete", '"1"', "same-origin"],
    ]);
    expect(w.shown()).toHaveLength(0);
  });

  it("Tomorrow sends the reminder's new due with the version", async () => {
    const w = worker();
    await w.push(JSON.stringify(PAYLOAD));
    await w.click("tomorrow");
    const [request] = w.sent;
    expect(request?.method).toBe("PATCH");
    expect(request?.url).toBe("/api/tasks/42");
    expect(request?.headers["if-match"]).toBe('"3"');
    expect(request?.headers["content-type"]).toBe("application/json");
    expect(JSON.parse(request?.body ?? "")).toEqual({ due_at: "2026-12-03T14:30:00Z" });
  });

  it("says which tasks changed since the reminder (412)", async () => {
    const w = worker((request) => (request.url.includes("/42/") ? 412 : 200));
    await w.push(JSON.stringify({ ...PAYLOAD, url: "/today", tasks: [PAYLOAD.tasks[0], { id: 7, version: 1, title: "Pay rent" }] }));
    await w.click("done");
    const [changed, ...rest] = w.shown();
    expect(rest).toHaveLength(0);
    expect(changed?.title).toBe("Changed since the reminder");
    expect(changed?.body).toBe("“Call the bank” changed in the meantime; open Taskspin to review.");
    expect(changed?.tag).not.toBe(PAYLOAD.tag);
    expect(changed?.data).toEqual({ url: "/tasks/42" });
  });

  it("asks to sign in when the session has ended, and says so when something else failed", async () => {
    const signedOut = worker(() => 401);
    await signedOut.push(JSON.stringify(PAYLOAD));
    await signedOut.click("done");
    expect(signedOut.shown().map((n) => n.title)).toEqual(["Sign in to Taskspin"]);
    expect(signedOut.shown()[0]?.data).toEqual({ url: "/signin?next=%2Ftasks%2F42" });

    const broken = worker(() => 500);
    await broken.push(JSON.stringify(PAYLOAD));
    await broken.click("tomorrow");
    expect(broken.shown().map((n) => [n.title, n.body])).toEqual([
      ["Could not do it", "Taskspin could not move “Call the bank” to tomorrow; open Taskspin to try again."],
    ]);
  });

  it("runs a button for a page that asks by tag, and answers on its port", async () => {
    const w = worker();
    await w.push(JSON.stringify(PAYLOAD));
    expect(await w.message({ type: "notification-action", tag: "taskspin:due_soon:42", action: "done" })).toEqual({ ok: true, statuses: [200] });
    expect(w.sent.map((r) => r.url)).toEqual(["/api/tasks/42/complete"]);
    expect(w.shown()).toHaveLength(0);
    expect(await w.message({ type: "notification-action", tag: "taskspin:due_soon:42", action: "done" })).toEqual({
      ok: false,
      error: "no notification with the tag taskspin:due_soon:42",
    });
    expect(await w.message({ type: "notification-action", tag: "taskspin:due_soon:42", action: "delete" })).toMatchObject({ ok: false });
  });

  it("tells open pages when it changed tasks", async () => {
    const w = worker();
    const postMessage = vi.fn();
    w.windows.push({ url: "https://app.example/", focus: vi.fn(), navigate: vi.fn(), postMessage });
    await w.push(JSON.stringify(PAYLOAD));
    await w.click("done");
    expect(postMessage).toHaveBeenCalledWith({ type: "tasks-changed" });
  });

  it("a click on the reminder shows its page in an open window, or opens one", async () => {
    const w = worker();
    await w.push(JSON.stringify(PAYLOAD));
    await w.click("");
    expect(w.self.clients.openWindow).toHaveBeenCalledWith("https://app.example/tasks/42");
    expect(w.shown()).toHaveLength(0);

    const open = worker();
    const navigate = vi.fn((url: string) => Promise.resolve({ url }));
    const client = { url: "https://app.example/settings", focus: vi.fn(() => Promise.resolve(client)), navigate, postMessage: vi.fn() };
    open.windows.push(client);
    await open.push(JSON.stringify({ ...PAYLOAD, url: "https://elsewhere.example/phish" }));
    await open.click("");
    expect(client.focus).toHaveBeenCalled();
    // Never another site: the app's start page instead.
    expect(navigate).toHaveBeenCalledWith("https://app.example/");
    expect(open.self.clients.openWindow).not.toHaveBeenCalled();
  });
});
