// One task in a list: complete/reopen, open the editor, its chips, delete.
// Project views add what they need around it (subtask toggle, drag, keys).
import type { DragEvent, KeyboardEvent, ReactNode } from "react";
import type { Project, Task } from "../api/types";
import { describeDue, dueState } from "../lib/dates";
import { DueChip, PriorityChip, ProgressChip, ProjectChip, RecurrenceChip, TagChip } from "./Chips";
import { Icon } from "./Icon";

export interface TaskRowProps {
  task: Task;
  zone: string;
  selected?: boolean;
  rowRef?: (el: HTMLButtonElement | null) => void;
  onToggle: () => void;
  onEdit: () => void;
  onDelete: () => void;
  onFocus?: () => void;
  /** Shown as a chip (views across projects). */
  project?: Project | undefined;
  /** Before the checkbox: e.g. the subtask toggle. */
  leading?: ReactNode;
  /** Before the delete button: e.g. "Add subtask". */
  trailing?: ReactNode;
  /** Below the row, inside the list item: e.g. the subtasks. */
  children?: ReactNode;
  onTitleKeyDown?: (event: KeyboardEvent<HTMLButtonElement>) => void;
  /** The id of the hint that says how to move it by keyboard. */
  hintId?: string | undefined;
  draggable?: boolean;
  onDragStart?: (event: DragEvent<HTMLElement>) => void;
  onDragEnd?: (event: DragEvent<HTMLElement>) => void;
  onDragOver?: (event: DragEvent<HTMLElement>) => void;
  onDrop?: (event: DragEvent<HTMLElement>) => void;
  /** Where a drop would land: a line above or below the row. */
  dropMark?: "before" | "after" | null;
  dragging?: boolean;
  depth?: number;
  /** Classes of the list item (a board card). */
  className?: string;
}

export function TaskRow({
  task,
  zone,
  selected = false,
  rowRef,
  onToggle,
  onEdit,
  onDelete,
  onFocus,
  project,
  leading,
  trailing,
  children,
  onTitleKeyDown,
  hintId,
  draggable = false,
  onDragStart,
  onDragEnd,
  onDragOver,
  onDrop,
  dropMark = null,
  dragging = false,
  depth = 0,
  className = "",
}: TaskRowProps) {
  const due = describeDue(task, zone);
  const state = dueState(task, zone);
  return (
    <li className={`${className} ${dragging ? "opacity-50" : ""}`} data-task-item={task.id}>
      <div
        className={`relative flex items-start gap-3 py-2.5 pr-3 ${selected ? "bg-indigo-50 dark:bg-indigo-950/40" : ""} ${
          dropMark === "before" ? "shadow-[inset_0_2px_0_0] shadow-indigo-600 dark:shadow-indigo-300" : ""
        } ${dropMark === "after" ? "shadow-[inset_0_-2px_0_0] shadow-indigo-600 dark:shadow-indigo-300" : ""}`}
        style={{ paddingLeft: `${0.75 + depth * 1.5}rem` }}
        data-testid="task"
        data-task-id={task.id}
        data-completed={task.completed}
        data-depth={depth}
        draggable={draggable}
        onDragStart={onDragStart}
        onDragEnd={onDragEnd}
        onDragOver={onDragOver}
        onDrop={onDrop}
      >
        {leading}
        <input
          type="checkbox"
          className="mt-1 size-5 shrink-0 accent-indigo-700"
          checked={task.completed}
          onChange={onToggle}
          aria-label={`${task.completed ? "Reopen" : "Complete"} “${task.title}”`}
        />
        <div className="min-w-0 flex-1">
          <button
            ref={rowRef}
            type="button"
            onClick={onEdit}
            onFocus={onFocus}
            onKeyDown={onTitleKeyDown}
            className={`block w-full rounded text-left ${task.completed ? "muted line-through" : ""}`}
            aria-label={`Edit “${task.title}”`}
            aria-describedby={hintId}
            data-move-handle={task.id}
          >
            <span className="break-words" data-testid="task-title">
              {task.title}
            </span>
          </button>
          <div className="mt-1 flex flex-wrap gap-1.5">
            {project && !project.inbox && <ProjectChip name={project.name} color={project.color} />}
            <ProgressChip counts={task.subtask_counts} />
            {due && <DueChip label={due} state={state} />}
            <PriorityChip priority={task.priority} />
            {task.tags.map((tag) => (
              <TagChip key={tag} tag={tag} />
            ))}
            {task.recurrence && <RecurrenceChip recurrence={task.recurrence} />}
          </div>
        </div>
        {trailing}
        <button type="button" className="btn-ghost shrink-0 text-sm" onClick={onDelete} aria-label={`Delete “${task.title}”`}>
          <Icon name="trash" />
        </button>
      </div>
      {children}
    </li>
  );
}
