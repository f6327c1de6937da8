// Settings: profile and time zone, the agents, notifications on this
// browser and the others, the calendar feed, personal access tokens,
// password, and deleting the account.
import { type SyntheticEvent, type ReactNode, useState } from "react";
import { useNavigate } from "react-router";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, ApiError, errorMessage, isApiError } from "../api/client";
import { keys, useMe } from "../api/queries";
import type { AgentPreferences, CalendarFeed, CreatedCalendarFeed, CreatedToken, PushDevice, Token, User } from "../api/types";
import { text } from "../lib/form";
import { Dialog } from "../components/Dialog";
import { Field } from "../components/Field";
import { useToast } from "../components/Toasts";
import { timeZones } from "../lib/dates";
import { BLOCKED, pushSupported, removeDevice, thisBrowserEndpoint, turnOnPush } from "../lib/push";

function Section({ title, children, id }: { title: string; children: ReactNode; id: string }) {
  return (
    <section className="card p-4 sm:p-5" aria-labelledby={id}>
      <h2 id={id} className="mb-3 text-lg font-semibold">
        {title}
      </h2>
      {children}
    </section>
  );
}

export function Settings() {
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-semibold">Settings</h1>
      <Profile />
      <Agents />
      <Notifications />
      <CalendarFeedSettings />
      <Tokens />
      <Password />
      <DeleteAccount />
    </div>
  );
}

function Profile() {
  const me = useMe();
  const client = useQueryClient();
  const toast = useToast();
  const save = useMutation({
    mutationFn: (body: Partial<User>) => api<User>("/api/auth/me", { method: "PATCH", body }),
    onSuccess: (user) => {
      client.setQueryData(keys.me, user);
      void client.invalidateQueries({ queryKey: keys.tasks });
      toast({ tone: "info", message: "Profile saved." }, 3000);
    },
  });
  if (!me.data) return null;
  const user = me.data;
  function submit(event: SyntheticEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    save.mutate({
      display_name: text(form, "display_name"),
      time_zone: text(form, "time_zone"),
      week_start: Number(form.get("week_start")),
    });
  }
  const error = save.error instanceof ApiError ? save.error : null;
  return (
    <Section title="Profile" id="settings-profile">
      <form className="grid gap-4 sm:grid-cols-2" onSubmit={submit}>
        <Field label="Name" name="display_name" defaultValue={user.display_name} error={error?.field("display_name")} />
        <Field label="Email" name="email" defaultValue={user.email} disabled />
        <div className="space-y-1">
          <label htmlFor="time_zone">Time zone</label>
          <select id="time_zone" name="time_zone" className="input" defaultValue={user.time_zone}>
            {[...new Set([user.time_zone, ...timeZones()])].map((zone) => (
              <option key={zone} value={zone}>
                {zone}
              </option>
            ))}
          </select>
        </div>
        <div className="space-y-1">
          <label htmlFor="week_start">Week starts on</label>
          <select id="week_start" name="week_start" className="input" defaultValue={user.week_start}>
            {["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"].map((day, index) => (
              <option key={day} value={index}>
                {day}
              </option>
            ))}
          </select>
        </div>
        <div className="sm:col-span-2">
          {save.isError && !error?.problem.errors?.length && (
            <p role="alert" className="mb-2 text-sm text-red-700 dark:text-red-400">
              {errorMessage(save.error)}
            </p>
          )}
          <button type="submit" className="btn-primary" disabled={save.isPending}>
            Save profile
          </button>
        </div>
      </form>
    </Section>
  );
}

function useAgentPreferences() {
  return useQuery({
    queryKey: keys.agentPreferences,
    queryFn: () => api<AgentPreferences>("/api/preferences/agents"),
  });
}

/** Copies to the clipboard, with a message either way (there is none on an insecure page). */
function useCopy() {
  const toast = useToast();
  return (value: string) => {
    Promise.resolve()
      .then(() => navigator.clipboard.writeText(value))
      .then(
        () => toast({ tone: "info", message: "Copied." }, 2000),
        () => toast({ tone: "error", message: "Copying failed: select the text and copy it." }),
      );
  };
}

function Agents() {
  const client = useQueryClient();
  const toast = useToast();
  const prefs = useAgentPreferences();
  const save = useMutation({
    mutationFn: (body: AgentPreferences) => api<AgentPreferences>("/api/preferences/agents", { method: "PUT", body }),
    onSuccess: (data) => {
      client.setQueryData(keys.agentPreferences, data);
      toast({ tone: "info", message: "Agent settings saved." }, 3000);
    },
    onError: (error) => toast({ tone: "error", message: `Not saved: ${error.message}` }),
  });
  if (!prefs.data) {
    return (
      <Section title="Agents" id="settings-agents">
        <p className="muted">{prefs.isError ? `Could not load: ${prefs.error.message}` : "Loading…"}</p>
      </Section>
    );
  }
  const p = prefs.data;
  function submit(event: SyntheticEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    save.mutate({
      overdue_monitor: form.get("overdue_monitor") === "on",
      prioritization: form.get("prioritization") === "on",
      notifications: form.get("notifications") === "on",
      quiet_hours:
        form.get("quiet") === "on"
          ? { start: (text(form, "quiet_start") || "22:00"), end: (text(form, "quiet_end") || "07:00") }
          : null,
    });
  }
  return (
    <Section title="Agents" id="settings-agents">
      <form className="space-y-3" onSubmit={submit} key={JSON.stringify(p)}>
        <label className="flex items-start gap-2 font-normal">
          <input type="checkbox" name="overdue_monitor" defaultChecked={p.overdue_monitor} className="mt-1 size-4" />
          <span>
            <span className="font-medium">Overdue monitor</span>
            <span className="muted block text-sm">Proposes new dates for overdue tasks and reminds you of tasks due within the hour.</span>
          </span>
        </label>
        <label className="flex items-start gap-2 font-normal">
          <input type="checkbox" name="prioritization" defaultChecked={p.prioritization} className="mt-1 size-4" />
          <span>
            <span className="font-medium">Prioritization</span>
            <span className="muted block text-sm">Proposes a higher priority for tasks due soon, and a date for tasks left untouched.</span>
          </span>
        </label>
        <label className="flex items-start gap-2 font-normal">
          <input type="checkbox" name="notifications" defaultChecked={p.notifications} className="mt-1 size-4" />
          <span>
            <span className="font-medium">Notifications on my devices</span>
            <span className="muted block text-sm">
              Sends the overdue monitor’s reminders (a task due within the hour, the day’s overdue tasks) to the browsers under Notifications, outside quiet hours.
            </span>
          </span>
        </label>
        <fieldset className="space-y-2">
          <legend className="text-sm font-medium">Quiet hours</legend>
          <label className="flex items-center gap-2 font-normal">
            <input type="checkbox" name="quiet" defaultChecked={p.quiet_hours !== null} className="size-4" />
            No suggestions between
          </label>
          <div className="flex items-center gap-2">
            <label htmlFor="quiet_start" className="sr-only">
              Quiet hours start
            </label>
            <input id="quiet_start" name="quiet_start" type="time" className="input w-32" defaultValue={p.quiet_hours?.start ?? "22:00"} />
            <span aria-hidden="true">and</span>
            <label htmlFor="quiet_end" className="sr-only">
              Quiet hours end
            </label>
            <input id="quiet_end" name="quiet_end" type="time" className="input w-32" defaultValue={p.quiet_hours?.end ?? "07:00"} />
          </div>
        </fieldset>
        <button type="submit" className="btn-primary" disabled={save.isPending}>
          Save agent settings
        </button>
      </form>
    </Section>
  );
}

function Notifications() {
  const client = useQueryClient();
  const toast = useToast();
  const supported = pushSupported();
  const prefs = useAgentPreferences();
  const key = useQuery({
    queryKey: keys.pushKey,
    queryFn: () => api<{ public_key: string }>("/api/push/key").then((r) => r.public_key),
    enabled: supported,
    staleTime: Infinity,
  });
  const devices = useQuery({
    queryKey: keys.pushDevices,
    queryFn: () => api<{ subscriptions: PushDevice[] }>("/api/push/subscriptions").then((r) => r.subscriptions),
  });
  const browser = useQuery({ queryKey: keys.pushBrowser, queryFn: thisBrowserEndpoint, enabled: supported, staleTime: Infinity });
  const turnOn = useMutation({
    mutationFn: turnOnPush,
    onSuccess: (device) => {
      client.setQueryData(keys.pushBrowser, device.endpoint);
      void client.invalidateQueries({ queryKey: keys.pushDevices });
      toast({ tone: "info", message: "Notifications are on for this browser." }, 3000);
    },
    onSettled: () => client.invalidateQueries({ queryKey: keys.pushBrowser }),
  });
  const remove = useMutation({
    mutationFn: removeDevice,
    onSuccess: (_, device) => toast({ tone: "info", message: `Removed ${device.device}.` }, 3000),
    onError: (error) => toast({ tone: "error", message: `Not removed: ${error.message}` }),
    onSettled: () => {
      void client.invalidateQueries({ queryKey: keys.pushDevices });
      void client.invalidateQueries({ queryKey: keys.pushBrowser });
    },
  });
  const list = devices.data ?? [];
  const mine = browser.data ?? null;
  const subscribed = mine !== null && list.some((d) => d.endpoint === mine);

  let here: ReactNode;
  if (!supported) {
    here = (
      <p className="text-sm" data-testid="push-status">
        This browser cannot show notifications from websites (it lacks service workers or the Push API). On an iPhone or iPad, add
        Taskspin to the Home Screen and open it from there.
      </p>
    );
  } else if (key.isPending || devices.isPending || browser.isPending) {
    here = <p className="muted text-sm">Loading…</p>;
  } else if (key.isError) {
    here = (
      <p className="text-sm" data-testid="push-status">
        {isApiError(key.error, 404) ? "Push notifications are not set up on this server." : `Could not check: ${key.error.message}`}
      </p>
    );
  } else if (subscribed) {
    here = (
      <p className="text-sm" data-testid="push-status">
        Notifications are on for this browser. Remove it from the list below to turn them off here.
      </p>
    );
  } else {
    const publicKey = key.data;
    here = (
      <div className="space-y-2">
        {Notification.permission === "denied" && !turnOn.isError && (
          <p className="text-sm" data-testid="push-status">
            {BLOCKED}
          </p>
        )}
        <button type="button" className="btn-primary" disabled={turnOn.isPending} onClick={() => turnOn.mutate(publicKey)}>
          Turn on notifications on this browser
        </button>
        {turnOn.isError && (
          <p role="alert" className="text-sm text-red-700 dark:text-red-400">
            {errorMessage(turnOn.error)}
          </p>
        )}
      </div>
    );
  }

  return (
    <Section title="Notifications" id="settings-notifications">
      <p className="muted mb-3 text-sm">
        Reminders of tasks due soon and of overdue ones on this computer or phone, even when Taskspin is closed. Done and Tomorrow on a
        reminder act on its tasks.
      </p>
      {prefs.data?.notifications === false && (
        <p className="mb-3 rounded-lg border border-amber-400 bg-amber-50 p-3 text-sm text-amber-950 dark:border-amber-600 dark:bg-amber-950/60 dark:text-amber-100" role="note">
          Notifications on my devices is off under Agents: nothing is sent until you turn it on again.
        </p>
      )}
      {here}
      <h3 id="settings-devices" className="mt-4 font-semibold">
        Your devices
      </h3>
      {devices.isError && (
        <p role="alert" className="mt-1 text-sm text-red-700 dark:text-red-400">
          Could not load them: {devices.error.message}
        </p>
      )}
      <ul className="mt-1 divide-y divide-slate-200 dark:divide-slate-800" aria-labelledby="settings-devices">
        {list.length === 0 && devices.isSuccess && <li className="muted py-2 text-sm">No devices yet.</li>}
        {list.map((device) => (
          <li key={device.id} className="flex items-center gap-3 py-2 text-sm" data-testid="push-device">
            <div className="min-w-0 flex-1">
              <p className="flex flex-wrap items-center gap-2 font-medium">
                {device.device}
                {device.endpoint === mine && (
                  <span className="chip bg-indigo-100 text-indigo-900 dark:bg-indigo-900/60 dark:text-indigo-100">This browser</span>
                )}
              </p>
              <p className="muted text-xs">
                added {new Date(device.created_at).toLocaleDateString()} ·{" "}
                {device.last_sent_at
                  ? `last notification ${new Date(device.last_sent_at).toLocaleString([], { dateStyle: "medium", timeStyle: "short" })}`
                  : "no notification yet"}
              </p>
            </div>
            <button
              type="button"
              className="btn-secondary"
              onClick={() => remove.mutate(device)}
              disabled={remove.isPending && remove.variables.id === device.id}
              aria-label={`Remove ${device.device}`}
            >
              Remove
            </button>
          </li>
        ))}
      </ul>
    </Section>
  );
}

function CalendarFeedSettings() {
  const client = useQueryClient();
  const toast = useToast();
  const copy = useCopy();
  const [created, setCreated] = useState<CreatedCalendarFeed | null>(null);
  const [confirm, setConfirm] = useState<"rotate" | "off" | null>(null);
  const feed = useQuery({ queryKey: keys.calendarFeed, queryFn: () => api<CalendarFeed>("/api/calendar/feed") });
  const create = useMutation({
    mutationFn: () => api<CreatedCalendarFeed>("/api/calendar/feed", { method: "POST" }),
    onSuccess: (made) => {
      setCreated(made);
      setConfirm(null);
      client.setQueryData<CalendarFeed>(keys.calendarFeed, { active: true, created_at: made.created_at });
    },
    onError: (error) => toast({ tone: "error", message: `No feed URL was made: ${error.message}` }),
  });
  const turnOff = useMutation({
    mutationFn: () => api("/api/calendar/feed", { method: "DELETE" }),
    onSuccess: () => {
      setCreated(null);
      setConfirm(null);
      client.setQueryData<CalendarFeed>(keys.calendarFeed, { active: false, created_at: null });
      toast({ tone: "info", message: "The calendar feed is off: its URL no longer works." }, 4000);
    },
    onError: (error) => toast({ tone: "error", message: `The feed is still on: ${error.message}` }),
  });
  const state = feed.data;
  return (
    <Section title="Calendar feed" id="settings-calendar">
      <p className="muted mb-3 text-sm">
        Your dated tasks in a calendar app (Google Calendar, Apple Calendar, Outlook, Thunderbird), kept up to date through a private
        URL the app subscribes to.
      </p>
      {!state ? (
        <p className="muted text-sm">{feed.isError ? `Could not load: ${feed.error.message}` : "Loading…"}</p>
      ) : state.active ? (
        <div className="space-y-3">
          <p className="text-sm" data-testid="calendar-status">
            The feed is on{state.created_at ? ` since ${new Date(state.created_at).toLocaleDateString()}` : ""}. Its URL is shown only
            when it is made: if you lost it, get a new one.
          </p>
          <div className="flex flex-wrap gap-2">
            <button type="button" className="btn-secondary" onClick={() => setConfirm("rotate")} disabled={create.isPending}>
              Get a new URL
            </button>
            <button type="button" className="btn-secondary" onClick={() => setConfirm("off")} disabled={turnOff.isPending}>
              Turn off the feed
            </button>
          </div>
        </div>
      ) : (
        <button type="button" className="btn-primary" onClick={() => create.mutate()} disabled={create.isPending}>
          Create a calendar feed
        </button>
      )}
      {created && (
        <div
          className="mt-3 space-y-3 rounded-lg border border-emerald-500 bg-emerald-50 p-3 text-sm text-emerald-950 dark:bg-emerald-950/50 dark:text-emerald-100"
          role="status"
          data-testid="calendar-urls"
        >
          <p className="font-medium">
            Copy the URL now: it is shown only this once. Anyone who has it can read your dated tasks, so share it with your calendar app
            only.
          </p>
          <CopyField label="Calendar feed URL" value={created.url} onCopy={copy} />
          <CopyField label="webcal URL" value={created.webcal_url} onCopy={copy} />
          <div className="flex flex-wrap gap-2">
            <a className="btn-primary" href={created.webcal_url}>
              Open in calendar app
            </a>
            <button type="button" className="btn-ghost" onClick={() => setCreated(null)}>
              Hide the URL
            </button>
          </div>
        </div>
      )}
      {confirm === "rotate" && (
        <Dialog title="Get a new calendar URL?" onClose={() => setConfirm(null)}>
          <p className="text-sm">
            The current URL stops working at once: calendar apps subscribed to it stop updating until you give them the new one.
          </p>
          <div className="mt-4 flex gap-2">
            <button type="button" className="btn-primary" onClick={() => create.mutate()} disabled={create.isPending}>
              Get a new URL
            </button>
            <button type="button" className="btn-secondary" onClick={() => setConfirm(null)} data-autofocus>
              Cancel
            </button>
          </div>
        </Dialog>
      )}
      {confirm === "off" && (
        <Dialog title="Turn off the calendar feed?" onClose={() => setConfirm(null)}>
          <p className="text-sm">Its URL stops working: calendar apps subscribed to it stop showing your tasks.</p>
          <div className="mt-4 flex gap-2">
            <button type="button" className="btn-danger" onClick={() => turnOff.mutate()} disabled={turnOff.isPending}>
              Turn off the feed
            </button>
            <button type="button" className="btn-secondary" onClick={() => setConfirm(null)} data-autofocus>
              Cancel
            </button>
          </div>
        </Dialog>
      )}
    </Section>
  );
}

function CopyField({ label, value, onCopy }: { label: string; value: string; onCopy: (value: string) => void }) {
  return (
    <div className="flex items-end gap-2">
      <div className="min-w-0 flex-1">
        <Field label={label} value={value} readOnly className="input font-mono text-xs" onFocus={(e) => e.currentTarget.select()} />
      </div>
      <button type="button" className="btn-secondary" onClick={() => onCopy(value)} aria-label={`Copy ${label}`}>
        Copy
      </button>
    </div>
  );
}

function Tokens() {
  const client = useQueryClient();
  const toast = useToast();
  const copy = useCopy();
  const [created, setCreated] = useState<CreatedToken | null>(null);
  const [name, setName] = useState("");
  const tokens = useQuery({ queryKey: keys.tokens, queryFn: () => api<{ tokens: Token[] }>("/api/auth/tokens") });
  const create = useMutation({
    mutationFn: (tokenName: string) => api<CreatedToken>("/api/auth/tokens", { method: "POST", body: { name: tokenName } }),
    onSuccess: (token) => {
      setCreated(token);
      setName("");
      void client.invalidateQueries({ queryKey: keys.tokens });
    },
  });
  const revoke = useMutation({
    mutationFn: (id: string) => api(`/api/auth/tokens/${id}`, { method: "DELETE" }),
    onSuccess: () => {
      toast({ tone: "info", message: "Token revoked." }, 3000);
      void client.invalidateQueries({ queryKey: keys.tokens });
    },
    onError: (error) => toast({ tone: "error", message: `Not revoked: ${error.message}` }),
  });
  const list = tokens.data?.tokens ?? [];
  return (
    <Section title="Personal access tokens" id="settings-tokens">
      <p className="muted mb-3 text-sm">
        For scripts and the API: send <code>Authorization: Bearer tsp_…</code>. A token is shown once, when created.
      </p>
      <form
        className="flex flex-wrap items-end gap-2"
        onSubmit={(e) => {
          e.preventDefault();
          if (name.trim()) create.mutate(name.trim());
        }}
      >
        <div className="min-w-48 flex-1">
          <Field
            label="Token name"
            value={name}
            onChange={(e) => setName(e.target.value)}
            error={create.error instanceof ApiError ? create.error.field("name") ?? create.error.message : undefined}
          />
        </div>
        <button type="submit" className="btn-primary" disabled={!name.trim() || create.isPending}>
          Create token
        </button>
      </form>
      {created && (
        <div className="mt-3 rounded-lg border border-emerald-500 bg-emerald-50 p-3 text-sm text-emerald-950 dark:bg-emerald-950/50 dark:text-emerald-100" role="status">
          <p className="font-medium">Copy “{created.name}” now: it will not be shown again.</p>
          <div className="mt-2 flex gap-2">
            <label htmlFor="new-token" className="sr-only">
              New token
            </label>
            <input id="new-token" className="input font-mono" readOnly value={created.token} onFocus={(e) => e.currentTarget.select()} />
            <button
              type="button"
              className="btn-secondary"
              onClick={() => copy(created.token)}
            >
              Copy
            </button>
            <button type="button" className="btn-ghost" onClick={() => setCreated(null)}>
              Done
            </button>
          </div>
        </div>
      )}
      <ul className="mt-4 divide-y divide-slate-200 dark:divide-slate-800" aria-label="Tokens">
        {list.length === 0 && tokens.isSuccess && <li className="muted py-2 text-sm">No tokens yet.</li>}
        {list.map((token) => (
          <li key={token.id} className="flex items-center gap-3 py-2 text-sm">
            <div className="min-w-0 flex-1">
              <p className="font-medium">{token.name}</p>
              <p className="muted text-xs">
                <code>{token.prefix}…</code> · created {new Date(token.created_at).toLocaleDateString()} ·{" "}
                {token.last_used_at ? `last used ${new Date(token.last_used_at).toLocaleDateString()}` : "never used"}
              </p>
            </div>
            <button type="button" className="btn-secondary" onClick={() => revoke.mutate(token.id)} aria-label={`Revoke ${token.name}`}>
              Revoke
            </button>
          </li>
        ))}
      </ul>
    </Section>
  );
}

function Password() {
  const toast = useToast();
  const change = useMutation({
    mutationFn: (body: { current_password: string; new_password: string }) =>
      api("/api/auth/password", { method: "POST", body, anonymous: true }),
    onSuccess: () => toast({ tone: "info", message: "Password changed. Other sessions were signed out." }),
  });
  const error = change.error instanceof ApiError ? change.error : null;
  return (
    <Section title="Change password" id="settings-password">
      <form
        className="grid gap-4 sm:grid-cols-2"
        onSubmit={(e) => {
          e.preventDefault();
          const form = new FormData(e.currentTarget);
          const target = e.currentTarget;
          change.mutate(
            { current_password: text(form, "current_password"), new_password: text(form, "new_password") },
            { onSuccess: () => target.reset() },
          );
        }}
      >
        <Field
          label="Current password"
          name="current_password"
          type="password"
          autoComplete="current-password"
          required
          error={error?.field("current_password") ?? (error?.status === 401 ? "This is not your current password." : undefined)}
        />
        <Field
          label="New password"
          name="new_password"
          type="password"
          autoComplete="new-password"
          minLength={8}
          required
          hint="8 to 128 characters."
          error={error?.field("new_password")}
        />
        <div className="sm:col-span-2">
          {error && !error.problem.errors?.length && error.status !== 401 && (
            <p role="alert" className="mb-2 text-sm text-red-700 dark:text-red-400">
              {error.message}
            </p>
          )}
          <button type="submit" className="btn-primary" disabled={change.isPending}>
            Change password
          </button>
        </div>
      </form>
    </Section>
  );
}

function DeleteAccount() {
  const [open, setOpen] = useState(false);
  const client = useQueryClient();
  const navigate = useNavigate();
  const remove = useMutation({
    mutationFn: (password: string) => api("/api/auth/me", { method: "DELETE", body: { password }, anonymous: true }),
    // Away from the signed-in screens first: their queries, refetched on an
    // emptied cache, would answer 401 and send the person to sign-in instead.
    onSuccess: async () => {
      await navigate("/signup", { replace: true });
      client.clear();
    },
  });
  const error = remove.error instanceof ApiError ? remove.error : null;
  return (
    <Section title="Delete account" id="settings-delete">
      <p className="muted mb-3 text-sm">Deletes your account, every task, suggestion, conversation and token. This cannot be undone.</p>
      <button type="button" className="btn-danger" onClick={() => setOpen(true)}>
        Delete my account…
      </button>
      {open && (
        <Dialog title="Delete your account?" onClose={() => setOpen(false)}>
          <form
            className="space-y-4"
            onSubmit={(e) => {
              e.preventDefault();
              remove.mutate(text(new FormData(e.currentTarget), "password"));
            }}
          >
            <p className="text-sm">Everything in it will be gone for good. Enter your password to confirm.</p>
            <Field
              label="Password"
              name="password"
              type="password"
              autoComplete="current-password"
              required
              data-autofocus
              error={error ? (error.status === 401 ? "Wrong password." : error.field("password") ?? error.message) : undefined}
            />
            <div className="flex gap-2">
              <button type="submit" className="btn-danger" disabled={remove.isPending}>
                Delete forever
              </button>
              <button type="button" className="btn-secondary" onClick={() => setOpen(false)}>
                Cancel
              </button>
            </div>
          </form>
        </Dialog>
      )}
    </Section>
  );
}
