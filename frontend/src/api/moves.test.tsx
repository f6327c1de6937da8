import { describe, expect, it, vi } from "vitest";
import { act, renderHook, waitFor } from "@testing-library/react";
import { QueryClient, QueryClientProvider, type InfiniteData } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { makeTask } from "../test/fixtures";
import { keys, useMoveTask } from "./queries";
import type { Task, TaskPage } from "./types";

function json(body: unknown, status = 200) {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
}

describe("a refused move", () => {
  it("puts back only its own task, not a move made meanwhile", async () => {
    const first = makeTask({ id: 1, title: "First", section_id: null });
    const second = makeTask({ id: 2, title: "Second", section_id: null });
    let refuseFirst: (response: Response) => void = () => undefined;
    vi.stubGlobal(
      "fetch",
      vi.fn((url: string) => {
        if (url === "/api/tasks/1/move") return new Promise<Response>((resolve) => (refuseFirst = resolve));
        if (url === "/api/tasks/2/move") return Promise.resolve(json({ ...second, section_id: 9, version: 2 }));
        return new Promise<Response>(() => undefined); // refetches never answer here
      }),
    );
    const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
    const listKey = keys.taskList("project=7");
    client.setQueryData<InfiniteData<TaskPage, string>>(listKey, { pages: [{ tasks: [first, second], next_cursor: null }], pageParams: [""] });
    const wrapper = ({ children }: { children: ReactNode }) => <QueryClientProvider client={client}>{children}</QueryClientProvider>;
    const refused = vi.fn();
    const { result } = renderHook(() => useMoveTask(refused), { wrapper });
    const sectionOf = (id: number) =>
      client.getQueryData<InfiniteData<TaskPage, string>>(listKey)?.pages[0]?.tasks.find((t: Task) => t.id === id)?.section_id;

    act(() => result.current.mutate({ task: first, move: { section_id: 9 }, position: 5 }));
    await waitFor(() => expect(sectionOf(1)).toBe(9));
    act(() => result.current.mutate({ task: second, move: { section_id: 9 }, position: 6 }));
    await waitFor(() => expect(sectionOf(2)).toBe(9));
    refuseFirst(json({ status: 404, title: "No such task." }, 404));
    await waitFor(() => expect(refused).toHaveBeenCalled());
    expect(sectionOf(1)).toBeNull();
    expect(sectionOf(2)).toBe(9);
  });
});
