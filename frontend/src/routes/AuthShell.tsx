import type { ReactNode } from "react";

export function AuthShell({ title, children }: { title: string; children: ReactNode }) {
  return (
    <main className="flex min-h-screen items-start justify-center px-4 py-12 sm:items-center">
      <div className="card w-full max-w-sm p-6 shadow-sm">
        <p className="mb-1 flex items-center gap-2 text-sm font-semibold text-indigo-700 dark:text-indigo-300">
          <img src="/favicon.svg" alt="" width="20" height="20" /> Taskspin
        </p>
        <h1 className="mb-5 text-2xl font-semibold">{title}</h1>
        {children}
      </div>
    </main>
  );
}
