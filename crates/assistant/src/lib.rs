//! The assistant: one set of tools ([`tools`]) behind three doors — the
//! app's chat (`POST /api/chat`, answered by the built-in [`rules`] or a
//! model through the [`openai`] provider), and MCP ([`mcp`]) for outside
//! assistants. Conversations are kept in PostgreSQL ([`conversations`]).

pub mod conversations;
pub mod mcp;
pub mod openai;
pub mod rules;
pub mod tools;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use taskspin_db::Db;
use taskspin_domain::quick_add::ParseContext;
use taskspin_domain::{Due, Errors, FieldError, Zone};

use conversations::{Conversations, Role, ToolCall};
use taskspin_llm::{ModelError, OpenAiSettings, Post};
use tools::Toolbox;

/// `POST /api/chat`.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChatRequest {
    /// Continue this conversation; a new one starts without it.
    #[schema(format = Uuid)]
    pub conversation_id: Option<String>,
    /// 1 to 4000 characters after trimming, without NUL.
    #[schema(
        min_length = 1,
        max_length = 4000,
        pattern = "^[^\\u0000]*[^\\u0000\\t\\n\\u000B\\u000C\\r \\u0085\\u00A0\\u1680\\u2000-\\u200A\\u2028\\u2029\\u202F\\u205F\\u3000][^\\u0000]*$"
    )]
    pub message: String,
}

/// The answer to one chat message.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ChatReply {
    pub conversation_id: String,
    pub reply: String,
    pub tool_calls: Vec<ToolCall>,
}

pub const MESSAGE_MAX_CHARS: usize = 4000;

/// Roughly 4 characters a token: the history sent to a model stays within
/// about 3,000 tokens, leaving the rest of a small context to the tools.
pub const HISTORY_BUDGET_CHARS: usize = 12_000;

/// Who answers chat messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Provider {
    Rules,
    OpenAi(OpenAiSettings),
}

impl Provider {
    /// The provider the component's Spin variables `llm_*` name.
    pub fn from_variables() -> Result<Self, String> {
        Ok(match OpenAiSettings::from_variables()? {
            Some(settings) => Provider::OpenAi(settings),
            None => Provider::Rules,
        })
    }
}

/// One answer: the reply and the tools run for it.
#[derive(Debug, Clone, PartialEq)]
pub struct Turn {
    pub reply: String,
    pub tool_calls: Vec<ToolCall>,
}

/// A provider that failed part-way; `tool_calls` were applied before it did.
#[derive(Debug)]
pub enum LlmFailure {
    Model {
        error: ModelError,
        tool_calls: Vec<ToolCall>,
    },
    Database {
        error: taskspin_db::Error,
        tool_calls: Vec<ToolCall>,
    },
}

/// Why a chat message got no reply.
#[derive(Debug)]
pub enum ChatError {
    Invalid(Vec<FieldError>),
    ConversationNotFound,
    Database(taskspin_db::Error),
    /// The model failed; the question and what was applied are stored.
    Model {
        conversation_id: String,
        error: ModelError,
        tool_calls: Vec<ToolCall>,
    },
}

impl From<taskspin_db::Error> for ChatError {
    fn from(error: taskspin_db::Error) -> Self {
        ChatError::Database(error)
    }
}

/// The signed-in user, as the assistant needs them.
pub struct Person<'u> {
    pub id: &'u str,
    pub context: ParseContext,
}

/// `Tue 25 Nov 17:00` or `Tue 25 Nov` in the user's time zone.
pub fn describe_due(due: Option<Due>, tz: Zone) -> String {
    match due {
        Some(Due::At(at)) => at
            .with_timezone(&tz)
            .format("%a %-d %b %Y %H:%M")
            .to_string(),
        Some(Due::On(date)) => date.format("%a %-d %b %Y").to_string(),
        None => "no date".to_owned(),
    }
}

/// What the model is told about the user and the rules of the tools.
pub fn system_prompt(now: DateTime<Utc>, tz: Zone) -> String {
    let local = now.with_timezone(&tz);
    format!(
        "You are the assistant of Taskspin, a to-do app. You manage the user's tasks with the tools \
         provided and nothing else.\n\
         Now: {date}, {time} in the user's time zone {tz} (UTC offset {offset}).\n\
         Rules: use a tool for every change and never claim a change you did not make. Find a task's \
         id with list_tasks before changing it; when several tasks could be meant, ask which one. \
         Give due_at in RFC 3339 with the user's offset, or due_date as YYYY-MM-DD. Task fields: {fields}.\n\
         Answer briefly, in the user's language.",
        date = local.format("%A, %-d %B %Y"),
        time = local.format("%H:%M"),
        offset = local.format("%:z"),
        fields = tools::field_rules(),
    )
}

/// Answers `request` for `person`, storing the question first so that it is
/// kept whatever happens next, and the answer (or what was done before a
/// failure) after.
pub fn chat(
    db: &Db,
    person: &Person<'_>,
    provider: &Provider,
    post: &Post<'_>,
    request: &ChatRequest,
) -> Result<ChatReply, ChatError> {
    let message = request.message.trim();
    let mut errors = Errors::default();
    if message.is_empty() || message.chars().count() > MESSAGE_MAX_CHARS {
        errors.add(
            "message",
            format!("must be 1 to {MESSAGE_MAX_CHARS} characters"),
        );
    } else if message.contains('\0') {
        errors.add("message", taskspin_domain::task::NUL_REFUSED);
    }
    errors.finish(Some(())).map_err(ChatError::Invalid)?;

    let conversations = Conversations::new(db, person.id);
    let conversation_id = match &request.conversation_id {
        Some(id) => {
            conversations
                .append(id, Role::User, message, &[])?
                .ok_or(ChatError::ConversationNotFound)?;
            // Appending parsed it: the id in its canonical spelling.
            uuid::Uuid::parse_str(id)
                .map_err(|_| ChatError::ConversationNotFound)?
                .to_string()
        }
        None => conversations.start(message)?.id,
    };

    let toolbox = Toolbox::new(db, person.id, person.context.tz);
    let outcome = match provider {
        Provider::Rules => rules::respond(&toolbox, message, &person.context).map_err(|error| {
            LlmFailure::Database {
                error,
                tool_calls: Vec::new(),
            }
        }),
        Provider::OpenAi(settings) => {
            let history = conversations.recent(&conversation_id, HISTORY_BUDGET_CHARS)?;
            let prompt = system_prompt(person.context.now, person.context.tz);
            openai::respond(settings, post, &toolbox, &prompt, &history)
        }
    };
    match outcome {
        Ok(turn) => {
            conversations.append(
                &conversation_id,
                Role::Assistant,
                &turn.reply,
                &turn.tool_calls,
            )?;
            Ok(ChatReply {
                conversation_id,
                reply: turn.reply,
                tool_calls: turn.tool_calls,
            })
        }
        Err(LlmFailure::Model { error, tool_calls }) => {
            let mut note = format!("I couldn't finish: {error}.");
            if !tool_calls.is_empty() {
                let names: Vec<&str> = tool_calls.iter().map(|c| c.name.as_str()).collect();
                note.push_str(&format!(" Before that I ran: {}.", names.join(", ")));
            }
            conversations.append(&conversation_id, Role::Assistant, &note, &tool_calls)?;
            Err(ChatError::Model {
                conversation_id,
                error,
                tool_calls,
            })
        }
        Err(LlmFailure::Database { error, .. }) => Err(ChatError::Database(error)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_system_prompt_states_the_date_and_time_zone() {
        let now = "2026-11-24T12:00:00Z".parse().unwrap();
        let prompt = system_prompt(now, Zone::named("Europe/Paris").unwrap());
        assert!(prompt.contains("Tuesday, 24 November 2026"), "{prompt}");
        assert!(prompt.contains("13:00"), "{prompt}");
        assert!(prompt.contains("Europe/Paris"), "{prompt}");
    }
}
