// Short messages at the bottom of the screen, announced to screen readers,
// optionally with one action (Undo). While a side panel is open they move
// out of its way (index.css, "toast-region"): left of it on a wide screen,
// to the top on a narrow one, never over the assistant's message box.
import { createContext, type ReactNode, useCallback, useContext, useMemo, useRef, useState } from "react";
import { Icon } from "./Icon";

export interface Toast {
  id: number;
  message: string;
  tone: "info" | "error";
  action?: { label: string; run: () => void };
}

type Show = (toast: Omit<Toast, "id">, timeoutMs?: number) => void;

const ToastContext = createContext<Show>(() => undefined);

export function useToast(): Show {
  return useContext(ToastContext);
}

export function ToastProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const next = useRef(1);
  const dismiss = useCallback((id: number) => setToasts((list) => list.filter((t) => t.id !== id)), []);
  const show = useCallback<Show>(
    (toast, timeoutMs = 6000) => {
      const id = next.current++;
      setToasts((list) => [...list.slice(-2), { ...toast, id }]);
      window.setTimeout(() => dismiss(id), timeoutMs);
    },
    [dismiss],
  );
  const value = useMemo(() => show, [show]);
  return (
    <ToastContext.Provider value={value}>
      {children}
      <div
        className="toast-region pointer-events-none fixed inset-x-0 bottom-0 z-50 flex flex-col items-center gap-2 p-4"
        data-testid="toasts"
        role="status"
        aria-live="polite"
      >
        {toasts.map((toast) => (
          <div
            key={toast.id}
            data-testid="toast"
            className={`pointer-events-auto flex w-full max-w-md items-start gap-3 rounded-lg px-4 py-3 text-sm shadow-lg ${
              toast.tone === "error" ? "bg-red-700 text-white" : "bg-slate-800 text-white dark:bg-slate-700"
            }`}
          >
            <p className="flex-1">{toast.message}</p>
            {toast.action && (
              <button
                type="button"
                className="rounded font-semibold underline underline-offset-2 focus-visible:outline-2 focus-visible:outline-white"
                onClick={() => {
                  toast.action?.run();
                  dismiss(toast.id);
                }}
              >
                {toast.action.label}
              </button>
            )}
            <button
              type="button"
              className="rounded px-1 focus-visible:outline-2 focus-visible:outline-white"
              aria-label="Dismiss message"
              onClick={() => dismiss(toast.id)}
            >
              <Icon name="close" />
            </button>
          </div>
        ))}
      </div>
    </ToastContext.Provider>
  );
}
