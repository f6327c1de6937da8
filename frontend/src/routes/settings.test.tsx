import { afterEach, describe, expect, it, vi } from "vitest";
import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { renderRoutes } from "../test/render";
import type { AgentPreferences, PushDevice } from "../api/types";
import { deviceName } from "../lib/push";
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
    calls.push({ method, url, body });
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
    return Promise.resolve(json({ status: 404, detail: "Not found." }, 404));
  });
  vi.stubGlobal("fetch", fetchMock);
  return calls;
}

function renderSettings() {
  renderRoutes("/settings", [{ path: "/settings", Component: Settings }]);
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
