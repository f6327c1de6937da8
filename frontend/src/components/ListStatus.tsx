// What a task list shows while it loads, or when it could not be loaded.

export function ListStatus({ pending, error, retry }: { pending: boolean; error: Error | null; retry: () => void }) {
  if (pending)
    return (
      <p className="muted" aria-busy="true">
        Loading tasks…
      </p>
    );
  if (error)
    return (
      <p role="alert" className="text-red-700 dark:text-red-400">
        Tasks could not be loaded: {error.message}{" "}
        <button type="button" className="underline" onClick={retry}>
          Try again
        </button>
      </p>
    );
  return null;
}
