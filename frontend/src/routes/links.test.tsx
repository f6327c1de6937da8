import { describe, expect, it, vi } from "vitest";
import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { renderRoutes } from "../test/render";
import { makeProject, makeTask } from "../test/fixtures";
import { InboxRoute, ProjectRoute } from "./Project";
import { TaskLink } from "./TaskLink";

function json(body: unknown, status = 200) {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
}

const inbox = makeProject({ id: 1, name: "Inbox", inbox: true });
const work = makeProject({ id: 7, name: "Work" });
const inWork = makeTask({ id: 42, title: "Call the bank", project_id: 7 });
const done = makeTask({ id: 43, title: "Pay rent", project_id: 7, completed: true, completed_at: "2026-05-02T00:00:00Z" });
const inInbox = makeTask({ id: 44, title: "Buy stamps", project_id: 1 });

function serve() {
  const fetchMock = vi.fn((url: string) => {
    if (url === "/api/auth/me") return Promise.resolve(json({ id: "u", email: "a@b.c", display_name: "A", time_zone: "UTC", week_start: 1, created_at: "" }));
    if (url === "/api/projects/1") return Promise.resolve(json(inbox));
    if (url === "/api/projects/7") return Promise.resolve(json(work));
    if (/^\/api\/projects\/\d+\/sections$/.test(url)) return Promise.resolve(json({ sections: [] }));
    if (url.startsWith("/api/projects?")) return Promise.resolve(json({ projects: [inbox, work] }));
    const one = /^\/api\/tasks\/(\d+)$/.exec(url);
    const task = [inWork, done, inInbox].find((t) => t.id === Number(one?.[1]));
    if (task) return Promise.resolve(json(task));
    if (one) return Promise.resolve(json({ status: 404, detail: "No such task." }, 404));
    // The lists: pending tasks only, as the default filters ask.
    if (url.startsWith("/api/tasks?")) {
      const project = new URLSearchParams(url.split("?")[1]).get("project");
      return Promise.resolve(json({ tasks: [inWork, inInbox].filter((t) => String(t.project_id) === project), next_cursor: null }));
    }
    return Promise.resolve(json({}, 404));
  });
  vi.stubGlobal("fetch", fetchMock);
}

function renderAt(path: string) {
  return renderRoutes(path, [
    { path: "/tasks/:id", Component: TaskLink },
    { path: "/projects/:id", Component: ProjectRoute },
    { path: "/inbox", Component: InboxRoute },
  ]).router;
}

describe("a link to one task", () => {
  it("opens its project with the editor on it; closing the editor leaves the list", async () => {
    serve();
    const user = userEvent.setup();
    const router = renderAt("/tasks/42");
    const editor = await screen.findByRole("dialog", { name: "Edit task" });
    expect(within(editor).getByLabelText<HTMLInputElement>("Title").value).toBe("Call the bank");
    expect(router.state.location.pathname).toBe("/projects/7");
    expect(router.state.location.search).toBe("?task=42");
    // Back goes where the person came from, not to the redirect.
    expect(router.state.historyAction).toBe("REPLACE");
    await user.click(within(editor).getByRole("button", { name: "Close Edit task" }));
    await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());
    expect(router.state.location.search).toBe("");
    expect(screen.getByRole("heading", { level: 1, name: "Work" })).toBeTruthy();
  });

  it("goes to the Inbox for the Inbox's tasks", async () => {
    serve();
    const router = renderAt("/tasks/44");
    const editor = await screen.findByRole("dialog", { name: "Edit task" });
    expect(within(editor).getByLabelText<HTMLInputElement>("Title").value).toBe("Buy stamps");
    expect(router.state.location.pathname).toBe("/inbox");
    expect(router.state.location.search).toBe("?task=44");
  });

  it("opens a task the list's filters leave out (a completed one)", async () => {
    serve();
    renderAt("/projects/7?task=43");
    const editor = await screen.findByRole("dialog", { name: "Edit task" });
    expect(within(editor).getByLabelText<HTMLInputElement>("Title").value).toBe("Pay rent");
  });

  it("is the Nothing here page for a task that does not exist", async () => {
    serve();
    renderAt("/tasks/999");
    await screen.findByRole("heading", { name: "Nothing here" });
  });

  it("is the Nothing here page for an id that is not one", async () => {
    serve();
    renderAt("/tasks/abc");
    await screen.findByRole("heading", { name: "Nothing here" });
  });
});
