// The service worker (plain JavaScript, served as is at /sw.js): shows the
// reminders the server pushes (Web Push) and acts on their buttons: Done
// completes the tasks, Tomorrow moves them to the next day, each with the
// version the reminder was made from, so a task changed since is left alone
// and the person is told. A click on the notification itself opens the app
// where the reminder points.
//
// A page of the app can run a button too: it posts
// {type: "notification-action", tag, action} and gets {ok, statuses} back on
// the port it passes (the browser test clicks this way; no tool clicks a
// notification).

const ACTIONS = [
  { action: "done", title: "Done" },
  { action: "tomorrow", title: "Tomorrow" },
];
const ICON = "/favicon.svg";

self.addEventListener("install", () => {
  void self.skipWaiting();
});

self.addEventListener("activate", (event) => {
  event.waitUntil(self.clients.claim());
});

self.addEventListener("push", (event) => {
  const payload = readPayload(event.data);
  if (!payload) return;
  event.waitUntil(show(payload));
});

self.addEventListener("notificationclick", (event) => {
  const notification = event.notification;
  if (event.action === "done" || event.action === "tomorrow") {
    event.waitUntil(act(notification, event.action));
    return;
  }
  notification.close();
  const data = notification.data || {};
  event.waitUntil(openApp(data.url));
});

self.addEventListener("message", (event) => {
  const message = event.data;
  if (!message || message.type !== "notification-action") return;
  const port = event.ports && event.ports[0];
  event.waitUntil(
    actOnTag(message.tag, message.action)
      .catch((error) => ({ ok: false, error: String(error) }))
      .then((reply) => {
        if (port) port.postMessage(reply);
      }),
  );
});

/** The push's JSON payload, or null when it is missing or not what the server sends. */
function readPayload(data) {
  if (!data) return null;
  let payload;
  try {
    payload = data.json();
  } catch {
    return null;
  }
  if (!payload || typeof payload !== "object" || typeof payload.title !== "string") return null;
  return payload;
}

function show(payload) {
  const tasks = Array.isArray(payload.tasks) ? payload.tasks : [];
  return self.registration.showNotification(payload.title, {
    body: typeof payload.body === "string" ? payload.body : "",
    tag: typeof payload.tag === "string" ? payload.tag : undefined,
    data: payload,
    actions: tasks.length > 0 ? ACTIONS : [],
    icon: ICON,
  });
}

async function actOnTag(tag, action) {
  if (typeof tag !== "string" || tag === "") return { ok: false, error: "no tag" };
  if (action !== "done" && action !== "tomorrow") return { ok: false, error: `unknown action ${String(action)}` };
  const [notification] = await self.registration.getNotifications({ tag });
  if (!notification) return { ok: false, error: `no notification with the tag ${tag}` };
  return act(notification, action);
}

/**
 * Runs a button of a notification on every task it names, closes it, and
 * says with a second notification what could not be done.
 */
async function act(notification, action) {
  const data = notification.data || {};
  const tasks = (Array.isArray(data.tasks) ? data.tasks : []).filter((task) => task && Number.isInteger(task.id));
  notification.close();
  const results = await Promise.all(tasks.map((task) => send(task, action)));
  const statuses = results.map((result) => result.status);
  const changed = results.filter((result) => result.status >= 200 && result.status < 300);
  if (changed.length > 0) await tellPages();
  await report(results, action, data);
  return { ok: tasks.length > 0 && changed.length === tasks.length, statuses };
}

async function send(task, action) {
  const headers = { accept: "application/json", "if-match": `"${task.version}"` };
  let request;
  if (action === "done") {
    request = { method: "POST", headers };
  } else {
    if (!task.tomorrow || typeof task.tomorrow !== "object") return { task, status: 0 };
    request = {
      method: "PATCH",
      headers: { ...headers, "content-type": "application/json" },
      body: JSON.stringify(task.tomorrow),
    };
  }
  const path = action === "done" ? `/api/tasks/${task.id}/complete` : `/api/tasks/${task.id}`;
  try {
    const response = await fetch(path, { ...request, credentials: "same-origin" });
    return { task, status: response.status };
  } catch {
    return { task, status: 0 };
  }
}

/** “A”, “A” and “B”, “A”, “B” and “C”. */
function titles(tasks) {
  const quoted = tasks.map((task) => `“${typeof task.title === "string" ? task.title : `task ${task.id}`}”`);
  if (quoted.length <= 1) return quoted.join("");
  return `${quoted.slice(0, -1).join(", ")} and ${quoted[quoted.length - 1]}`;
}

function linkFor(tasks, data) {
  return tasks.length === 1 ? `/tasks/${tasks[0].id}` : typeof data.url === "string" ? data.url : "/";
}

async function report(results, action, data) {
  const base = typeof data.tag === "string" ? data.tag : "taskspin";
  const failed = results.filter((result) => result.status < 200 || result.status >= 300);
  if (failed.length === 0) return;
  if (failed.some((result) => result.status === 401 || result.status === 403)) {
    const next = typeof data.url === "string" ? data.url : "/";
    await self.registration.showNotification("Sign in to Taskspin", {
      body: "Your session has ended, so nothing was changed. Sign in, then try again.",
      tag: `${base}:signin`,
      data: { url: `/signin?next=${encodeURIComponent(next)}` },
      icon: ICON,
    });
    return;
  }
  const conflicts = failed.filter((result) => result.status === 412).map((result) => result.task);
  const others = failed.filter((result) => result.status !== 412).map((result) => result.task);
  if (conflicts.length > 0) {
    await self.registration.showNotification("Changed since the reminder", {
      body: `${titles(conflicts)} changed in the meantime; open Taskspin to review.`,
      tag: `${base}:changed`,
      data: { url: linkFor(conflicts, data) },
      icon: ICON,
    });
  }
  if (others.length > 0) {
    const what = action === "done" ? "mark" : "move";
    const how = action === "done" ? "as done" : "to tomorrow";
    await self.registration.showNotification("Could not do it", {
      body: `Taskspin could not ${what} ${titles(others)} ${how}; open Taskspin to try again.`,
      tag: `${base}:failed`,
      data: { url: linkFor(others, data) },
      icon: ICON,
    });
  }
}

/** Open pages of the app refresh their lists. */
async function tellPages() {
  const windows = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
  for (const client of windows) client.postMessage({ type: "tasks-changed" });
}

/** Focuses a window of the app and shows `url` there, or opens one. */
async function openApp(url) {
  let target = new URL(typeof url === "string" ? url : "/", self.location.origin);
  if (target.origin !== self.location.origin) target = new URL("/", self.location.origin);
  const windows = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
  const open = windows.find((client) => new URL(client.url).origin === self.location.origin);
  if (open) {
    try {
      const focused = await open.focus();
      // navigate() works on pages this worker controls; null: it could not.
      if (await focused.navigate(target.href)) return;
    } catch {
      // Not controlled by this worker (opened before it): a new window then.
    }
  }
  await self.clients.openWindow(target.href);
}
