// The assistant: conversations, messages, and what its tools did. After a
// reply with tool calls the task list is refreshed (a tool may have changed it).
import { type SyntheticEvent, useEffect, useRef, useState } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, isApiError } from "../api/client";
import { keys } from "../api/queries";
import type { ChatMessage, ChatReply, Conversation, ConversationSummary, ToolCall } from "../api/types";
import { Dialog } from "../components/Dialog";
import { Icon } from "../components/Icon";
import { describeToolCall } from "../lib/toolcalls";

interface Shown {
  id: string;
  role: "user" | "assistant";
  content: string;
  tool_calls: ToolCall[];
}

function ToolCalls({ calls }: { calls: ToolCall[] }) {
  if (calls.length === 0) return null;
  return (
    <ul className="mt-2 space-y-1" aria-label="What the assistant did">
      {calls.map((call, index) => {
        const { title, details, result } = describeToolCall(call);
        return (
          <li key={index} className="rounded-lg border border-slate-200 bg-slate-50 p-2 text-xs dark:border-slate-700 dark:bg-slate-800" data-testid="tool-call">
            <p className="flex items-center gap-1 font-semibold">
              <Icon name="tool" className="size-3.5" />
              <span>
                {title}: {result}
              </span>
            </p>
            {details.length > 0 && <p className="muted">{details.join(" · ")}</p>}
          </li>
        );
      })}
    </ul>
  );
}

export default function ChatPanel({ onClose }: { onClose: () => void }) {
  const client = useQueryClient();
  const [conversationId, setConversationId] = useState<string | null>(null);
  const [pending, setPending] = useState<Shown[]>([]);
  const [text, setText] = useState("");
  const end = useRef<HTMLDivElement>(null);

  const conversations = useQuery({
    queryKey: keys.conversations,
    queryFn: () => api<{ conversations: ConversationSummary[] }>("/api/conversations"),
    retry: false,
  });
  const conversation = useQuery({
    queryKey: keys.conversation(conversationId ?? ""),
    queryFn: () => api<Conversation>(`/api/conversations/${conversationId ?? ""}`),
    enabled: conversationId !== null,
  });

  const send = useMutation({
    mutationFn: (message: string) =>
      api<ChatReply>("/api/chat", {
        method: "POST",
        body: conversationId ? { conversation_id: conversationId, message } : { message },
      }),
    onMutate: (message) => setPending((list) => [...list, { id: `local-${Date.now()}`, role: "user", content: message, tool_calls: [] }]),
    onSuccess: (reply) => {
      setPending((list) => [
        ...list,
        { id: `reply-${Date.now()}`, role: "assistant", content: reply.reply, tool_calls: reply.tool_calls },
      ]);
      if (reply.tool_calls.length > 0) {
        void client.invalidateQueries({ queryKey: keys.tasks });
        void client.invalidateQueries({ queryKey: keys.suggestions });
      }
      if (conversationId !== reply.conversation_id) {
        // A new conversation: its history is what we show already.
        client.setQueryData(keys.conversation(reply.conversation_id), undefined);
      }
      setConversationId(reply.conversation_id);
      void client.invalidateQueries({ queryKey: keys.conversations });
    },
  });

  const remove = useMutation({
    mutationFn: (id: string) => api(`/api/conversations/${id}`, { method: "DELETE" }),
    onSuccess: (_, id) => {
      if (id === conversationId) {
        setConversationId(null);
        setPending([]);
      }
      void client.invalidateQueries({ queryKey: keys.conversations });
    },
  });

  const history: Shown[] = conversation.data?.messages.map((m: ChatMessage) => ({ ...m })) ?? [];
  // Messages of this panel's session not yet in the loaded history.
  const known = new Set(history.map((m) => `${m.role}:${m.content}`));
  const shown = [...history, ...pending.filter((m) => !known.has(`${m.role}:${m.content}`))];

  useEffect(() => {
    end.current?.scrollIntoView({ block: "end" });
  }, [shown.length, send.isPending]);

  function submit(event: SyntheticEvent) {
    event.preventDefault();
    const message = text.trim();
    if (!message || send.isPending) return;
    setText("");
    send.mutate(message);
  }

  function open(id: string | null) {
    setConversationId(id);
    setPending([]);
    send.reset();
  }

  const unavailable = conversations.isError && isApiError(conversations.error, 404);
  const list = conversations.data?.conversations ?? [];
  return (
    <Dialog title="Assistant" onClose={onClose} variant="panel" wide>
      <div className="flex min-h-0 flex-1 flex-col gap-3 sm:flex-row">
        <nav aria-label="Conversations" className="shrink-0 sm:w-44">
          <button type="button" className="btn-secondary mb-2 w-full" onClick={() => open(null)}>
            New conversation
          </button>
          <ul className="flex gap-1 overflow-x-auto sm:flex-col sm:overflow-visible">
            {list.map((c) => (
              <li key={c.id} className="flex shrink-0 items-center">
                <button
                  type="button"
                  className={`btn-ghost min-w-0 max-w-40 justify-start ${c.id === conversationId ? "bg-slate-200 dark:bg-slate-800" : ""}`}
                  aria-current={c.id === conversationId ? "true" : undefined}
                  onClick={() => open(c.id)}
                  title={c.title}
                >
                  <span className="truncate">{c.title || "Untitled"}</span>
                </button>
                <button
                  type="button"
                  className="btn-ghost px-1 text-xs"
                  aria-label={`Delete conversation ${c.title}`}
                  onClick={() => remove.mutate(c.id)}
                >
                  <Icon name="trash" className="size-3.5" />
                </button>
              </li>
            ))}
          </ul>
        </nav>
        <section className="flex min-h-0 flex-1 flex-col" aria-label="Messages">
          <div className="min-h-40 flex-1 space-y-3 overflow-y-auto" aria-live="polite" data-testid="chat-messages">
            {unavailable && (
              <p className="muted text-sm">The assistant is not available on this server yet.</p>
            )}
            {shown.length === 0 && !unavailable && (
              <div className="muted text-sm">
                <p>Ask in plain words, for example:</p>
                <ul className="mt-1 list-disc pl-5">
                  <li>Add a task to buy groceries</li>
                  <li>What is due this week?</li>
                </ul>
              </div>
            )}
            {shown.map((m) => (
              <div key={m.id} className={m.role === "user" ? "flex justify-end" : "flex"}>
                <div
                  className={`max-w-[85%] rounded-xl px-3 py-2 text-sm ${
                    m.role === "user"
                      ? "bg-indigo-700 text-white dark:bg-indigo-400 dark:text-slate-950"
                      : "bg-slate-100 dark:bg-slate-800"
                  }`}
                  data-role={m.role}
                >
                  <p className="whitespace-pre-wrap">{m.content}</p>
                  <ToolCalls calls={m.tool_calls} />
                </div>
              </div>
            ))}
            {send.isPending && <p className="muted text-sm">The assistant is thinking…</p>}
            {send.isError && (
              <p role="alert" className="text-sm text-red-700 dark:text-red-400">
                {isApiError(send.error, 502)
                  ? "The assistant's model did not answer. Try again in a moment."
                  : `The message was not sent: ${send.error.message}`}
              </p>
            )}
            <div ref={end} />
          </div>
          <form onSubmit={submit} className="mt-3 flex gap-2">
            <label htmlFor="chat-input" className="sr-only">
              Message the assistant
            </label>
            <input
              id="chat-input"
              data-autofocus
              className="input"
              value={text}
              onChange={(e) => setText(e.target.value)}
              placeholder="Ask the assistant…"
              autoComplete="off"
            />
            <button type="submit" className="btn-primary" disabled={send.isPending || !text.trim()}>
              Send
            </button>
          </form>
        </section>
      </div>
    </Dialog>
  );
}
