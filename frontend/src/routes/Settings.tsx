// Settings: profile and time zone, the agents, personal access tokens,
// password, and deleting the account.
import { type SyntheticEvent, type ReactNode, useState } from "react";
import { useNavigate } from "react-router";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, ApiError, errorMessage } from "../api/client";
import { keys, useMe } from "../api/queries";
import type { AgentPreferences, CreatedToken, Token, User } from "../api/types";
import { text } from "../lib/form";
import { Dialog } from "../components/Dialog";
import { Field } from "../components/Field";
import { useToast } from "../components/Toasts";
import { timeZones } from "../lib/dates";

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

function Agents() {
  const client = useQueryClient();
  const toast = useToast();
  const prefs = useQuery({
    queryKey: keys.agentPreferences,
    queryFn: () => api<AgentPreferences>("/api/preferences/agents"),
  });
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

function Tokens() {
  const client = useQueryClient();
  const toast = useToast();
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
              onClick={() => {
                void navigator.clipboard.writeText(created.token).then(() => toast({ tone: "info", message: "Copied." }, 2000));
              }}
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
    onSuccess: () => {
      client.clear();
      void navigate("/signup", { replace: true });
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
