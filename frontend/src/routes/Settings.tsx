// Settings: profile and time zone, the agents, notifications on this
// browser and the others, the calendar feed, importing from other task
// managers and exporting everything, personal access tokens, password, and
// deleting the account.
import { type ChangeEvent, type SyntheticEvent, type ReactNode, useState } from "react";
import { useNavigate } from "react-router";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, ApiError, errorMessage, isApiError } from "../api/client";
import { useImport, useImports } from "../api/imports";
import { keys, useMe } from "../api/queries";
import type { AgentPreferences, CalendarFeed, CreatedCalendarFeed, CreatedToken, Import, PushDevice, Token, User } from "../api/types";
import { text } from "../lib/form";
import {
  count,
  doneSentence,
  FORMAT_NAMES,
  IMPORT_ACCEPT,
  inProgress,
  located,
  previewSentence,
  progressText,
  tooLarge,
} from "../lib/imports";
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
      <ImportSettings />
      <ExportSettings />
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

/** A refused upload or step, with the file's line (and iCalendar component) when the server names it. */
function importRefusal(error: unknown): string {
  return error instanceof ApiError ? located(error.message, error.problem.line, error.problem.component) : errorMessage(error);
}

function ImportSettings() {
  const client = useQueryClient();
  const toast = useToast();
  // The import uploaded here; else the newest one still waiting (the page was left meanwhile).
  const [chosen, setChosen] = useState<string | null>(null);
  const [refused, setRefused] = useState<string | null>(null);
  const recent = useImports();
  const waiting = recent.data?.find((i) => i.status === "previewed" || inProgress(i))?.id ?? null;
  const job = useImport(chosen ?? waiting);
  const upload = useMutation({
    mutationFn: (file: File) => api<Import>(`/api/imports?name=${encodeURIComponent(file.name)}`, { method: "POST", body: file }),
    onSuccess: (made) => {
      client.setQueryData(keys.importJob(made.id), made);
      void client.invalidateQueries({ queryKey: keys.imports, exact: true });
    },
  });
  const confirm = useMutation({
    mutationFn: (target: Import) => api<Import>(`/api/imports/${target.id}/confirm`, { method: "POST" }),
    onSuccess: (queued) => client.setQueryData(keys.importJob(queued.id), queued),
  });
  const discard = useMutation({
    mutationFn: (target: Import) => api(`/api/imports/${target.id}`, { method: "DELETE" }),
    onSuccess: (_, target) => {
      setChosen(null);
      client.setQueryData<Import[]>(keys.imports, (list) => list?.filter((i) => i.id !== target.id));
      toast({ tone: "info", message: `Discarded “${target.file_name}”: nothing was imported.` }, 3000);
    },
  });

  function choose(event: ChangeEvent<HTMLInputElement>) {
    const input = event.currentTarget;
    const file = input.files?.[0];
    // Emptied, so that choosing the same file again (after fixing it) uploads it again.
    input.value = "";
    if (!file) return;
    // The import shown so far goes (one still waiting comes back from the list).
    setChosen(null);
    upload.reset();
    confirm.reset();
    discard.reset();
    const big = tooLarge(file);
    setRefused(big);
    // Only the last file chosen is shown, should two uploads overlap.
    if (!big) upload.mutate(file, { onSuccess: (made) => setChosen(made.id) });
  }

  const failure =
    refused ??
    (upload.isError
      ? `Not imported. ${importRefusal(upload.error)}`
      : confirm.isError
        ? `The import did not start. ${importRefusal(confirm.error)}`
        : discard.isError
          ? `Not discarded. ${importRefusal(discard.error)}`
          : null);
  const shown = upload.isPending ? undefined : job.data;
  return (
    <Section title="Import" id="settings-import">
      <div className="space-y-1">
        <label htmlFor="import-file">File to import</label>
        <input
          id="import-file"
          type="file"
          accept={IMPORT_ACCEPT}
          className="input file:mr-3 file:rounded-md file:border-0 file:bg-slate-200 file:px-3 file:py-1 file:text-sm file:font-medium file:text-slate-900 dark:file:bg-slate-700 dark:file:text-slate-100"
          aria-describedby="import-file-hint"
          onChange={choose}
        />
        <p id="import-file-hint" className="muted text-xs">
          Reads a Todoist CSV export, a TickTick CSV backup, iCalendar to-dos (VTODO, from Apple Reminders, Nextcloud or Thunderbird)
          or a Taskspin JSON export, of up to 20 MB. You see what it holds before anything is created.
        </p>
      </div>
      {failure && (
        <p role="alert" className="mt-3 text-sm text-red-700 dark:text-red-400" data-testid="import-error">
          {failure}
        </p>
      )}
      <div aria-live="polite" className="text-sm">
        {upload.isPending ? (
          <p className="muted mt-3">Reading “{upload.variables.name}”…</p>
        ) : (
          shown && (
            <p className="mt-3 font-medium" data-testid="import-preview">
              {previewSentence(shown.preview)}
            </p>
          )
        )}
      </div>
      {shown && (
        <ImportJob
          job={shown}
          busy={confirm.isPending || discard.isPending}
          onConfirm={() => confirm.mutate(shown)}
          onDiscard={() => discard.mutate(shown)}
        />
      )}
    </Section>
  );
}

function ImportJob({ job, busy, onConfirm, onDiscard }: { job: Import; busy: boolean; onConfirm: () => void; onDiscard: () => void }) {
  const listed = job.preview.not_understood;
  const more = job.preview.not_understood_count - listed.length;
  const done = job.status === "done";
  let message = "";
  if (done) message = doneSentence(job);
  else if (inProgress(job)) message = progressText(job);
  return (
    <div className="mt-1 space-y-3 text-sm" data-testid="import">
      <p className="muted text-xs">
        “{job.file_name}”, read as {FORMAT_NAMES[job.format]}.
      </p>
      {listed.length > 0 && (
        <div>
          <h3 id="import-not-understood" className="font-semibold">
            Lines not understood
          </h3>
          <ul className="mt-1 list-disc space-y-1 pl-5" aria-labelledby="import-not-understood">
            {listed.map((line, index) => (
              <li key={`${line.line}:${index}`} className="[overflow-wrap:anywhere]">
                Line {line.line}: {line.reason}
                {line.text && (
                  <>
                    {" — "}
                    <code className="text-xs">{line.text}</code>
                  </>
                )}
              </li>
            ))}
            {more > 0 && <li className="muted">…and {count(more, "more line")}.</li>}
          </ul>
        </div>
      )}
      {job.status === "previewed" && (
        <div className="flex flex-wrap gap-2">
          <button type="button" className="btn-primary" onClick={onConfirm} disabled={busy}>
            Import
          </button>
          <button type="button" className="btn-secondary" onClick={onDiscard} disabled={busy}>
            Discard
          </button>
        </div>
      )}
      {(done || inProgress(job)) && <ImportProgress job={job} />}
      {/* Present from the preview on, so that each step is announced. */}
      <p aria-live="polite" data-testid="import-message" className={done ? "font-medium" : undefined}>
        {message}
      </p>
      {job.status === "failed" && (
        <p role="alert" className="text-red-700 dark:text-red-400">
          The import failed. {located(job.problem?.detail || job.problem?.title || "No reason was given.", job.problem?.line, job.problem?.component)}
        </p>
      )}
    </div>
  );
}

/** Tasks created so far; a finished import stays at 100 %. */
function ImportProgress({ job }: { job: Import }) {
  const { processed, total } = job.progress;
  const max = Math.max(total, 1);
  const now = job.status === "done" ? max : Math.min(processed, max);
  return (
    <div
      role="progressbar"
      aria-label="Import progress"
      aria-valuemin={0}
      aria-valuemax={max}
      aria-valuenow={now}
      aria-valuetext={job.status === "queued" ? progressText(job) : `${job.status === "done" ? total : processed} of ${count(total, "task")}`}
      className="h-2.5 overflow-hidden rounded-full bg-slate-200 dark:bg-slate-700"
      data-testid="import-progress"
    >
      <div className="h-full rounded-full bg-indigo-700 transition-[width] dark:bg-indigo-400" style={{ width: `${(now / max) * 100}%` }} />
    </div>
  );
}

function ExportSettings() {
  const link = "btn-secondary";
  return (
    <Section title="Export" id="settings-export">
      <p className="muted mb-3 text-sm">
        A copy of your account, to keep or to take elsewhere. The JSON file holds everything (projects, sections, tasks, suggestions,
        conversations) and can be imported again; the CSV and iCalendar files hold your tasks.
      </p>
      <ul className="flex flex-wrap gap-2" aria-label="Downloads">
        <li>
          <a className={link} href="/api/export?format=json" download>
            Everything as JSON
          </a>
        </li>
        <li>
          <a className={link} href="/api/export?format=csv" download>
            Tasks as CSV
          </a>
        </li>
        <li>
          <a className={link} href="/api/export?format=ics" download>
            Tasks as iCalendar
          </a>
        </li>
      </ul>
      <p className="muted mt-3 text-sm">
        Programs can read the JSON file by its{" "}
        <a className="text-indigo-700 underline underline-offset-2 dark:text-indigo-300" href="/api/export/schema.json">
          JSON Schema
        </a>
        .
      </p>
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
