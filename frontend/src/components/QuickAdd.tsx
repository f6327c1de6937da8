// One line of text becomes a task; while typing, chips preview what the
// server's parser will make of it (POST /api/tasks/parse, debounced),
// including the project (+Work) and section (/Next) it goes to. Inside a
// project the task goes there unless the text names another one.
import { type SyntheticEvent, type RefObject, useState } from "react";
import { keepPreviousData, useQuery, useQueryClient } from "@tanstack/react-query";
import { api } from "../api/client";
import { keys, useQuickAdd } from "../api/queries";
import type { Parsed, Project, Section, Task } from "../api/types";
import { describeDue, dueState } from "../lib/dates";
import { useDebounced } from "../lib/useDebounced";
import { DueChip, PriorityChip, RecurrenceChip, TagChip } from "./Chips";
import { ColorDot } from "./ProjectColor";
import { useToast } from "./Toasts";

const parse = (text: string, signal?: AbortSignal) =>
  api<Parsed>("/api/tasks/parse", { method: "POST", body: { text }, signal });

/** A name as `+Name` and `/Name` match it: case-insensitive, spaces removed. */
export function tokenName(name: string): string {
  return name.replace(/\s+/g, "").toLowerCase();
}

export interface Placement {
  /** Where the task goes; null: where quick add put it (the text said so, or the Inbox). */
  project: { id: number | null; name: string; named: boolean } | null;
  section: { id: number | null; name: string } | null;
  /** Whether the created task must be moved there afterwards. */
  move: boolean;
}

/**
 * Where a quick-added task ends up: the project and section the text names,
 * else (inside a project page) that project, with `/Section` looked up among
 * its sections.
 */
export function placement(parsed: Pick<Parsed, "project" | "section">, here: Project | undefined, sections: readonly Section[] = []): Placement {
  if (parsed.project) {
    return { project: { ...parsed.project, named: true }, section: parsed.section ?? null, move: false };
  }
  if (!here) return { project: null, section: parsed.section ?? null, move: false };
  // On a project's page (the Inbox's too): that project, `/Section` among its sections.
  const wanted = parsed.section ? tokenName(parsed.section.name) : null;
  const found = wanted === null ? undefined : sections.find((s) => tokenName(s.name) === wanted);
  const section = parsed.section ? { id: found?.id ?? null, name: found?.name ?? parsed.section.name } : null;
  return { project: { id: here.id, name: here.name, named: false }, section, move: !here.inbox || (section?.id ?? null) !== null };
}

export function QuickAdd({
  zone,
  inputRef,
  project,
  sections = [],
  projects = [],
}: {
  zone: string;
  inputRef: RefObject<HTMLInputElement | null>;
  /** The project page it sits on. */
  project?: Project | undefined;
  sections?: readonly Section[];
  /** For the chips' colours. */
  projects?: readonly Project[];
}) {
  const [text, setText] = useState("");
  const debounced = useDebounced(text.trim(), 200);
  const toast = useToast();
  const client = useQueryClient();
  const add = useQuickAdd();
  const [busy, setBusy] = useState(false);
  const preview = useQuery({
    queryKey: ["parse", debounced],
    queryFn: ({ signal }) => parse(debounced, signal),
    enabled: debounced.length > 0,
    placeholderData: keepPreviousData,
    staleTime: 30_000,
    retry: false,
  });

  async function place(line: string, task: Task): Promise<Task> {
    if (!project) return task;
    const parsed = await client.query({ queryKey: ["parse", line], queryFn: () => parse(line), staleTime: 30_000 });
    const where = placement(parsed, project, sections);
    if (!where.move || !where.project || where.project.id === null) return task;
    const moved = await api<Task>(`/api/tasks/${task.id}/move`, {
      method: "POST",
      version: task.version,
      body: { project_id: where.project.id, section_id: where.section?.id ?? null },
    });
    void client.invalidateQueries({ queryKey: keys.tasks });
    void client.invalidateQueries({ queryKey: keys.projects });
    return moved;
  }

  function submit(event: SyntheticEvent) {
    event.preventDefault();
    const line = text.trim();
    if (!line || busy) return;
    setBusy(true);
    add.mutate(line, {
      onSuccess: (created) => {
        setText("");
        place(line, created)
          .then((task) => {
            const into = projects.find((p) => p.id === task.project_id);
            const named = into && !into.inbox && into.id !== project?.id ? ` to ${into.name}` : "";
            toast({ tone: "info", message: `Added “${task.title}”${named}.` }, 3000);
          })
          .catch((error: unknown) =>
            toast({
              tone: "error",
              message: `“${created.title}” was added to the Inbox but not moved here: ${error instanceof Error ? error.message : "unknown error"}`,
            }),
          )
          .finally(() => setBusy(false));
      },
      onError: (error) => {
        setBusy(false);
        toast({ tone: "error", message: `The task was not added: ${error.message}` });
      },
    });
  }

  const parsed = text.trim() && preview.data ? preview.data : null;
  const due = parsed ? describeDue(parsed, zone) : null;
  const where = parsed ? placement(parsed, project, sections) : null;
  const color = (id: number | null | undefined) => projects.find((p) => p.id === id)?.color ?? "grey";
  return (
    <form onSubmit={submit} className="card p-3" aria-label="Quick add">
      <div className="flex gap-2">
        <label htmlFor="quick-add" className="sr-only">
          New task
        </label>
        <input
          id="quick-add"
          ref={inputRef}
          className="input"
          value={text}
          onChange={(e) => setText(e.target.value)}
          placeholder={project && !project.inbox ? `Add to ${project.name}: Draft plan fri /Next` : "Add a task: Call mom tomorrow 6pm !high #family"}
          autoComplete="off"
          aria-describedby="quick-add-preview"
          maxLength={500}
        />
        <button type="submit" className="btn-primary shrink-0" disabled={!text.trim() || add.isPending || busy}>
          Add
        </button>
      </div>
      <div id="quick-add-preview" className="mt-2 flex min-h-6 flex-wrap items-center gap-1.5 text-sm" aria-live="polite" data-testid="quick-add-preview">
        {parsed ? (
          <>
            <span className="sr-only">Will create:</span>
            <span className="font-medium" data-chip="title">
              {parsed.title}
            </span>
            {where?.project &&
              (where.project.id === null ? (
                <span className="chip bg-amber-100 text-amber-900 dark:bg-amber-900/60 dark:text-amber-100" data-chip="project" data-missing="true">
                  No project “{where.project.name}”: goes to Inbox
                </span>
              ) : (
                (where.project.named || !project?.inbox) && (
                  <span className="chip bg-slate-100 text-slate-700 dark:bg-slate-800 dark:text-slate-300" data-chip="project">
                    <ColorDot color={color(where.project.id)} className="size-2" />
                    <span>
                      <span className="sr-only">Project </span>
                      {where.project.name}
                    </span>
                  </span>
                )
              ))}
            {where?.section &&
              (where.section.id === null ? (
                <span className="chip bg-amber-100 text-amber-900 dark:bg-amber-900/60 dark:text-amber-100" data-chip="section" data-missing="true">
                  No section “{where.section.name}”: no section
                </span>
              ) : (
                <span className="chip bg-slate-100 text-slate-700 dark:bg-slate-800 dark:text-slate-300" data-chip="section">
                  <span className="sr-only">Section </span>/{where.section.name}
                </span>
              ))}
            {due && <DueChip label={due} state={dueState({ ...parsed, completed: false }, zone)} />}
            {parsed.priority && <PriorityChip priority={parsed.priority} />}
            {parsed.tags.map((tag) => (
              <TagChip key={tag} tag={tag} />
            ))}
            {parsed.recurrence && <RecurrenceChip recurrence={parsed.recurrence} />}
          </>
        ) : (
          <span className="muted text-xs">
            Type a task; dates (tomorrow 6pm, fri, in 3 days), <code>!high</code>, <code>#tags</code>, <code>+Project</code>,{" "}
            <code>/Section</code> and <code>every monday</code> are understood.
          </span>
        )}
      </div>
    </form>
  );
}
