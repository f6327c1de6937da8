// The API's shapes (README "Endpoints", GET /api/openapi.json).

export const PRIORITIES = ["none", "low", "medium", "high", "urgent"] as const;
export type Priority = (typeof PRIORITIES)[number];

export const WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export type Unit = "day" | "week" | "month" | "year";

export type Recurrence =
  | { kind: "every"; interval: number; unit: Unit }
  | { kind: "weekdays" }
  | { kind: "on_weekdays"; days: Weekday[] }
  | { kind: "month_day"; day: number; interval: number };

export interface Task {
  id: number;
  title: string;
  description: string;
  priority: Priority;
  tags: string[];
  due_at: string | null;
  due_date: string | null;
  recurrence: Recurrence | null;
  completed: boolean;
  completed_at: string | null;
  created_at: string;
  updated_at: string;
  version: number;
  /** The project it lives in (the Inbox when none was chosen). */
  project_id: number;
  section_id: number | null;
  parent_id: number | null;
  /** Order among its siblings (same project, section and parent). */
  position: number;
  /** Its direct subtasks. */
  subtask_counts: { total: number; completed: number };
}

export const PROJECT_COLORS = ["grey", "red", "orange", "yellow", "green", "teal", "blue", "purple", "pink"] as const;
export type ProjectColor = (typeof PROJECT_COLORS)[number];

export interface Project {
  id: number;
  name: string;
  color: ProjectColor;
  inbox: boolean;
  position: number;
  archived: boolean;
  archived_at: string | null;
  /** Pending tasks in it, subtasks included. */
  open_tasks: number;
  /** All tasks in it: what deleting it deletes. */
  tasks: number;
  created_at: string;
  updated_at: string;
  version: number;
}

export interface Section {
  id: number;
  project_id: number;
  name: string;
  position: number;
  created_at: string;
  updated_at: string;
  version: number;
}

/** POST /api/tasks/{id}/move: absent fields stay; `after` absent = the end, null = first. */
export interface TaskMove {
  project_id?: number;
  section_id?: number | null;
  parent_id?: number | null;
  after?: number | null;
}

export interface TaskPage {
  tasks: Task[];
  next_cursor: string | null;
}

export interface TaskPatch {
  title?: string;
  description?: string;
  priority?: Priority;
  tags?: string[];
  due_at?: string | null;
  due_date?: string | null;
  recurrence?: Recurrence | null;
}

export interface Parsed {
  title: string;
  due_at: string | null;
  due_date: string | null;
  priority: Priority | null;
  tags: string[];
  recurrence: Recurrence | null;
  /** `+Project` of the text; id null: no such project, the task goes to the Inbox. */
  project?: { name: string; id: number | null } | null;
  /** `/Section` of the text; id null: no such section in that project. */
  section?: { name: string; id: number | null } | null;
}

export interface User {
  id: string;
  email: string;
  display_name: string;
  time_zone: string;
  week_start: number;
  created_at: string;
}

export interface Token {
  id: string;
  name: string;
  prefix: string;
  created_at: string;
  last_used_at: string | null;
}

export interface CreatedToken extends Token {
  token: string;
}

export type SuggestionAction =
  | { reschedule_to: string }
  | { complete: boolean }
  | { clear_due: boolean }
  | { set_priority: Priority }
  | { acknowledge: boolean };

export interface Suggestion {
  id: number;
  agent: string;
  kind: string;
  message: string;
  action: SuggestionAction;
  task_ids: number[];
  status: string;
  created_at: string;
  expires_at: string;
}

export interface AgentPreferences {
  overdue_monitor: boolean;
  prioritization: boolean;
  quiet_hours: { start: string; end: string } | null;
  /** Push notifications to the person's browsers (the agents' reminders). */
  notifications: boolean;
}

/** A browser that receives push notifications (GET /api/push/subscriptions). */
export interface PushDevice {
  id: number;
  /** The push service's URL for that browser: it tells this browser's own row apart. */
  endpoint: string;
  device: string;
  created_at: string;
  last_sent_at: string | null;
}

/** GET /api/calendar/feed: whether a feed URL works, never the URL itself. */
export interface CalendarFeed {
  active: boolean;
  created_at: string | null;
}

/** POST /api/calendar/feed: the new URL, shown this once (the server keeps a hash). */
export interface CreatedCalendarFeed {
  url: string;
  webcal_url: string;
  created_at: string;
}

export type ImportFormat = "todoist" | "ticktick" | "ical" | "taskspin";
export type ImportStatus = "previewed" | "queued" | "running" | "done" | "failed";

/** A line (or an iCalendar component, by its first line) an import skips, and why. */
export interface NotUnderstood {
  /** 1-based, in the file as uploaded. */
  line: number;
  text: string;
  reason: string;
}

/** What an import would create, read when the file is uploaded. */
export interface ImportPreview {
  tasks: number;
  projects: number;
  sections: number;
  subtasks: number;
  recurring: number;
  completed: number;
  project_names: string[];
  /** The first of them (the server keeps 50). */
  not_understood: NotUnderstood[];
  not_understood_count: number;
}

export interface ImportCounts {
  tasks: number;
  projects: number;
  sections: number;
}

/** POST /api/imports (the file as the body), GET /api/imports/{id}. */
export interface Import {
  id: string;
  format: ImportFormat;
  file_name: string;
  status: ImportStatus;
  preview: ImportPreview;
  progress: { processed: number; total: number };
  result: { created: ImportCounts; already_there: ImportCounts } | null;
  problem: { title: string; detail: string; line?: number | null; component?: string | null } | null;
  created_at: string;
  updated_at: string;
}

export interface ToolCall {
  name: string;
  arguments: unknown;
  result: unknown;
}

export interface ChatReply {
  conversation_id: string;
  reply: string;
  tool_calls: ToolCall[];
}

export interface ConversationSummary {
  id: string;
  title: string;
  created_at: string;
  updated_at: string;
}

export interface ChatMessage {
  id: string;
  role: "user" | "assistant";
  content: string;
  tool_calls: ToolCall[];
  created_at: string;
}

export interface Conversation extends ConversationSummary {
  messages: ChatMessage[];
}

export interface FieldError {
  field: string;
  message: string;
}

export interface Problem {
  type?: string;
  title?: string;
  status: number;
  detail?: string;
  errors?: FieldError[];
  current?: Task;
  request_id?: string;
  /** Where in an uploaded file the problem is (imports, 1-based). */
  line?: number;
  /** The iCalendar component it is in (imports). */
  component?: string;
}
