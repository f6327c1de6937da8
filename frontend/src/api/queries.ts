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
import { useEffect } from "react";
import { api, ApiError } from "./client";
import type { Project, ProjectColor, Section, Suggestion, Task, TaskMove, TaskPage, TaskPatch, User } from "./types";
import { descendantIds } from "../lib/tree";

export const keys = {
  me: ["me"] as const,
  tasks: ["tasks"] as const,
  task: (id: number) => ["tasks", "one", id] as const,
  taskList: (query: string) => ["tasks", "list", query] as const,
  suggestions: ["suggestions"] as const,
  suggestionCount: ["suggestions", "count"] as const,
  tokens: ["tokens"] as const,
  agentPreferences: ["preferences", "agents"] as const,
  pushKey: ["push", "key"] as const,
  pushDevices: ["push", "subscriptions"] as const,
  /** This browser's own push subscription (its endpoint), if any. */
  pushBrowser: ["push", "browser"] as const,
  calendarFeed: ["calendar", "feed"] as const,
  imports: ["imports"] as const,
  importJob: (id: string) => ["imports", "one", id] as const,
  conversations: ["conversations"] as const,
  conversation: (id: string) => ["conversations", id] as const,
  projects: ["projects"] as const,
  projectList: (status: ProjectStatus) => ["projects", "list", status] as const,
  project: (id: number) => ["projects", "one", id] as const,
  sections: (projectId: number) => ["sections", projectId] as const,
};

export type ProjectStatus = "active" | "archived" | "all";

export function useMe() {
  return useQuery({ queryKey: keys.me, queryFn: () => api<User>("/api/auth/me"), staleTime: 60_000 });
}

/** One task by id (the links of notifications and the calendar feed). */
export function useTask(id: number) {
  return useQuery({
    queryKey: keys.task(id),
    queryFn: ({ signal }) => api<Task>(`/api/tasks/${id}`, { signal }),
    enabled: Number.isInteger(id) && id > 0,
  });
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

/** Every page of a listing, fetched one after the other (a project's tree needs all of it). */
export function useAllTasks(query: string, enabled = true) {
  const list = useInfiniteQuery({
    queryKey: keys.taskList(query),
    queryFn: ({ pageParam, signal }) =>
      api<TaskPage>(`/api/tasks?${query}${pageParam ? `&cursor=${encodeURIComponent(pageParam)}` : ""}`, { signal }),
    initialPageParam: "",
    getNextPageParam: (last) => last.next_cursor ?? undefined,
    enabled,
  });
  const { hasNextPage, isFetchingNextPage, fetchNextPage, isError } = list;
  useEffect(() => {
    if (hasNextPage && !isFetchingNextPage && !isError) void fetchNextPage();
  }, [hasNextPage, isFetchingNextPage, fetchNextPage, isError]);
  return list;
}

type Pages = InfiniteData<TaskPage, string>;

/** Every task of the cached listings (each once). */
export function cachedTasks(client: QueryClient): Task[] {
  const seen = new Map<number, Task>();
  for (const [, data] of client.getQueriesData<Pages>({ queryKey: [...keys.tasks, "list"] })) {
    data?.pages.forEach((page) => page.tasks.forEach((t) => seen.set(t.id, t)));
  }
  return [...seen.values()];
}

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

/** Hides tasks from every listing at once; returns what brings them back. */
export function hideTask(client: QueryClient, id: number | number[]) {
  const ids = new Set(Array.isArray(id) ? id : [id]);
  return patchLists(client, (tasks) => tasks.filter((t) => !ids.has(t.id)));
}

/** Changes to what the task lists and the projects' counts show. */
export function invalidateTasks(client: QueryClient) {
  void client.invalidateQueries({ queryKey: keys.tasks });
  void client.invalidateQueries({ queryKey: keys.projects });
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
      // Completing a parent completes its open subtasks too (the server does the same).
      const ids = new Set([task.id, ...(task.completed ? [] : descendantIds(cachedTasks(client), task.id))]);
      return {
        restore: patchLists(client, (tasks) =>
          tasks.map((t) =>
            ids.has(t.id) && (t.id === task.id || !t.completed)
              ? { ...t, completed: !task.completed, completed_at: task.completed ? null : now }
              : t,
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
      invalidateTasks(client);
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
    /** `project_id`: where the task goes when the text names no `+Project`. */
    mutationFn: ({ text, project_id }: { text: string; project_id?: number | undefined }) =>
      api<Task>("/api/tasks/quick", { method: "POST", body: project_id === undefined ? { text } : { text, project_id } }),
    onSuccess: () => invalidateTasks(client),
  });
}

export interface NewTask {
  title: string;
  project_id?: number;
  section_id?: number | null;
  parent_id?: number | null;
}

export function useCreateTask() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: NewTask) => api<Task>("/api/tasks", { method: "POST", body }),
    onSuccess: () => invalidateTasks(client),
  });
}

/** Where a move puts the task, shown at once: the subtree follows it to its section and project. */
function movedLocally(tasks: Task[], task: Task, move: TaskMove, position: number): Task[] {
  const subtree = new Set(descendantIds(tasks, task.id));
  return tasks.map((t) => {
    if (t.id === task.id) {
      return {
        ...t,
        project_id: move.project_id ?? t.project_id,
        section_id: move.section_id === undefined ? t.section_id : move.section_id,
        parent_id: move.parent_id === undefined ? t.parent_id : move.parent_id,
        position,
      };
    }
    if (subtree.has(t.id)) {
      return {
        ...t,
        project_id: move.project_id ?? t.project_id,
        section_id: move.section_id === undefined ? t.section_id : move.section_id,
      };
    }
    return t;
  });
}

export interface MoveRequest {
  task: Task;
  move: TaskMove;
  /** The position it takes among its new siblings, for the optimistic update. */
  position: number;
}

/** POST /api/tasks/{id}/move with the version it was based on; a refusal rolls back and says why. */
export function useMoveTask(onRefused: (refusal: Refusal) => void) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ task, move }: MoveRequest) =>
      api<Task>(`/api/tasks/${task.id}/move`, { method: "POST", version: task.version, body: move }),
    onMutate: async ({ task, move, position }) => {
      await client.cancelQueries({ queryKey: keys.tasks });
      // A refused move puts back only the task and its subtree as they were:
      // restoring whole lists would also undo a move made in the meantime.
      const cached = cachedTasks(client);
      const moving = new Set([task.id, ...descendantIds(cached, task.id)]);
      const originals = new Map(cached.filter((t) => moving.has(t.id)).map((t) => [t.id, t]));
      patchLists(client, (tasks) => movedLocally(tasks, task, move, position));
      return { restore: () => patchLists(client, (tasks) => tasks.map((t) => originals.get(t.id) ?? t)) };
    },
    onError: (error, _, context) => {
      context?.restore();
      const result = refusal(error, "the move");
      if (result.current) replaceTask(client, result.current);
      onRefused(result);
    },
    onSuccess: (task) => replaceTask(client, task),
    onSettled: () => invalidateTasks(client),
  });
}

export function useProjects(status: ProjectStatus = "active", enabled = true) {
  return useQuery({
    queryKey: keys.projectList(status),
    queryFn: () => api<{ projects: Project[] }>(`/api/projects?status=${status}`).then((r) => r.projects),
    enabled,
  });
}

export function useProject(id: number) {
  return useQuery({
    queryKey: keys.project(id),
    queryFn: () => api<Project>(`/api/projects/${id}`),
    enabled: Number.isInteger(id) && id > 0,
  });
}

export function useSections(projectId: number | undefined) {
  return useQuery({
    queryKey: keys.sections(projectId ?? 0),
    queryFn: () => api<{ sections: Section[] }>(`/api/projects/${projectId ?? 0}/sections`).then((r) => r.sections),
    enabled: projectId !== undefined,
  });
}

export interface ProjectFields {
  name?: string;
  color?: ProjectColor;
}

export function useCreateProject() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (fields: ProjectFields) => api<Project>("/api/projects", { method: "POST", body: fields }),
    onSuccess: () => client.invalidateQueries({ queryKey: keys.projects }),
  });
}

/** Rename, recolour, archive, restore: each answers the project. */
export function useChangeProject() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ project, change }: { project: Project; change: ProjectFields | "archive" | "restore" }) =>
      typeof change === "string"
        ? api<Project>(`/api/projects/${project.id}/${change}`, { method: "POST" })
        : api<Project>(`/api/projects/${project.id}`, { method: "PATCH", body: change, version: project.version }),
    onSuccess: (project) => {
      client.setQueryData(keys.project(project.id), project);
      void client.invalidateQueries({ queryKey: keys.projects });
      void client.invalidateQueries({ queryKey: keys.tasks });
    },
  });
}

export function useDeleteProject() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (project: Project) => api(`/api/projects/${project.id}`, { method: "DELETE" }),
    onSuccess: (_, project) => {
      client.removeQueries({ queryKey: keys.project(project.id) });
      void client.invalidateQueries({ queryKey: keys.projects });
      void client.invalidateQueries({ queryKey: keys.tasks });
    },
  });
}

/** Reorders the cached list at once; `order` is the new order of ids. */
export function useMoveProject(onRefused: (message: string) => void) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ project, after }: { project: Project; after: number | null; order: number[] }) =>
      api<Project>(`/api/projects/${project.id}/move`, { method: "POST", body: { after } }),
    onMutate: async ({ order }) => {
      const key = keys.projectList("active");
      await client.cancelQueries({ queryKey: key });
      const previous = client.getQueryData<Project[]>(key);
      if (previous) {
        const byId = new Map(previous.map((p) => [p.id, p]));
        client.setQueryData(key, order.map((id) => byId.get(id)).filter((p): p is Project => p !== undefined));
      }
      return { previous };
    },
    onError: (error, _, context) => {
      if (context?.previous) client.setQueryData(keys.projectList("active"), context.previous);
      onRefused(`The project was not moved: ${error.message}`);
    },
    onSettled: () => client.invalidateQueries({ queryKey: keys.projects }),
  });
}

export function useSectionMutations(projectId: number, onRefused: (message: string) => void) {
  const client = useQueryClient();
  const key = keys.sections(projectId);
  const settle = () => {
    void client.invalidateQueries({ queryKey: key });
  };
  const fail = (what: string) => (error: Error) => onRefused(`${what} failed: ${error.message}`);
  const create = useMutation({
    mutationFn: (name: string) => api<Section>(`/api/projects/${projectId}/sections`, { method: "POST", body: { name } }),
    onSettled: settle,
    onError: fail("Adding the section"),
  });
  const rename = useMutation({
    mutationFn: ({ section, name }: { section: Section; name: string }) =>
      api<Section>(`/api/projects/${projectId}/sections/${section.id}`, { method: "PATCH", body: { name }, version: section.version }),
    onSettled: settle,
    onError: fail("Renaming the section"),
  });
  const remove = useMutation({
    mutationFn: (section: Section) => api(`/api/projects/${projectId}/sections/${section.id}`, { method: "DELETE" }),
    onSettled: () => {
      settle();
      invalidateTasks(client);
    },
    onError: fail("Deleting the section"),
  });
  const move = useMutation({
    mutationFn: ({ section, after }: { section: Section; after: number | null; order: number[] }) =>
      api<Section>(`/api/projects/${projectId}/sections/${section.id}/move`, { method: "POST", body: { after } }),
    onMutate: async ({ order }) => {
      await client.cancelQueries({ queryKey: key });
      const previous = client.getQueryData<Section[]>(key);
      if (previous) {
        const byId = new Map(previous.map((s) => [s.id, s]));
        client.setQueryData(key, order.map((id) => byId.get(id)).filter((s): s is Section => s !== undefined));
      }
      return { previous };
    },
    onError: (error, _, context) => {
      if (context?.previous) client.setQueryData(key, context.previous);
      onRefused(`The section was not moved: ${error.message}`);
    },
    onSettled: settle,
  });
  return { create, rename, remove, move };
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
