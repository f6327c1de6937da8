// Web Push on this browser: whether it can, turning it on (permission, the
// service worker public/sw.js, a subscription at the browser's push service,
// the server's record of it) and off, and the short name the person sees for
// it in their list of devices. The service worker acts on the notifications'
// buttons and tells open pages when it changed tasks.
import { api, isApiError } from "../api/client";
import type { PushDevice } from "../api/types";

export const SERVICE_WORKER_URL = "/sw.js";

/** Service workers, the Push API and notifications: without all three, no reminders here. */
export function pushSupported(): boolean {
  return (
    typeof window !== "undefined" &&
    "serviceWorker" in navigator &&
    "PushManager" in window &&
    "Notification" in window
  );
}

/** A problem turning notifications on, said so the person knows what to do. */
export class PushSetupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PushSetupError";
  }
}

export const BLOCKED =
  "Notifications are blocked for Taskspin in this browser. Allow them in the site settings (the icon left of the address), then try again.";
const NOT_ALLOWED = "Notifications were not allowed. Try again and choose Allow when the browser asks.";

/** Base64url (RFC 4648 §5, padding optional) to bytes; throws on anything else. */
export function base64UrlToBytes(value: string): Uint8Array<ArrayBuffer> {
  const unpadded = value.replace(/={1,2}$/, "");
  if (!/^[A-Za-z0-9_-]*$/.test(unpadded) || unpadded.length % 4 === 1) {
    throw new Error("not base64url");
  }
  const base64 = unpadded.replace(/-/g, "+").replace(/_/g, "/");
  const binary = atob(base64 + "=".repeat((4 - (base64.length % 4)) % 4));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

/** The server's VAPID public key as the Push API takes it: a 65-byte uncompressed P-256 point. */
export function applicationServerKey(publicKey: string): Uint8Array<ArrayBuffer> {
  let bytes: Uint8Array<ArrayBuffer>;
  try {
    bytes = base64UrlToBytes(publicKey);
  } catch {
    throw new PushSetupError("The server's push key is not valid.");
  }
  if (bytes.length !== 65 || bytes[0] !== 4) throw new PushSetupError("The server's push key is not valid.");
  return bytes;
}

export function sameBytes(a: ArrayBuffer | null, b: Uint8Array): boolean {
  if (a === null || a.byteLength !== b.length) return false;
  const view = new Uint8Array(a);
  return view.every((byte, i) => byte === b[i]);
}

const BROWSERS: [RegExp, string][] = [
  [/\bEdg(e|A|iOS)?\//, "Edge"],
  [/\b(OPR|Opera)\//, "Opera"],
  [/\bSamsungBrowser\//, "Samsung Internet"],
  [/\bVivaldi\//, "Vivaldi"],
  [/\b(Firefox|FxiOS)\//, "Firefox"],
  [/\bHeadlessChrome\//, "Headless Chrome"],
  [/\bChromium\//, "Chromium"],
  [/\b(Chrome|CriOS)\//, "Chrome"],
  [/\bVersion\/[\d.]+.*\bSafari\//, "Safari"],
];

const SYSTEMS: [RegExp, string][] = [
  [/\bAndroid\b/, "Android"],
  [/\biPhone\b/, "iPhone"],
  [/\biPad\b/, "iPad"],
  [/\bCrOS\b/, "ChromeOS"],
  [/\bWindows\b/, "Windows"],
  [/\b(Macintosh|Mac OS X)\b/, "macOS"],
  [/\bLinux\b/, "Linux"],
];

/** A short name for the browser of a User-Agent: "Firefox on Windows", "Safari on iPhone". */
export function deviceName(userAgent: string): string {
  const browser = BROWSERS.find(([pattern]) => pattern.test(userAgent))?.[1];
  const system = SYSTEMS.find(([pattern]) => pattern.test(userAgent))?.[1];
  if (browser && system) return `${browser} on ${system}`;
  return browser ?? (system ? `A browser on ${system}` : "A web browser");
}

async function registration(): Promise<ServiceWorkerRegistration | undefined> {
  return navigator.serviceWorker.getRegistration("/");
}

/** The push service URL this browser is subscribed at, if it is (nothing is asked of the person). */
export async function thisBrowserEndpoint(): Promise<string | null> {
  if (!pushSupported()) return null;
  const subscription = await (await registration())?.pushManager.getSubscription();
  return subscription?.endpoint ?? null;
}

/**
 * Asks for permission, registers the service worker, subscribes at the
 * browser's push service with the server's key and records the subscription
 * on the server (the same browser again is the same record).
 */
export async function turnOnPush(publicKey: string): Promise<PushDevice> {
  const key = applicationServerKey(publicKey);
  const permission = Notification.permission === "granted" ? "granted" : await Notification.requestPermission();
  if (permission !== "granted") throw new PushSetupError(permission === "denied" ? BLOCKED : NOT_ALLOWED);
  let ready: ServiceWorkerRegistration;
  let subscription: PushSubscription | null;
  try {
    await navigator.serviceWorker.register(SERVICE_WORKER_URL);
    ready = await navigator.serviceWorker.ready;
    subscription = await ready.pushManager.getSubscription();
    // Made with another key (the server's changed): it cannot be used any more.
    if (subscription && !sameBytes(subscription.options.applicationServerKey, key)) {
      await subscription.unsubscribe();
      subscription = null;
    }
    subscription ??= await ready.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: key });
  } catch (error) {
    if (error instanceof DOMException && error.name === "NotAllowedError") throw new PushSetupError(BLOCKED);
    const reason = error instanceof Error ? error.message : String(error);
    throw new PushSetupError(`This browser could not subscribe to its push service (${reason}).`);
  }
  return api<PushDevice>("/api/push/subscriptions", {
    method: "POST",
    body: { ...subscription.toJSON(), device: deviceName(navigator.userAgent) },
  });
}

/** Forgets a device on the server; when it is this browser, unsubscribes it at its push service too. */
export async function removeDevice(device: PushDevice): Promise<void> {
  try {
    await api(`/api/push/subscriptions/${device.id}`, { method: "DELETE" });
  } catch (error) {
    // Already gone (removed elsewhere, or its push service said it expired).
    if (!isApiError(error, 404)) throw error;
  }
  if (!pushSupported()) return;
  const subscription = await (await registration())?.pushManager.getSubscription();
  if (subscription?.endpoint === device.endpoint) await subscription.unsubscribe();
}

/**
 * At start: a browser that allows notifications keeps its service worker
 * registered (and updated), after the page has loaded.
 */
export function keepServiceWorker(): void {
  if (!pushSupported() || Notification.permission !== "granted") return;
  const register = () => {
    navigator.serviceWorker.register(SERVICE_WORKER_URL).catch(() => undefined);
  };
  if (document.readyState === "complete") register();
  else window.addEventListener("load", register, { once: true });
}

/** Calls `listener` when the service worker changed tasks (Done or Tomorrow on a notification). */
export function onTasksChangedByNotification(listener: () => void): () => void {
  if (!pushSupported()) return () => undefined;
  const onMessage = (event: MessageEvent<unknown>) => {
    const data = event.data;
    if (typeof data === "object" && data !== null && (data as { type?: unknown }).type === "tasks-changed") listener();
  };
  navigator.serviceWorker.addEventListener("message", onMessage);
  return () => navigator.serviceWorker.removeEventListener("message", onMessage);
}
