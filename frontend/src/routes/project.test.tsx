import { describe, expect, it, vi } from "vitest";
import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { renderRoutes } from "../test/render";
import { makeProject, makeSection, makeTask } from "../test/fixtures";
import { ProjectRoute } from "./Project";
import type { Task } from "../api/types";

function json(body: unknown, status = 200) {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
}

const project = makeProject({ id: 7, name: "Work", tasks: 4, open_tasks: 4 });
const section = makeSection({ id: 3, project_id: 7, name: "Next" });
const parent = makeTask({ id: 1, title: "Plan launch", position: 100, subtask_counts: { total: 2, completed: 1 } });
const sibling = makeTask({ id: 2, title: "Book venue", position: 200 });
const child = makeTask({ id: 5, title: "Draft agenda", parent_id: 1, position: 10 });
const inSection = makeTask({ id: 6, title: "Call printer", section_id: 3, position: 10 });

function serve(moveAnswer: (id: string, body: unknown) => Response = (id) => json({ ...parent, id: Number(id) })) {
  const calls: { url: string; init?: RequestInit }[] = [];
  const fetchMock = vi.fn((url: string, init?: RequestInit) => {
    calls.push({ url, init });
    if (url === "/api/auth/me") return Promise.resolve(json({ id: "u", email: "a@b.c", display_name: "A", time_zone: "UTC", week_start: 1, created_at: "" }));
    if (url === "/api/projects/7") return Promise.resolve(json(project));
    if (url === "/api/projects/7/sections") return Promise.resolve(json({ sections: [section] }));
    if (url.startsWith("/api/projects?")) return Promise.resolve(json({ projects: [makeProject({ id: 1, name: "Inbox", inbox: true }), project] }));
    const move = /^\/api\/tasks\/(\d+)\/move$/.exec(url);
    if (move?.[1]) return Promise.resolve(moveAnswer(move[1], JSON.parse(init?.body as string)));
    if (url.startsWith("/api/tasks?")) return Promise.resolve(json({ tasks: [parent, sibling, child, inSection] satisfies Task[], next_cursor: null }));
    return Promise.resolve(json({}, 404));
  });
  vi.stubGlobal("fetch", fetchMock);
  return calls;
}

function renderAt(path: string) {
  return renderRoutes(path, [{ path: "/projects/:id", Component: ProjectRoute }]).router;
}

const moves = (calls: { url: string; init?: RequestInit }[]) => calls.filter((c) => c.url.endsWith("/move"));

describe("a project's list", () => {
  it("asks for the project's tasks in manual order, nests subtasks and shows progress", async () => {
    const calls = serve();
    renderAt("/projects/7");
    await screen.findByText("Draft agenda");
    const list = calls.find((c) => c.url.startsWith("/api/tasks?"));
    const query = new URLSearchParams(list?.url.split("?")[1]);
    expect(query.get("project")).toBe("7");
    expect(query.get("sort")).toBe("manual");
    const row = document.querySelector('[data-testid="task"][data-task-id="5"]');
    expect(row?.getAttribute("data-depth")).toBe("1");
    const parentRow = document.querySelector('[data-testid="task"][data-task-id="1"]');
    expect(parentRow?.querySelector('[data-chip="progress"]')?.textContent).toBe("Subtasks done: 1/2");
    // Collapsing hides the subtasks.
    fireEvent.click(screen.getByRole("button", { name: "Hide the subtasks of “Plan launch”" }));
    expect(screen.queryByText("Draft agenda")).toBeNull();
    expect(screen.getByRole("button", { name: "Show the subtasks of “Plan launch”" }).getAttribute("aria-expanded")).toBe("false");
    // Sections: no section first, then "Next".
    const sections = screen.getAllByTestId("section");
    expect(sections.map((s) => s.getAttribute("data-section-id"))).toEqual(["none", "3"]);
    expect(within(sections[1] as HTMLElement).getByText("Call printer")).toBeTruthy();
  });

  it("moves a task down among its siblings with Alt+ArrowDown, with its version", async () => {
    const calls = serve();
    renderAt("/projects/7");
    const title = await screen.findByRole("button", { name: "Edit “Plan launch”" });
    fireEvent.keyDown(title, { key: "ArrowDown", altKey: true });
    await waitFor(() => expect(moves(calls)).toHaveLength(1));
    const [move] = moves(calls);
    expect(move?.url).toBe("/api/tasks/1/move");
    expect(JSON.parse(move?.init?.body as string)).toEqual({ after: 2 });
    expect((move?.init?.headers as Record<string, string>)["if-match"]).toBe('"1"');
    expect(screen.getByTestId("announcer").textContent).toBe("Moved “Plan launch” to position 2 of 2 in No section.");
  });

  it("says so when the task changed elsewhere (412)", async () => {
    serve(() => json({ status: 412, title: "Precondition Failed", current: { ...sibling, title: "Book the venue", version: 2 } }, 412));
    renderAt("/projects/7");
    const title = await screen.findByRole("button", { name: "Edit “Book venue”" });
    fireEvent.keyDown(title, { key: "ArrowUp", altKey: true });
    await screen.findByText("“Book the venue” was changed elsewhere, so the move was not saved. Showing the newer version.");
  });
});

describe("deleting a task with subtasks", () => {
  it("hides the subtree at once, sends nothing before the Undo window ends, and Undo brings it back", async () => {
    const calls = serve();
    renderAt("/projects/7");
    await screen.findByText("Draft agenda");
    fireEvent.click(screen.getByRole("button", { name: "Delete “Plan launch”" }));
    await waitFor(() => expect(screen.queryByText("Draft agenda")).toBeNull());
    expect(screen.queryByText("Plan launch")).toBeNull();
    const toast = await screen.findByText("Deleted “Plan launch” and its 2 subtasks.");
    expect(calls.some((c) => c.init?.method === "DELETE")).toBe(false);
    fireEvent.click(within(toast.parentElement as HTMLElement).getByRole("button", { name: "Undo" }));
    await screen.findByText("Draft agenda");
    expect(screen.getByText("Plan launch")).toBeTruthy();
    expect(calls.some((c) => c.init?.method === "DELETE")).toBe(false);
  });
});

describe("a project's board", () => {
  it("moves a card to the next column with Alt+ArrowRight", async () => {
    const calls = serve();
    const router = renderAt("/projects/7?view=board");
    const columns = await screen.findAllByTestId("column");
    expect(columns.map((c) => c.getAttribute("data-section-id"))).toEqual(["none", "3"]);
    const card = within(columns[0] as HTMLElement).getByRole("button", { name: "Edit “Book venue”" });
    fireEvent.keyDown(card, { key: "ArrowRight", altKey: true });
    await waitFor(() => expect(moves(calls)).toHaveLength(1));
    const [move] = moves(calls);
    expect(move?.url).toBe("/api/tasks/2/move");
    // Same height in the next column: after its first card.
    expect(JSON.parse(move?.init?.body as string)).toEqual({ section_id: 3, after: 6 });
    expect(screen.getByTestId("announcer").textContent).toBe("Moved “Book venue” to position 2 of 2 in Next.");
    // The choice of view stays in the URL.
    fireEvent.click(screen.getByRole("button", { name: "List" }));
    expect(router.state.location.search).toBe("");
    fireEvent.click(screen.getByRole("button", { name: "Board" }));
    expect(router.state.location.search).toBe("?view=board");
  });
});
