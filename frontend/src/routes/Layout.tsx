// The signed-in frame: header (tasks, settings, suggestions, assistant,
// theme, sign out) around the current screen. A missing or expired session
// sends the person to sign-in, and back here afterwards.
import { lazy, Suspense, useEffect, useRef, useState } from "react";
import { Link, NavLink, Outlet, useLocation, useNavigate } from "react-router";
import { useQueryClient } from "@tanstack/react-query";
import { api, isApiError, onUnauthorized } from "../api/client";
import { keys, useMe, useSuggestionCount } from "../api/queries";
import { Dialog } from "../components/Dialog";
import { Icon, type IconName } from "../components/Icon";
import { ProjectDialog } from "../components/ProjectDialogs";
import { Sidebar } from "../components/Sidebar";
import { useToast } from "../components/Toasts";
import { isTypingOrDialog, SHORTCUTS } from "../lib/keys";
import { onTasksChangedByNotification } from "../lib/push";
import { applyTheme, nextTheme, savedTheme, type Theme } from "../lib/theme";

const SuggestionsPanel = lazy(() => import("./SuggestionsPanel"));
const ChatPanel = lazy(() => import("./ChatPanel"));

type Panel = "none" | "suggestions" | "assistant" | "shortcuts" | "menu" | "new-project";

const THEME_LABEL: Record<Theme, string> = { system: "System theme", light: "Light theme", dark: "Dark theme" };
const THEME_ICON: Record<Theme, IconName> = { system: "contrast", light: "sun", dark: "moon" };

export function Layout() {
  const me = useMe();
  const navigate = useNavigate();
  const location = useLocation();
  const client = useQueryClient();
  const toast = useToast();
  const [panel, setPanel] = useState<Panel>("none");
  const [theme, setTheme] = useState<Theme>(savedTheme);
  const signedIn = me.isSuccess;
  const count = useSuggestionCount(signedIn);
  const here = useRef("");
  useEffect(() => {
    here.current = location.pathname + location.search;
  }, [location]);

  useEffect(() => {
    const expired = () => {
      client.clear();
      void navigate(`/signin?next=${encodeURIComponent(here.current)}`, { replace: true, state: { expired: true } });
    };
    return onUnauthorized(expired);
  }, [client, navigate]);

  // Done or Tomorrow on a notification changed tasks: the lists show it.
  useEffect(
    () =>
      onTasksChangedByNotification(() => {
        void client.invalidateQueries({ queryKey: keys.tasks });
        void client.invalidateQueries({ queryKey: keys.projects });
        void client.invalidateQueries({ queryKey: keys.suggestions });
      }),
    [client],
  );

  useEffect(() => {
    if (me.isError && isApiError(me.error, 401)) {
      void navigate(`/signin?next=${encodeURIComponent(here.current)}`, { replace: true });
    }
  }, [me.isError, me.error, navigate]);

  useEffect(() => {
    if (theme !== "system") return;
    const media = window.matchMedia("(prefers-color-scheme: dark)");
    const follow = () => applyTheme("system");
    media.addEventListener("change", follow);
    return () => media.removeEventListener("change", follow);
  }, [theme]);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key === "?" && !isTypingOrDialog(event)) {
        event.preventDefault();
        setPanel("shortcuts");
      }
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, []);

  async function signOut() {
    try {
      await api("/api/auth/signout", { method: "POST", anonymous: true });
    } catch {
      // Signed out on this side regardless.
    }
    client.clear();
    void navigate("/signin", { replace: true });
  }

  function toggleTheme() {
    const next = nextTheme(theme);
    applyTheme(next);
    setTheme(next);
    toast({ message: THEME_LABEL[next], tone: "info" }, 1500);
  }

  if (!signedIn) {
    return (
      <div className="flex min-h-screen items-center justify-center p-6" aria-busy="true">
        {me.isError && !isApiError(me.error, 401) ? (
          <div className="text-center" role="alert">
            <p>Taskspin cannot reach the server.</p>
            <button type="button" className="btn-primary mt-3" onClick={() => void me.refetch()}>
              Try again
            </button>
          </div>
        ) : (
          <p className="muted">Loading…</p>
        )}
      </div>
    );
  }

  const pending = count.data?.pending ?? 0;
  const navClass = ({ isActive }: { isActive: boolean }) =>
    `btn-ghost ${isActive ? "bg-slate-200 dark:bg-slate-800" : ""}`;
  return (
    <div className="min-h-screen">
      <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 btn-primary">
        Skip to content
      </a>
      <header className="sticky top-0 z-30 border-b border-slate-200 bg-white/95 backdrop-blur dark:border-slate-800 dark:bg-slate-900/95">
        <div className="mx-auto flex max-w-7xl items-center gap-1 px-2 py-2 sm:gap-2 sm:px-4">
          <button
            type="button"
            className="btn-ghost md:hidden"
            onClick={() => setPanel("menu")}
            aria-label="Menu"
            aria-expanded={panel === "menu"}
            aria-haspopup="dialog"
          >
            <Icon name="menu" className="size-5" />
          </button>
          <Link to="/" aria-label="Taskspin" className="mr-1 flex items-center gap-2 rounded font-semibold sm:mr-3">
            <img src="/favicon.svg" alt="" width="24" height="24" />
            <span className="hidden sm:inline">Taskspin</span>
          </Link>
          <nav aria-label="Main" className="flex items-center gap-1">
            <NavLink to="/settings" className={navClass}>
              Settings
            </NavLink>
          </nav>
          <div className="ml-auto flex items-center gap-1">
            <button
              type="button"
              className="btn-ghost relative"
              onClick={() => setPanel("suggestions")}
              aria-label={`Suggestions, ${pending} pending`}
              data-testid="suggestions-button"
            >
              <Icon name="bulb" className="size-5" />
              <span className="hidden sm:inline">Suggestions</span>
              {pending > 0 && (
                <span
                  className="rounded-full bg-indigo-700 px-1.5 text-xs font-semibold text-white dark:bg-indigo-400 dark:text-slate-950"
                  data-testid="suggestions-badge"
                  aria-hidden="true"
                >
                  {pending}
                </span>
              )}
            </button>
            <button type="button" className="btn-ghost" onClick={() => setPanel("assistant")} aria-label="Assistant">
              <Icon name="chat" className="size-5" />
              <span className="hidden sm:inline">Assistant</span>
            </button>
            <button
              type="button"
              className="btn-ghost"
              onClick={toggleTheme}
              aria-label={`${THEME_LABEL[theme]}: switch to ${THEME_LABEL[nextTheme(theme)].toLowerCase()}`}
              title={THEME_LABEL[theme]}
            >
              <Icon name={THEME_ICON[theme]} className="size-5" />
            </button>
            <button type="button" className="btn-ghost" onClick={() => void signOut()}>
              Sign out
            </button>
          </div>
        </div>
      </header>
      <div className="mx-auto flex max-w-7xl">
        <aside className="sticky top-14 hidden h-[calc(100vh-3.5rem)] w-60 shrink-0 overflow-y-auto border-r border-slate-200 px-2 py-4 md:block dark:border-slate-800">
          <Sidebar onNewProject={() => setPanel("new-project")} />
        </aside>
        <main id="main" className="min-w-0 flex-1 px-3 py-4 sm:px-4">
          <div className="mx-auto max-w-5xl">
            <Outlet />
          </div>
        </main>
      </div>
      <Suspense fallback={null}>
        {panel === "suggestions" && <SuggestionsPanel onClose={() => setPanel("none")} />}
        {panel === "assistant" && <ChatPanel onClose={() => setPanel("none")} />}
      </Suspense>
      {panel === "menu" && (
        <Dialog title="Menu" onClose={() => setPanel("none")} variant="panel" side="left">
          <Sidebar onNavigate={() => setPanel("none")} onNewProject={() => setPanel("new-project")} />
        </Dialog>
      )}
      {panel === "new-project" && <ProjectDialog onClose={() => setPanel("none")} />}
      {panel === "shortcuts" && (
        <Dialog title="Keyboard shortcuts" onClose={() => setPanel("none")}>
          <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-2 text-sm">
            {SHORTCUTS.map(([key, what]) => (
              <div key={key} className="contents">
                <dt>
                  <kbd className="rounded border border-slate-300 px-1.5 py-0.5 font-mono text-xs dark:border-slate-600">{key}</kbd>
                </dt>
                <dd>{what}</dd>
              </div>
            ))}
          </dl>
        </Dialog>
      )}
    </div>
  );
}
