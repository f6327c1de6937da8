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
}
