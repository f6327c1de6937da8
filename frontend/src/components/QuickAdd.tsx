// One line of text becomes a task; while typing, chips preview what the
// server's parser will make of it (POST /api/tasks/parse, debounced),
// including the project (+Work) and section (/Next) it goes to. Inside a
// project the task goes there unless the text names another one.
import { type SyntheticEvent, type RefObject, useState } from "react";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { api } from "../api/client";
import { useQuickAdd } from "../api/queries";
import type { Parsed, Project } from "../api/types";
import { describeDue, dueState } from "../lib/dates";
import { useDebounced } from "../lib/useDebounced";
import { DueChip, PriorityChip, RecurrenceChip, TagChip } from "./Chips";
import { ColorDot } from "./ProjectColor";
import { useToast } from "./Toasts";

/** Inside a project the task goes there unless the text names another: the server decides. */
const parse = (text: string, projectId: number | undefined, signal?: AbortSignal) =>
  api<Parsed>("/api/tasks/parse", { method: "POST", body: projectId === undefined ? { text } : { text, project_id: projectId }, signal });

export function QuickAdd({
  zone,
  inputRef,
  project,
  projects = [],
}: {
  zone: string;
  inputRef: RefObject<HTMLInputElement | null>;
  /** The project page it sits on. */
  project?: Project | undefined;
  /** For the chips' colours. */
  projects?: readonly Project[];
}) {
  const [text, setText] = useState("");
  const debounced = useDebounced(text.trim(), 200);
  const toast = useToast();
  const add = useQuickAdd();
  const here = project?.id;
  const preview = useQuery({
    queryKey: ["parse", debounced, here],
    queryFn: ({ signal }) => parse(debounced, here, signal),
    enabled: debounced.length > 0,
    placeholderData: keepPreviousData,
    staleTime: 30_000,
    retry: false,
  });

  function submit(event: SyntheticEvent) {
    event.preventDefault();
    const line = text.trim();
    if (!line || add.isPending) return;
    add.mutate(
      { text: line, project_id: here },
      {
        onSuccess: (task) => {
          setText("");
          const into = projects.find((p) => p.id === task.project_id);
          const named = into && !into.inbox && into.id !== here ? ` to ${into.name}` : "";
          toast({ tone: "info", message: `Added “${task.title}”${named}.` }, 3000);
        },
        onError: (error) => toast({ tone: "error", message: `The task was not added: ${error.message}` }),
      },
    );
  }

  const parsed = text.trim() && preview.data ? preview.data : null;
  const due = parsed ? describeDue(parsed, zone) : null;
  // The project chip shows where the task goes unless that is the page's own Inbox.
  const shownProject = parsed?.project && (parsed.project.id !== here || !project?.inbox) ? parsed.project : null;
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
        <button type="submit" className="btn-primary shrink-0" disabled={!text.trim() || add.isPending}>
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
            {shownProject &&
              (shownProject.id === null ? (
                <span className="chip bg-amber-100 text-amber-900 dark:bg-amber-900/60 dark:text-amber-100" data-chip="project" data-missing="true">
                  No project “{shownProject.name}”: goes to Inbox
                </span>
              ) : (
                <span className="chip bg-slate-100 text-slate-700 dark:bg-slate-800 dark:text-slate-300" data-chip="project">
                  <ColorDot color={color(shownProject.id)} className="size-2" />
                  <span>
                    <span className="sr-only">Project </span>
                    {shownProject.name}
                  </span>
                </span>
              ))}
            {parsed.section &&
              (parsed.section.id === null ? (
                <span className="chip bg-amber-100 text-amber-900 dark:bg-amber-900/60 dark:text-amber-100" data-chip="section" data-missing="true">
                  No section “{parsed.section.name}”: no section
                </span>
              ) : (
                <span className="chip bg-slate-100 text-slate-700 dark:bg-slate-800 dark:text-slate-300" data-chip="section">
                  <span className="sr-only">Section </span>/{parsed.section.name}
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
