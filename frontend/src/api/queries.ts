// Server state: queries, and the task mutations with their optimistic
// updates and rollbacks.
import {
  type InfiniteData,
  type QueryClient,
  useInfiniteQuery,
  useMutation,
  useQuery,
  useQueryClient,
} from "@tanstack/react-query";
import { api, ApiError } from "./client";
import type { Suggestion, Task, TaskPage, TaskPatch, User } from "./types";

export const keys = {
  me: ["me"] as const,
  tasks: ["tasks"] as const,
  taskList: (query: string) => ["tasks", "list", query] as const,
  suggestions: ["suggestions"] as const,
  suggestionCount: ["suggestions", "count"] as const,
  tokens: ["tokens"] as const,
  agentPreferences: ["preferences", "agents"] as const,
  conversations: ["conversations"] as const,
  conversation: (id: string) => ["conversations", id] as const,
};

export function useMe() {
  return useQuery({ queryKey: keys.me, queryFn: () => api<User>("/api/auth/me"), staleTime: 60_000 });
}

export function useTaskList(query: string) {
  return useInfiniteQuery({
    queryKey: keys.taskList(query),
    queryFn: ({ pageParam, signal }) =>
      api<TaskPage>(`/api/tasks?${query}${pageParam ? `&cursor=${encodeURIComponent(pageParam)}` : ""}`, { signal }),
    initialPageParam: "",
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
}

type Pages = InfiniteData<TaskPage, string>;

/** Applies `change` to every cached list page; returns what to restore. */
function patchLists(client: QueryClient, change: (tasks: Task[]) => Task[]) {
  const previous = client.getQueriesData<Pages>({ queryKey: [...keys.tasks, "list"] });
  client.setQueriesData<Pages>({ queryKey: [...keys.tasks, "list"] }, (data) =>
    data ? { ...data, pages: data.pages.map((page) => ({ ...page, tasks: change(page.tasks) })) } : data,
  );
  return () => previous.forEach(([key, data]) => client.setQueryData(key, data));
}

export function replaceTask(client: QueryClient, task: Task) {
  patchLists(client, (tasks) => tasks.map((t) => (t.id === task.id ? task : t)));
}

export function hideTask(client: QueryClient, id: number) {
  return patchLists(client, (tasks) => tasks.filter((t) => t.id !== id));
}

/** What a refused change leaves the person with: the message and, after a 412, the newer task. */
export interface Refusal {
  message: string;
  current?: Task;
}

export function refusal(error: unknown, what: string): Refusal {
  if (error instanceof ApiError && error.status === 412 && error.problem.current) {
    return {
      message: `“${error.problem.current.title}” was changed elsewhere, so ${what} was not saved. Showing the newer version.`,
      current: error.problem.current,
    };
  }
  if (error instanceof ApiError && error.status === 404) {
    return { message: `This task no longer exists, so ${what} was not saved.` };
  }
  return { message: `${what[0]?.toUpperCase() ?? ""}${what.slice(1)} failed: ${error instanceof Error ? error.message : "unknown error"}` };
}

/** Complete or reopen, shown at once and rolled back when refused. */
export function useToggleComplete(onRefused: (refusal: Refusal) => void) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (task: Task) =>
      api<Task>(`/api/tasks/${task.id}/${task.completed ? "reopen" : "complete"}`, {
        method: "POST",
        version: task.version,
      }),
    onMutate: async (task) => {
      await client.cancelQueries({ queryKey: keys.tasks });
      const now = new Date().toISOString();
      return {
        restore: patchLists(client, (tasks) =>
          tasks.map((t) =>
            t.id === task.id ? { ...t, completed: !task.completed, completed_at: task.completed ? null : now } : t,
          ),
        ),
      };
    },
    onError: (error, task, context) => {
      context?.restore();
      const result = refusal(error, task.completed ? "reopening it" : "completing it");
      if (result.current) replaceTask(client, result.current);
      onRefused(result);
    },
    onSuccess: (task) => replaceTask(client, task),
    onSettled: () => {
      void client.invalidateQueries({ queryKey: keys.tasks });
      void client.invalidateQueries({ queryKey: keys.suggestions });
    },
  });
}

export function useUpdateTask() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, version, patch }: { id: number; version: number; patch: TaskPatch }) =>
      api<Task>(`/api/tasks/${id}`, { method: "PATCH", version, body: patch }),
    onSuccess: (task) => {
      replaceTask(client, task);
      void client.invalidateQueries({ queryKey: keys.tasks });
      void client.invalidateQueries({ queryKey: keys.suggestions });
    },
  });
}

export function useQuickAdd() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (text: string) => api<Task>("/api/tasks/quick", { method: "POST", body: { text } }),
    onSuccess: () => client.invalidateQueries({ queryKey: keys.tasks }),
  });
}

export function useSuggestionCount(enabled = true) {
  return useQuery({
    queryKey: keys.suggestionCount,
    queryFn: () => api<{ pending: number }>("/api/suggestions/count"),
    refetchInterval: 60_000,
    enabled,
  });
}

export function useSuggestions(enabled: boolean) {
  return useQuery({
    queryKey: keys.suggestions,
    queryFn: () => api<{ suggestions: Suggestion[] }>("/api/suggestions"),
    enabled,
  });
}
