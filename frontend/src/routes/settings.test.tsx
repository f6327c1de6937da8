import { afterEach, describe, expect, it, vi } from "vitest";
import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { renderRoutes } from "../test/render";
import type { AgentPreferences, Import, PushDevice } from "../api/types";
import { deviceName } from "../lib/push";
import { makeImport } from "../test/fixtures";
import { Settings } from "./Settings";

function json(body: unknown, status = 200) {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
}
const noContent = () => new Response(null, { status: 204 });

const ME = { id: "u", email: "a@example.org", display_name: "A", time_zone: "UTC", week_start: 1, created_at: "2026-05-01T00:00:00Z" };
const PHONE: PushDevice = {
  id: 1,
  endpoint: "https://fcm.googleapis.com/fcm/send/phone",
  device: "Chrome on Android",
  created_at: "2026-05-01T00:00:00Z",
  last_sent_at: "2026-05-02T08:30:00Z",
};
// A 65-byte uncompressed P-256 point (0x04 and 64 bytes), base64url.
const PUBLIC_KEY = `BA${"A".repeat(85)}`;

interface Call {
  method: string;
  url: string;
  body: unknown;
  /** The body as sent (a File for an upload). */
  sent: unknown;
  headers: Record<string, string>;
}

/** The API the Settings screen talks to; `over` answers some paths differently. */
function serve(over: (method: string, url: string, body: unknown) => Response | undefined = () => undefined) {
  const calls: Call[] = [];
  let prefs: AgentPreferences = { overdue_monitor: true, prioritization: true, quiet_hours: null, notifications: true };
  let devices: PushDevice[] = [PHONE];
  let feed = { active: false, created_at: null as string | null };
  let secret = 0;
  const fetchMock = vi.fn((url: string, init?: RequestInit) => {
    const method = init?.method ?? "GET";
    const body: unknown = typeof init?.body === "string" ? JSON.parse(init.body) : undefined;
    calls.push({ method, url, body, sent: init?.body, headers: { ...(init?.headers as Record<string, string> | undefined) } });
    const answer = over(method, url, body);
    if (answer) return Promise.resolve(answer);
    const route = `${method} ${url}`;
    if (route === "GET /api/auth/me") return Promise.resolve(json(ME));
    if (route === "GET /api/auth/tokens") return Promise.resolve(json({ tokens: [] }));
    if (route === "GET /api/preferences/agents") return Promise.resolve(json(prefs));
    if (route === "PUT /api/preferences/agents") {
      prefs = body as AgentPreferences;
      return Promise.resolve(json(prefs));
    }
    if (route === "GET /api/push/key") return Promise.resolve(json({ public_key: PUBLIC_KEY }));
    if (route === "GET /api/push/subscriptions") return Promise.resolve(json({ subscriptions: devices }));
    if (route === "POST /api/push/subscriptions") {
      const sent = body as { endpoint: string; device: string };
      const device = { id: 2, endpoint: sent.endpoint, device: sent.device, created_at: "2026-05-03T00:00:00Z", last_sent_at: null };
      devices = [...devices, device];
      return Promise.resolve(json(device, 201));
    }
    const removed = /^\/api\/push\/subscriptions\/(\d+)$/.exec(url);
    if (method === "DELETE" && removed) {
      devices = devices.filter((d) => d.id !== Number(removed[1]));
      return Promise.resolve(noContent());
    }
    if (route === "GET /api/calendar/feed") return Promise.resolve(json(feed));
    if (route === "POST /api/calendar/feed") {
      secret += 1;
      feed = { active: true, created_at: "2026-05-04T00:00:00Z" };
      return Promise.resolve(
        json(
          {
            url: `http://app.example/api/calendar/feed/secret${secret}.ics`,
            webcal_url: `webcal://app.example/api/calendar/feed/secret${secret}.ics`,
            created_at: feed.created_at,
          },
          201,
        ),
      );
    }
    if (route === "DELETE /api/calendar/feed") {
      feed = { active: false, created_at: null };
      return Promise.resolve(noContent());
    }
    if (route === "GET /api/imports") return Promise.resolve(json({ imports: [] }));
    return Promise.resolve(json({ status: 404, detail: "Not found." }, 404));
  });
  vi.stubGlobal("fetch", fetchMock);
  return calls;
}

function renderSettings() {
  return renderRoutes("/settings", [{ path: "/settings", Component: Settings }]);
}

/** A browser with service workers and push, whose push service hands out `endpoint`. */
function pushBrowser(endpoint: string, permission: NotificationPermission = "default", answer: NotificationPermission = "granted") {
  let subscribed = false;
  const subscription = {
    endpoint,
    options: { userVisibleOnly: true, applicationServerKey: new Uint8Array([4, ...new Array<number>(64).fill(0)]).buffer },
    toJSON: () => ({ endpoint, expirationTime: null, keys: { p256dh: "BPk", auth: "YXV0aA" } }),
    unsubscribe: vi.fn(() => {
      subscribed = false;
      return Promise.resolve(true);
    }),
  };
  const pushManager = {
    getSubscription: vi.fn(() => Promise.resolve(subscribed ? subscription : null)),
    subscribe: vi.fn((options: PushSubscriptionOptionsInit) => {
      subscribed = true;
      return Promise.resolve({ ...subscription, options });
    }),
  };
  const registration = { pushManager };
  let registered = false;
  const serviceWorker = {
    register: vi.fn(() => {
      registered = true;
      return Promise.resolve(registration);
    }),
    ready: Promise.resolve(registration),
    getRegistration: vi.fn(() => Promise.resolve(registered ? registration : undefined)),
    addEventListener: vi.fn(),
    removeEventListener: vi.fn(),
  };
  const requestPermission = vi.fn(() => Promise.resolve(answer));
  vi.stubGlobal("PushManager", function PushManager() {
    // Only its presence matters.
  });
  vi.stubGlobal("Notification", { permission, requestPermission });
  Object.defineProperty(navigator, "serviceWorker", { configurable: true, value: serviceWorker });
  return { serviceWorker, pushManager, requestPermission, subscription };
}

afterEach(() => {
  vi.unstubAllGlobals();
  Reflect.deleteProperty(navigator, "serviceWorker");
});

describe("notifications", () => {
  it("turns them on here: permission, the service worker, the push service, then the server", async () => {
    const calls = serve();
    const browser = pushBrowser("https://fcm.googleapis.com/fcm/send/this-one");
    const user = userEvent.setup();
    renderSettings();
    const devices = await screen.findByRole("list", { name: "Your devices" });
    await within(devices).findByText("Chrome on Android");
    await user.click(await screen.findByRole("button", { name: "Turn on notifications on this browser" }));
    await screen.findByText(/Notifications are on for this browser\. Remove it/);

    expect(browser.requestPermission).toHaveBeenCalledOnce();
    expect(browser.serviceWorker.register).toHaveBeenCalledWith("/sw.js");
    const [options] = browser.pushManager.subscribe.mock.calls[0] ?? [];
    expect(options?.userVisibleOnly).toBe(true);
    const key = options?.applicationServerKey as Uint8Array;
    expect(key).toBeInstanceOf(Uint8Array);
    expect(key).toHaveLength(65);
    expect(key[0]).toBe(4);
    const posted = calls.find((c) => c.method === "POST" && c.url === "/api/push/subscriptions");
    expect(posted?.body).toEqual({
      endpoint: "https://fcm.googleapis.com/fcm/send/this-one",
      expirationTime: null,
      keys: { p256dh: "BPk", auth: "YXV0aA" },
      device: deviceName(navigator.userAgent),
    });
    // This browser is marked in the list, and there is nothing more to turn on.
    const mine = (await within(devices).findByText("This browser")).closest("li") as HTMLElement;
    expect(within(mine).getByText(deviceName(navigator.userAgent))).toBeTruthy();
    expect(screen.queryByRole("button", { name: "Turn on notifications on this browser" })).toBeNull();

    // Removing this browser also unsubscribes it at its push service.
    await user.click(within(mine).getByRole("button", { name: `Remove ${deviceName(navigator.userAgent)}` }));
    await waitFor(() => expect(browser.subscription.unsubscribe).toHaveBeenCalledOnce());
    expect(calls.some((c) => c.method === "DELETE" && c.url === "/api/push/subscriptions/2")).toBe(true);
    await screen.findByRole("button", { name: "Turn on notifications on this browser" });
  });

  it("explains a refused permission and subscribes nothing", async () => {
    const calls = serve();
    const browser = pushBrowser("https://fcm.googleapis.com/fcm/send/x", "default", "denied");
    const user = userEvent.setup();
    renderSettings();
    await user.click(await screen.findByRole("button", { name: "Turn on notifications on this browser" }));
    expect((await screen.findByRole("alert")).textContent).toMatch(/Notifications are blocked for Taskspin in this browser/);
    expect(browser.serviceWorker.register).not.toHaveBeenCalled();
    expect(calls.some((c) => c.method === "POST")).toBe(false);
  });

  it("says when the server has no push set up", async () => {
    serve((_, url) => (url === "/api/push/key" ? json({ status: 404, detail: "Push is not configured." }, 404) : undefined));
    pushBrowser("https://fcm.googleapis.com/fcm/send/x");
    renderSettings();
    await screen.findByText("Push notifications are not set up on this server.");
    expect(screen.queryByRole("button", { name: "Turn on notifications on this browser" })).toBeNull();
  });

  it("says when this browser cannot, and still lists and removes the other devices", async () => {
    const calls = serve();
    const user = userEvent.setup();
    renderSettings();
    await screen.findByText(/This browser cannot show notifications from websites/);
    const devices = screen.getByRole("list", { name: "Your devices" });
    const phone = (await within(devices).findByText("Chrome on Android")).closest("li") as HTMLElement;
    expect(within(phone).getByText(/last notification/)).toBeTruthy();
    await user.click(within(phone).getByRole("button", { name: "Remove Chrome on Android" }));
    await within(devices).findByText("No devices yet.");
    expect(calls.some((c) => c.method === "DELETE" && c.url === "/api/push/subscriptions/1")).toBe(true);
    await screen.findByText("Removed Chrome on Android.");
  });

  it("saves the switch for notifications with the agents' settings", async () => {
    const calls = serve();
    const user = userEvent.setup();
    renderSettings();
    const toggle = await screen.findByRole("checkbox", { name: /Notifications on my devices/ });
    expect((toggle as HTMLInputElement).checked).toBe(true);
    await user.click(toggle);
    await user.click(screen.getByRole("button", { name: "Save agent settings" }));
    await screen.findByText("Agent settings saved.");
    const put = calls.find((c) => c.method === "PUT");
    expect(put?.body).toEqual({ overdue_monitor: true, prioritization: true, quiet_hours: null, notifications: false });
    await screen.findByText(/Notifications on my devices is off under Agents/);
  });
});

describe("the calendar feed", () => {
  it("creates a feed, shows its URLs once, gets a new one and turns it off, each confirmed", async () => {
    const calls = serve();
    const user = userEvent.setup();
    renderSettings();
    await user.click(await screen.findByRole("button", { name: "Create a calendar feed" }));
    const url = await screen.findByLabelText<HTMLInputElement>("Calendar feed URL");
    expect(url.value).toBe("http://app.example/api/calendar/feed/secret1.ics");
    expect(url.readOnly).toBe(true);
    expect(screen.getByLabelText<HTMLInputElement>("webcal URL").value).toBe("webcal://app.example/api/calendar/feed/secret1.ics");
    expect(screen.getByRole("link", { name: "Open in calendar app" }).getAttribute("href")).toBe("webcal://app.example/api/calendar/feed/secret1.ics");
    expect(screen.getByRole("button", { name: "Copy Calendar feed URL" })).toBeTruthy();
    expect(screen.getByRole("button", { name: "Copy webcal URL" })).toBeTruthy();
    expect(screen.getByText(/Anyone who has it can read your dated tasks/)).toBeTruthy();

    // A new URL, once confirmed.
    await user.click(screen.getByRole("button", { name: "Get a new URL" }));
    const rotate = screen.getByRole("dialog", { name: "Get a new calendar URL?" });
    expect(within(rotate).getByText(/The current URL stops working at once/)).toBeTruthy();
    await user.click(within(rotate).getByRole("button", { name: "Get a new URL" }));
    await waitFor(() => expect(screen.getByLabelText<HTMLInputElement>("Calendar feed URL").value).toMatch(/secret2\.ics$/));
    expect(screen.queryByRole("dialog")).toBeNull();
    expect(calls.filter((c) => c.method === "POST" && c.url === "/api/calendar/feed")).toHaveLength(2);

    // Hidden, the feed stays on.
    await user.click(screen.getByRole("button", { name: "Hide the URL" }));
    expect(screen.queryByLabelText("Calendar feed URL")).toBeNull();
    expect(screen.getByTestId("calendar-status").textContent).toMatch(/The feed is on since/);

    // Turned off, once confirmed; Cancel first changes nothing.
    await user.click(screen.getByRole("button", { name: "Turn off the feed" }));
    await user.click(within(screen.getByRole("dialog", { name: "Turn off the calendar feed?" })).getByRole("button", { name: "Cancel" }));
    expect(calls.some((c) => c.method === "DELETE")).toBe(false);
    await user.click(screen.getByRole("button", { name: "Turn off the feed" }));
    await user.click(within(screen.getByRole("dialog", { name: "Turn off the calendar feed?" })).getByRole("button", { name: "Turn off the feed" }));
    await screen.findByRole("button", { name: "Create a calendar feed" });
    expect(calls.some((c) => c.method === "DELETE" && c.url === "/api/calendar/feed")).toBe(true);
  });
});

/**
 * The imports API: an upload answers `preview` (or `refusal`); once
 * confirmed, each GET of it answers the next of `steps` (the last stays).
 * `list` is what GET /api/imports answers.
 */
function importApi({ preview = makeImport(), refusal, steps = [], list = [] }: { preview?: Import; refusal?: Response; steps?: Import[]; list?: Import[] }) {
  let current: Import | null = list[0] ?? null;
  const next = [...steps];
  return (method: string, url: string): Response | undefined => {
    if (method === "GET" && url === "/api/imports") return json({ imports: list });
    if (method === "POST" && url.startsWith("/api/imports?")) {
      if (refusal) return refusal;
      current = preview;
      return json(current, 201);
    }
    const one = /^\/api\/imports\/([^/?]+)(\/confirm)?$/.exec(url);
    const job = current;
    if (!one || !job || job.id !== one[1]) return undefined;
    if (method === "POST" && one[2]) {
      current = { ...job, status: "queued" };
      return json(current, 202);
    }
    if (method === "DELETE") {
      current = null;
      return noContent();
    }
    if (method === "GET") {
      if (job.status === "queued" || job.status === "running") current = next.shift() ?? job;
      return json(current);
    }
    return undefined;
  };
}

const CSV = "TYPE,CONTENT,DESCRIPTION,PRIORITY,INDENT,AUTHOR,RESPONSIBLE,DATE,DATE_LANG,TIMEZONE\ntask,Buy apples,,1,1,,,every monday,en,\n";
const groceries = () => new File([CSV], "Groceries.csv", { type: "text/csv" });
const counts = (tasks: number) => ({ tasks, projects: 0, sections: 0 });
const jobCalls = (calls: Call[], id: string) => calls.filter((c) => c.method === "GET" && c.url === `/api/imports/${id}`).length;

describe("imports", () => {
  it("uploads the file itself, previews it in one sentence, then polls the job's progress to the end", async () => {
    const preview = makeImport(
      { file_name: "Groceries.csv", progress: { processed: 0, total: 312 } },
      {
        tasks: 312,
        projects: 4,
        recurring: 12,
        not_understood_count: 3,
        not_understood: [
          { line: 14, text: "task,Pay rent,,4,1,,,someday soon,en,", reason: "the date \"someday soon\" is not understood; the task has no date" },
          { line: 20, text: "event,Party,,,,,,,,", reason: "rows of type \"event\" are skipped" },
        ],
      },
    );
    const calls = serve(
      importApi({
        preview,
        steps: [
          { ...preview, status: "running", progress: { processed: 120, total: 312 } },
          { ...preview, status: "done", progress: { processed: 312, total: 312 }, result: { created: counts(300), already_there: counts(12) } },
        ],
      }),
    );
    const user = userEvent.setup();
    const { client } = renderSettings();
    const invalidated = vi.spyOn(client, "invalidateQueries");
    await screen.findByRole("heading", { name: "Import" });
    const file = groceries();
    await user.upload(screen.getByLabelText("File to import"), file);

    expect((await screen.findByTestId("import-preview")).textContent).toBe("312 tasks in 4 projects, 12 recurring, 3 lines not understood");
    const upload = calls.find((c) => c.method === "POST" && c.url.startsWith("/api/imports"));
    expect(upload?.url).toBe("/api/imports?name=Groceries.csv");
    expect(upload?.sent).toBe(file);
    expect(upload?.headers["content-type"]).toBe("text/csv");
    const lines = within(screen.getByRole("list", { name: "Lines not understood" })).getAllByRole("listitem");
    expect(lines.map((li) => li.textContent)).toEqual([
      "Line 14: the date \"someday soon\" is not understood; the task has no date — task,Pay rent,,4,1,,,someday soon,en,",
      "Line 20: rows of type \"event\" are skipped — event,Party,,,,,,,,",
      "…and 1 more line.",
    ]);
    expect(screen.getByText("“Groceries.csv”, read as a Todoist CSV export.")).toBeTruthy();
    expect(screen.queryByRole("progressbar")).toBeNull();

    await user.click(screen.getByRole("button", { name: "Import" }));
    expect(calls.some((c) => c.method === "POST" && c.url === `/api/imports/${preview.id}/confirm` && c.sent === null)).toBe(true);
    await screen.findByText("Waiting to start…");
    expect(screen.queryByRole("button", { name: "Import" })).toBeNull();
    expect(screen.queryByRole("button", { name: "Discard" })).toBeNull();

    await screen.findByText("120 of 312 tasks", undefined, { timeout: 3000 });
    const bar = screen.getByRole("progressbar", { name: "Import progress" });
    expect([bar.getAttribute("aria-valuemin"), bar.getAttribute("aria-valuenow"), bar.getAttribute("aria-valuemax")]).toEqual(["0", "120", "312"]);
    expect(invalidated).not.toHaveBeenCalledWith({ queryKey: ["tasks"] });

    await screen.findByText("Imported 300 tasks, 12 were already there.", undefined, { timeout: 3000 });
    // The bar stays, full, with the message.
    const full = screen.getByRole("progressbar", { name: "Import progress" });
    expect(full.getAttribute("aria-valuenow")).toBe("312");
    expect(full.getAttribute("aria-valuemax")).toBe("312");
    expect(invalidated).toHaveBeenCalledWith({ queryKey: ["tasks"] });
    expect(invalidated).toHaveBeenCalledWith({ queryKey: ["projects"] });

    // Done: no more polling.
    const polled = jobCalls(calls, preview.id);
    await new Promise((resolve) => setTimeout(resolve, 1300));
    expect(jobCalls(calls, preview.id)).toBe(polled);
  });

  it("counts one in the singular and keeps the zeros; Discard deletes the preview", async () => {
    const preview = makeImport({}, { tasks: 1, projects: 1, recurring: 0, subtasks: 0, not_understood_count: 0 });
    const calls = serve(importApi({ preview }));
    const user = userEvent.setup();
    renderSettings();
    await user.upload(await screen.findByLabelText("File to import"), groceries());
    expect((await screen.findByTestId("import-preview")).textContent).toBe("1 task in 1 project, 0 recurring, 0 lines not understood");
    expect(screen.queryByRole("list", { name: "Lines not understood" })).toBeNull();

    await user.click(screen.getByRole("button", { name: "Discard" }));
    await screen.findByText("Discarded “Groceries.csv”: nothing was imported.");
    expect(calls.some((c) => c.method === "DELETE" && c.url === `/api/imports/${preview.id}`)).toBe(true);
    expect(calls.some((c) => c.url.endsWith("/confirm"))).toBe(false);
    expect(screen.queryByTestId("import-preview")).toBeNull();
    expect(screen.queryByRole("button", { name: "Import" })).toBeNull();
  });

  it("shows a refused file's problem with its line", async () => {
    serve(
      importApi({
        refusal: json(
          { type: "about:blank", title: "Unprocessable Content", status: 422, detail: "The row has 3 columns, the header 10.", line: 7 },
          422,
        ),
      }),
    );
    const user = userEvent.setup();
    renderSettings();
    await user.upload(await screen.findByLabelText("File to import"), groceries());
    const alert = await screen.findByTestId("import-error");
    expect(alert.getAttribute("role")).toBe("alert");
    expect(alert.textContent).toBe("Not imported. Line 7: The row has 3 columns, the header 10.");
    expect(screen.queryByTestId("import-preview")).toBeNull();
    expect(screen.queryByRole("button", { name: "Import" })).toBeNull();
  });

  it("refuses a file over 20 MB without sending it", async () => {
    const calls = serve(importApi({}));
    const user = userEvent.setup();
    renderSettings();
    const big = groceries();
    Object.defineProperty(big, "size", { value: 21 * 1024 * 1024 });
    await user.upload(await screen.findByLabelText("File to import"), big);
    expect((await screen.findByRole("alert")).textContent).toBe("“Groceries.csv” is 21.0 MB: the largest file Taskspin imports is 20 MB.");
    expect(calls.some((c) => c.method === "POST")).toBe(false);
  });

  it("picks up an import still running when Settings opens, and shows why it failed", async () => {
    const running = makeImport({ status: "running", progress: { processed: 2, total: 3 } });
    serve(
      importApi({
        list: [running],
        steps: [{ ...running, status: "failed", problem: { title: "Unprocessable Content", detail: "The date “32.13.” is not a date.", line: 4 } }],
      }),
    );
    renderSettings();
    // The first GET of it already answers the next step; the list said it runs.
    expect((await screen.findByRole("alert")).textContent).toBe("The import failed. Line 4: The date “32.13.” is not a date.");
    expect(screen.getByTestId("import-preview").textContent).toBe("3 tasks in 1 project, 1 recurring, 0 lines not understood");
    expect(screen.queryByRole("progressbar")).toBeNull();
  });
});

describe("the export", () => {
  it("offers the three downloads and the JSON Schema", async () => {
    serve();
    renderSettings();
    await screen.findByRole("heading", { name: "Export" });
    for (const [name, href] of [
      ["Everything as JSON", "/api/export?format=json"],
      ["Tasks as CSV", "/api/export?format=csv"],
      ["Tasks as iCalendar", "/api/export?format=ics"],
    ] as const) {
      const link = screen.getByRole("link", { name });
      expect(link.getAttribute("href")).toBe(href);
      expect(link.hasAttribute("download")).toBe(true);
    }
    expect(screen.getByRole("link", { name: "JSON Schema" }).getAttribute("href")).toBe("/api/export/schema.json");
  });
});
