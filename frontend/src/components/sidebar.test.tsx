import { describe, expect, it, vi } from "vitest";
import { fireEvent, render, screen, waitFor } from "@testing-library/react";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { createMemoryRouter, RouterProvider } from "react-router";
import { makeProject } from "../test/fixtures";
import { Sidebar } from "./Sidebar";
import { ToastProvider } from "./Toasts";

function json(body: unknown, status = 200) {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
}

describe("Sidebar", () => {
  it("lists the views and projects with open counts, and reorders projects by keyboard and buttons", async () => {
    const calls: { url: string; body: unknown }[] = [];
    const projects = [
      makeProject({ id: 1, name: "Inbox", inbox: true, open_tasks: 3 }),
      makeProject({ id: 7, name: "Work", open_tasks: 4 }),
      makeProject({ id: 8, name: "Home", color: "pink", open_tasks: 0 }),
    ];
    vi.stubGlobal(
      "fetch",
      vi.fn((url: string, init?: RequestInit) => {
        calls.push({ url, body: init?.body ? JSON.parse(init.body as string) : undefined });
        if (url.endsWith("/move")) return Promise.resolve(json(projects[1]));
        return Promise.resolve(json({ projects }));
      }),
    );
    const router = createMemoryRouter([{ path: "*", Component: () => <Sidebar onNewProject={() => undefined} /> }]);
    render(
      <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
        <ToastProvider>
          <RouterProvider router={router} />
        </ToastProvider>
      </QueryClientProvider>,
    );
    const work = await screen.findByRole("link", { name: "Work 4 open" });
    expect(screen.getByRole("link", { name: "Inbox 3 open" }).getAttribute("href")).toBe("/inbox");
    expect(screen.getByRole("link", { name: "Today" })).toBeTruthy();
    expect(screen.getByRole("link", { name: "Upcoming" })).toBeTruthy();
    expect(screen.getByRole("link", { name: "Archived projects" })).toBeTruthy();
    expect(screen.getByRole<HTMLButtonElement>("button", { name: "Move “Work” up" }).disabled).toBe(true);

    fireEvent.keyDown(work, { key: "ArrowDown", altKey: true });
    await waitFor(() => expect(calls.some((c) => c.url === "/api/projects/7/move")).toBe(true));
    expect(calls.find((c) => c.url === "/api/projects/7/move")?.body).toEqual({ after: 8 });
    expect(screen.getByText("Moved “Work” down: position 2 of 2.")).toBeTruthy();
  });
});
