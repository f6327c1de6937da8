// One line of text becomes a task; while typing, chips preview what the
// server's parser will make of it (POST /api/tasks/parse, debounced).
import { type SyntheticEvent, type RefObject, useState } from "react";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { api } from "../api/client";
import { useQuickAdd } from "../api/queries";
import type { Parsed } from "../api/types";
import { describeDue, dueState } from "../lib/dates";
import { useDebounced } from "../lib/useDebounced";
import { DueChip, PriorityChip, RecurrenceChip, TagChip } from "./Chips";
import { useToast } from "./Toasts";

export function QuickAdd({ zone, inputRef }: { zone: string; inputRef: RefObject<HTMLInputElement | null> }) {
  const [text, setText] = useState("");
  const debounced = useDebounced(text.trim(), 200);
  const toast = useToast();
  const add = useQuickAdd();
  const preview = useQuery({
    queryKey: ["parse", debounced],
    queryFn: ({ signal }) => api<Parsed>("/api/tasks/parse", { method: "POST", body: { text: debounced }, signal }),
    enabled: debounced.length > 0,
    placeholderData: keepPreviousData,
    staleTime: 30_000,
    retry: false,
  });

  function submit(event: SyntheticEvent) {
    event.preventDefault();
    const line = text.trim();
    if (!line) return;
    add.mutate(line, {
      onSuccess: (task) => {
        setText("");
        toast({ tone: "info", message: `Added “${task.title}”.` }, 3000);
      },
      onError: (error) => toast({ tone: "error", message: `The task was not added: ${error.message}` }),
    });
  }

  const parsed = text.trim() && preview.data ? preview.data : null;
  const due = parsed ? describeDue(parsed, zone) : null;
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
          placeholder="Add a task: Call mom tomorrow 6pm !high #family"
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
            {due && <DueChip label={due} state={dueState({ ...parsed, completed: false }, zone)} />}
            {parsed.priority && <PriorityChip priority={parsed.priority} />}
            {parsed.tags.map((tag) => (
              <TagChip key={tag} tag={tag} />
            ))}
            {parsed.recurrence && <RecurrenceChip recurrence={parsed.recurrence} />}
          </>
        ) : (
          <span className="muted text-xs">
            Type a task; dates (tomorrow 6pm, fri, in 3 days), <code>!high</code>, <code>#tags</code> and <code>every monday</code> are understood.
          </span>
        )}
      </div>
    </form>
  );
}
