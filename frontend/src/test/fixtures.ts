import type { Project, Section, Task } from "../api/types";

let next = 100;

/** A task with the fields the server always answers; `over` sets the rest. */
export function makeTask(over: Partial<Task> = {}): Task {
  const id = over.id ?? next++;
  return {
    id,
    title: `Task ${id}`,
    description: "",
    priority: "none",
    tags: [],
    due_at: null,
    due_date: null,
    recurrence: null,
    completed: false,
    completed_at: null,
    created_at: "2026-05-01T00:00:00Z",
    updated_at: "2026-05-01T00:00:00Z",
    version: 1,
    project_id: 7,
    section_id: null,
    parent_id: null,
    position: id * 1024,
    subtask_counts: { total: 0, completed: 0 },
    ...over,
  };
}

export function makeProject(over: Partial<Project> = {}): Project {
  return {
    id: 7,
    name: "Work",
    color: "blue",
    inbox: false,
    position: 2_097_152,
    archived: false,
    archived_at: null,
    open_tasks: 0,
    tasks: 0,
    created_at: "2026-05-01T00:00:00Z",
    updated_at: "2026-05-01T00:00:00Z",
    version: 1,
    ...over,
  };
}

export function makeSection(over: Partial<Section> = {}): Section {
  return {
    id: 3,
    project_id: 7,
    name: "Next",
    position: 1_048_576,
    created_at: "2026-05-01T00:00:00Z",
    updated_at: "2026-05-01T00:00:00Z",
    version: 1,
    ...over,
  };
}
