import { type SyntheticEvent, useState } from "react";
import { Link, useLocation, useNavigate, useSearchParams } from "react-router";
import { useQueryClient } from "@tanstack/react-query";
import { api, ApiError, errorMessage } from "../api/client";
import { keys } from "../api/queries";
import type { User } from "../api/types";
import { Field } from "../components/Field";
import { safeNext } from "../lib/next";
import { AuthShell } from "./AuthShell";

export function SignIn() {
  const [params] = useSearchParams();
  const location = useLocation();
  const navigate = useNavigate();
  const client = useQueryClient();
  const [error, setError] = useState("");
  const [busy, setBusy] = useState(false);
  const next = safeNext(params.get("next"));
  const expired = (location.state as { expired?: boolean } | null)?.expired === true;

  async function submit(event: SyntheticEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setBusy(true);
    setError("");
    try {
      const user = await api<User>("/api/auth/signin", {
        method: "POST",
        anonymous: true,
        body: { email: form.get("email"), password: form.get("password") },
      });
      client.clear();
      client.setQueryData(keys.me, user);
      void navigate(next, { replace: true });
    } catch (e) {
      setError(e instanceof ApiError && e.status === 401 ? "Wrong email or password." : errorMessage(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <AuthShell title="Sign in">
      {expired && (
        <p className="mb-4 rounded-lg bg-amber-100 p-3 text-sm text-amber-900 dark:bg-amber-900/40 dark:text-amber-100" role="status">
          Your session has ended. Sign in again to continue where you were.
        </p>
      )}
      <form className="space-y-4" onSubmit={submit} noValidate>
        <Field label="Email" name="email" type="email" autoComplete="email" required />
        <Field label="Password" name="password" type="password" autoComplete="current-password" required />
        {error && (
          <p className="text-sm text-red-700 dark:text-red-400" role="alert">
            {error}
          </p>
        )}
        <button type="submit" className="btn-primary w-full" disabled={busy}>
          {busy ? "Signing in…" : "Sign in"}
        </button>
      </form>
      <p className="muted mt-4 text-sm">
        New here?{" "}
        <Link className="font-medium text-indigo-700 underline dark:text-indigo-300" to={`/signup${location.search}`}>
          Create an account
        </Link>
      </p>
    </AuthShell>
  );
}
