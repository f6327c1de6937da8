// A modal dialog or side panel: focus moves in on open, Tab cycles inside,
// Escape and the backdrop close it, focus returns where it was.
import { type ReactNode, useEffect, useId, useRef } from "react";
import { Icon } from "./Icon";

const FOCUSABLE =
  'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

export function focusables(root: HTMLElement): HTMLElement[] {
  return Array.from(root.querySelectorAll<HTMLElement>(FOCUSABLE)).filter((el) => !el.hasAttribute("inert"));
}

interface DialogProps {
  title: string;
  onClose: () => void;
  children: ReactNode;
  /** "panel": full height on the right (the whole width on a phone). */
  variant?: "modal" | "panel";
  /** Wider panel, for the assistant. */
  wide?: boolean;
  description?: string;
  /** Where a panel opens: the right (default) or the left (the menu). */
  side?: "left" | "right";
}

export function Dialog({ title, onClose, children, variant = "modal", wide = false, description, side = "right" }: DialogProps) {
  const ref = useRef<HTMLDivElement>(null);
  const titleId = useId();
  const descriptionId = useId();
  const close = useRef(onClose);
  useEffect(() => {
    close.current = onClose;
  });

  useEffect(() => {
    const previous = document.activeElement as HTMLElement | null;
    const root = ref.current;
    if (root) {
      const autofocus = root.querySelector<HTMLElement>("[data-autofocus]");
      (autofocus ?? focusables(root)[0] ?? root).focus();
    }
    const onKey = (event: KeyboardEvent) => {
      if (!root) return;
      if (event.key === "Escape") {
        event.stopPropagation();
        close.current();
        return;
      }
      if (event.key !== "Tab") return;
      const items = focusables(root);
      if (items.length === 0) {
        event.preventDefault();
        return;
      }
      const first = items[0];
      const last = items[items.length - 1];
      const active = document.activeElement;
      if (event.shiftKey && (active === first || !root.contains(active))) {
        event.preventDefault();
        last?.focus();
      } else if (!event.shiftKey && (active === last || !root.contains(active))) {
        event.preventDefault();
        first?.focus();
      }
    };
    document.addEventListener("keydown", onKey, true);
    document.body.classList.add("overflow-hidden");
    return () => {
      document.removeEventListener("keydown", onKey, true);
      document.body.classList.remove("overflow-hidden");
      previous?.focus();
    };
  }, []);

  const panel = variant === "panel";
  // Messages (Toasts) keep clear of a panel on the right: index.css reads this.
  useEffect(() => {
    if (!panel || side !== "right") return;
    document.body.dataset.panel = wide ? "wide" : "narrow";
    return () => {
      delete document.body.dataset.panel;
    };
  }, [panel, side, wide]);
  return (
    <div className="fixed inset-0 z-40 flex" data-dialog-root>
      <div className="fixed inset-0 bg-slate-900/50" aria-hidden="true" onClick={onClose} />
      <div
        ref={ref}
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        aria-describedby={description ? descriptionId : undefined}
        tabIndex={-1}
        className={
          panel
            ? `relative ${side === "left" ? "mr-auto max-w-xs" : "ml-auto"} flex h-full w-full flex-col overflow-y-auto bg-white shadow-xl dark:bg-slate-900 ${wide ? "sm:max-w-2xl" : "sm:max-w-md"}`
            : "relative m-auto w-[calc(100%-2rem)] max-w-md rounded-xl bg-white p-5 shadow-xl dark:bg-slate-900"
        }
      >
        <div className={`flex items-center justify-between gap-2 ${panel ? "border-b border-slate-200 px-4 py-3 dark:border-slate-700" : "mb-3"}`}>
          <h2 id={titleId} className="text-lg font-semibold">
            {title}
          </h2>
          <button type="button" className="btn-ghost" onClick={onClose} aria-label={`Close ${title}`}>
            <Icon name="close" className="size-5" />
          </button>
        </div>
        {description && (
          <p id={descriptionId} className="sr-only">
            {description}
          </p>
        )}
        <div className={panel ? "flex min-h-0 flex-1 flex-col p-4" : ""}>{children}</div>
      </div>
    </div>
  );
}
