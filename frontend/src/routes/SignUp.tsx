import { type SyntheticEvent, useState } from "react";
import { Link, useLocation, useNavigate, useSearchParams } from "react-router";
import { useQueryClient } from "@tanstack/react-query";
import { api, ApiError, errorMessage } from "../api/client";
import { keys } from "../api/queries";
import type { User } from "../api/types";
import { Field } from "../components/Field";
import { browserTimeZone } from "../lib/dates";
import { safeNext } from "../lib/next";
import { AuthShell } from "./AuthShell";

export function SignUp() {
  const [params] = useSearchParams();
  const location = useLocation();
  const navigate = useNavigate();
  const client = useQueryClient();
  const [error, setError] = useState<ApiError | null>(null);
  const [message, setMessage] = useState("");
  const [busy, setBusy] = useState(false);

  async function submit(event: SyntheticEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setBusy(true);
    setError(null);
    setMessage("");
    try {
      const user = await api<User>("/api/auth/signup", {
        method: "POST",
        anonymous: true,
        body: {
          display_name: form.get("display_name"),
          email: form.get("email"),
          password: form.get("password"),
          time_zone: browserTimeZone(),
        },
      });
      client.clear();
      client.setQueryData(keys.me, user);
      void navigate(safeNext(params.get("next")), { replace: true });
    } catch (e) {
      if (e instanceof ApiError) setError(e);
      setMessage(
        e instanceof ApiError && e.status === 409
          ? "An account with this email exists already. Sign in instead."
          : e instanceof ApiError && e.status === 422
            ? "Check the fields marked below."
            : errorMessage(e),
      );
    } finally {
      setBusy(false);
    }
  }

  return (
    <AuthShell title="Create your account">
      <form className="space-y-4" onSubmit={submit} noValidate>
        <Field label="Name" name="display_name" autoComplete="name" required error={error?.field("display_name")} />
        <Field label="Email" name="email" type="email" autoComplete="email" required error={error?.field("email")} />
        <Field
          label="Password"
          name="password"
          type="password"
          autoComplete="new-password"
          required
          minLength={8}
          hint="8 to 128 characters."
          error={error?.field("password")}
        />
        {message && (
          <p className="text-sm text-red-700 dark:text-red-400" role="alert">
            {message}
          </p>
        )}
        <button type="submit" className="btn-primary w-full" disabled={busy}>
          {busy ? "Creating…" : "Create account"}
        </button>
      </form>
      <p className="muted mt-4 text-sm">
        Have an account?{" "}
        <Link className="font-medium text-indigo-700 underline dark:text-indigo-300" to={`/signin${location.search}`}>
          Sign in
        </Link>
      </p>
    </AuthShell>
  );
}
