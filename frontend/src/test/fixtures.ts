import type { Import, ImportPreview, Project, Section, Task } from "../api/types";

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

/** An uploaded import, previewed; `preview` and `over` set the rest. */
export function makeImport(over: Partial<Import> = {}, preview: Partial<ImportPreview> = {}): Import {
  const counts: ImportPreview = {
    tasks: 3,
    projects: 1,
    sections: 1,
    subtasks: 1,
    recurring: 1,
    completed: 0,
    project_names: ["Groceries"],
    not_understood: [],
    not_understood_count: 0,
    ...preview,
  };
  return {
    id: "0b7e6f57-3c1a-4d2e-9a8b-5f0c1d2e3f40",
    format: "todoist",
    file_name: "Groceries.csv",
    status: "previewed",
    preview: counts,
    progress: { processed: 0, total: counts.tasks },
    result: null,
    problem: null,
    created_at: "2026-05-01T00:00:00Z",
    updated_at: "2026-05-01T00:00:00Z",
    ...over,
  };
}
