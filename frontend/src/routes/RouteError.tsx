import { isRouteErrorResponse, Link, useRouteError } from "react-router";

export function RouteError() {
  const error = useRouteError();
  const message = isRouteErrorResponse(error)
    ? `${error.status} ${error.statusText}`
    : error instanceof Error
      ? error.message
      : "Something went wrong.";
  return (
    <main className="mx-auto max-w-md p-6">
      <h1 className="text-xl font-semibold">This page failed to load</h1>
      <p className="muted mt-2">{message}</p>
      <p className="mt-4 flex gap-3">
        <button type="button" className="btn-primary" onClick={() => window.location.reload()}>
          Reload
        </button>
        <Link className="btn-secondary" to="/">
          Go to my tasks
        </Link>
      </p>
    </main>
  );
}
