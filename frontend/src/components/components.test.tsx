import { describe, expect, it, vi } from "vitest";
import { render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { createRef, useState } from "react";
import { Dialog } from "./Dialog";
import { QuickAdd } from "./QuickAdd";
import { ToastProvider } from "./Toasts";
import type { Project } from "../api/types";

function withClient(ui: React.ReactNode) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return (
    <QueryClientProvider client={client}>
      <ToastProvider>{ui}</ToastProvider>
    </QueryClientProvider>
  );
}

function jsonResponse(body: unknown, status = 200) {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
}

describe("QuickAdd", () => {
  it("previews what the parser makes of the text, then adds it", async () => {
    // A date in a later year than today's, whenever the test runs: the chip names its year.
    const year = new Date().getUTCFullYear() + 1;
    const fetchMock = vi.fn((url: string, init?: RequestInit) => {
      if (url === "/api/tasks/parse") {
        const { text } = JSON.parse(init?.body as string) as { text: string };
        return Promise.resolve(
          jsonResponse({
            title: text.startsWith("Call mom") ? "Call mom" : text,
            due_at: `${String(year)}-01-02T17:00:00Z`,
            due_date: null,
            priority: "high",
            tags: ["family"],
            recurrence: { kind: "every", interval: 1, unit: "week" },
          }),
        );
      }
      return Promise.resolve(jsonResponse({ id: 1, title: "Call mom" }, 201));
    });
    vi.stubGlobal("fetch", fetchMock);
    const user = userEvent.setup();
    render(withClient(<QuickAdd zone="UTC" inputRef={createRef()} />));
    await user.type(screen.getByLabelText("New task"), "Call mom tomorrow 6pm !high #family");
    const preview = screen.getByTestId("quick-add-preview");
    await waitFor(() => expect(preview.querySelector('[data-chip="priority"]')?.textContent).toContain("high"));
    expect(preview.querySelector('[data-chip="title"]')?.textContent).toBe("Call mom");
    expect(preview.querySelector('[data-chip="tag"]')?.textContent).toBe("#family");
    expect(preview.querySelector('[data-chip="due"]')?.textContent).toContain(`Jan ${String(year)} 17:00`);
    expect(preview.querySelector('[data-chip="recurrence"]')?.textContent).toContain("every week");
    // Debounced: far fewer parse calls than keystrokes.
    expect(fetchMock.mock.calls.filter(([url]) => url === "/api/tasks/parse").length).toBeLessThan(5);

    await user.click(screen.getByRole("button", { name: "Add" }));
    await waitFor(() => expect(screen.getByLabelText<HTMLInputElement>("New task").value).toBe(""));
    const add = fetchMock.mock.calls.find(([url]) => url === "/api/tasks/quick");
    expect(JSON.parse(add?.[1]?.body as string)).toEqual({ text: "Call mom tomorrow 6pm !high #family" });
  });
});

describe("Dialog", () => {
  function Harness() {
    const [open, setOpen] = useState(false);
    return (
      <>
        <button onClick={() => setOpen(true)}>Open</button>
        {open && (
          <Dialog title="Example" onClose={() => setOpen(false)}>
            <input aria-label="First" />
            <button>Last</button>
          </Dialog>
        )}
      </>
    );
  }

  it("traps focus inside and gives it back on Escape", async () => {
    const user = userEvent.setup();
    render(<Harness />);
    const opener = screen.getByRole("button", { name: "Open" });
    await user.click(opener);
    const dialog = screen.getByRole("dialog", { name: "Example" });
    expect(dialog.getAttribute("aria-modal")).toBe("true");
    expect(document.activeElement).toBe(screen.getByRole("button", { name: "Close Example" }));
    await user.tab();
    expect(document.activeElement).toBe(screen.getByLabelText("First"));
    await user.tab();
    expect(document.activeElement).toBe(screen.getByRole("button", { name: "Last" }));
    await user.tab();
    expect(document.activeElement).toBe(screen.getByRole("button", { name: "Close Example" }));
    await user.tab({ shift: true });
    expect(document.activeElement).toBe(screen.getByRole("button", { name: "Last" }));
    await user.keyboard("{Escape}");
    expect(screen.queryByRole("dialog")).toBeNull();
    expect(document.activeElement).toBe(opener);
  });
});

describe("QuickAdd placement", () => {
  it("asks the server with the project page it is on, and shows where the task goes", async () => {
    const fetch = vi.fn<(url: string, init?: RequestInit) => Promise<Response>>(() =>
      Promise.resolve(
        jsonResponse({ title: "Draft plan", due_at: null, due_date: null, priority: null, tags: [], recurrence: null, project: { name: "Work", id: 7 }, section: { name: "Next Up", id: 3 } }),
      ),
    );
    vi.stubGlobal("fetch", fetch);
    const here = { id: 7, name: "Work", inbox: false, color: "blue" } as unknown as Project;
    const user = userEvent.setup();
    render(withClient(<QuickAdd zone="UTC" inputRef={createRef()} project={here} />));
    await user.type(screen.getByLabelText("New task"), "Draft plan /nextup");
    const preview = screen.getByTestId("quick-add-preview");
    await waitFor(() => expect(preview.querySelector('[data-chip="section"]')?.textContent).toBe("Section /Next Up"));
    expect(preview.querySelector('[data-chip="project"]')?.textContent).toBe("Project Work");
    const sent = fetch.mock.calls.at(-1)?.[1]?.body;
    const body = JSON.parse(typeof sent === "string" ? sent : "{}") as { text: string; project_id?: number };
    expect(body).toEqual({ text: "Draft plan /nextup", project_id: 7 });
  });

  it("says when the named project does not exist", async () => {
    vi.stubGlobal(
      "fetch",
      vi.fn(() =>
        Promise.resolve(
          jsonResponse({ title: "Buy paint", due_at: null, due_date: null, priority: null, tags: [], recurrence: null, project: { name: "Foo", id: null }, section: null }),
        ),
      ),
    );
    const user = userEvent.setup();
    render(withClient(<QuickAdd zone="UTC" inputRef={createRef()} />));
    await user.type(screen.getByLabelText("New task"), "Buy paint +Foo");
    await waitFor(() => expect(screen.getByTestId("quick-add-preview").querySelector('[data-chip="project"]')?.textContent).toBe("No project “Foo”: goes to Inbox"));
  });
});
