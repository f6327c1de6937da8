//! A user's conversations with the assistant, kept in PostgreSQL so that a
//! conversation outlives the instance (and the replica) that started it.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use taskspin_db::{Db, ParameterValue, Row};

/// One tool the assistant ran while answering.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ToolCall {
    /// The model's id for the call (absent for the built-in rules).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    pub name: String,
    /// The arguments as sent: an object, or the model's text when it was not valid JSON.
    pub arguments: Value,
    /// What the tool answered: `{task_id, status, title}`, a list, or `{error}`.
    pub result: Value,
}

/// A conversation in a listing.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ConversationSummary {
    pub id: String,
    pub title: String,
    #[schema(format = DateTime)]
    pub created_at: String,
    #[schema(format = DateTime)]
    pub updated_at: String,
}

/// `GET /api/conversations`.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ConversationList {
    pub conversations: Vec<ConversationSummary>,
}

/// One message of a conversation.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Message {
    pub id: i64,
    /// `user` or `assistant`.
    pub role: String,
    pub content: String,
    pub tool_calls: Vec<ToolCall>,
    #[schema(format = DateTime)]
    pub created_at: String,
}

/// `GET /api/conversations/{id}`: the conversation and all its messages.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Conversation {
    #[serde(flatten)]
    pub summary: ConversationSummary,
    pub messages: Vec<Message>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    User,
    Assistant,
}

impl Role {
    fn as_str(self) -> &'static str {
        match self {
            Role::User => "user",
            Role::Assistant => "assistant",
        }
    }
}

const SUMMARY_COLUMNS: &str = "c.id::text AS id, c.title, rfc3339(c.created_at) AS created_at, rfc3339(c.updated_at) AS updated_at";
const MESSAGE_COLUMNS: &str =
    "m.id, m.role, m.content, m.tool_calls, rfc3339(m.created_at) AS created_at";

/// The most messages a history can hold before budgeting.
const HISTORY_ROWS: i64 = 50;
pub const TITLE_MAX_CHARS: usize = 60;

fn summary(row: &Row<'_>) -> taskspin_db::Result<ConversationSummary> {
    Ok(ConversationSummary {
        id: row.get("id")?,
        title: row.get("title")?,
        created_at: row.get("created_at")?,
        updated_at: row.get("updated_at")?,
    })
}

fn message(row: &Row<'_>) -> taskspin_db::Result<Message> {
    let tool_calls: Value = row.get("tool_calls")?;
    Ok(Message {
        id: row.get("id")?,
        role: row.get("role")?,
        content: row.get("content")?,
        tool_calls: serde_json::from_value(tool_calls).map_err(|e| taskspin_db::Error::Decode {
            column: "tool_calls".into(),
            message: e.to_string(),
        })?,
        created_at: row.get("created_at")?,
    })
}

/// A conversation's title: the start of its first message.
pub fn title_for(message: &str) -> String {
    let words = message.split_whitespace().collect::<Vec<_>>().join(" ");
    if words.chars().count() <= TITLE_MAX_CHARS {
        return words;
    }
    let cut: String = words.chars().take(TITLE_MAX_CHARS - 1).collect();
    format!("{}…", cut.trim_end())
}

/// One user's conversations.
pub struct Conversations<'a> {
    db: &'a Db,
    user_id: String,
}

impl<'a> Conversations<'a> {
    pub fn new(db: &'a Db, user_id: &str) -> Self {
        Self {
            db,
            user_id: user_id.to_owned(),
        }
    }

    fn user(&self) -> ParameterValue {
        ParameterValue::Uuid(self.user_id.clone())
    }

    /// A conversation id as the database takes it; `None` for text that is
    /// no UUID, which names no conversation.
    fn id_param(id: &str) -> Option<ParameterValue> {
        uuid::Uuid::parse_str(id)
            .ok()
            .map(|id| ParameterValue::Uuid(id.to_string()))
    }

    /// Most recently active first, at most 100.
    pub fn list(&self) -> taskspin_db::Result<Vec<ConversationSummary>> {
        self.db
            .query(
                &format!(
                    "SELECT {SUMMARY_COLUMNS} FROM conversations c WHERE c.user_id = $1
                     ORDER BY c.updated_at DESC, c.id LIMIT 100"
                ),
                &[self.user()],
            )?
            .map(summary)
    }

    pub fn summary(&self, id: &str) -> taskspin_db::Result<Option<ConversationSummary>> {
        let Some(id) = Self::id_param(id) else {
            return Ok(None);
        };
        let rows = self.db.query(
            &format!(
                "SELECT {SUMMARY_COLUMNS} FROM conversations c WHERE c.id = $1 AND c.user_id = $2"
            ),
            &[id, self.user()],
        )?;
        rows.first().map(|row| summary(&row)).transpose()
    }

    pub fn get(&self, id: &str) -> taskspin_db::Result<Option<Conversation>> {
        let Some(found) = self.summary(id)? else {
            return Ok(None);
        };
        let messages = self
            .db
            .query(
                &format!(
                    "SELECT {MESSAGE_COLUMNS} FROM conversation_messages m
                     WHERE m.conversation_id = $1 ORDER BY m.id"
                ),
                &[ParameterValue::Uuid(found.id.clone())],
            )?
            .map(message)?;
        Ok(Some(Conversation {
            summary: found,
            messages,
        }))
    }

    pub fn delete(&self, id: &str) -> taskspin_db::Result<bool> {
        let Some(id) = Self::id_param(id) else {
            return Ok(false);
        };
        Ok(self.db.execute(
            "DELETE FROM conversations WHERE id = $1 AND user_id = $2",
            &[id, self.user()],
        )? == 1)
    }

    /// A new conversation whose first message is `first_message`, in one
    /// statement: never a conversation without its question.
    pub fn start(&self, first_message: &str) -> taskspin_db::Result<ConversationSummary> {
        let rows = self.db.query_one(
            &format!(
                "WITH c AS (
                    INSERT INTO conversations (user_id, title) VALUES ($1, $2) RETURNING *
                 ), m AS (
                    INSERT INTO conversation_messages (conversation_id, role, content)
                    SELECT id, 'user', $3 FROM c
                 )
                 SELECT {SUMMARY_COLUMNS} FROM c"
            ),
            &[
                self.user(),
                ParameterValue::Str(title_for(first_message)),
                ParameterValue::Str(first_message.to_owned()),
            ],
        )?;
        let row = rows.first().expect("query_one returns one row");
        summary(&row)
    }

    /// Adds a message to a conversation of this user and marks it active;
    /// `None` when there is no such conversation.
    pub fn append(
        &self,
        conversation_id: &str,
        role: Role,
        content: &str,
        tool_calls: &[ToolCall],
    ) -> taskspin_db::Result<Option<Message>> {
        let Some(id) = Self::id_param(conversation_id) else {
            return Ok(None);
        };
        let tool_calls = serde_json::to_vec(tool_calls).unwrap_or_else(|_| b"[]".to_vec());
        let rows = self.db.query(
            &format!(
                "WITH c AS (
                    UPDATE conversations SET updated_at = now()
                    WHERE id = $1 AND user_id = $2 RETURNING id
                 )
                 INSERT INTO conversation_messages AS m (conversation_id, role, content, tool_calls)
                 SELECT id, $3, $4, $5 FROM c
                 RETURNING {MESSAGE_COLUMNS}"
            ),
            &[
                id,
                self.user(),
                ParameterValue::Str(role.as_str().to_owned()),
                ParameterValue::Str(content.to_owned()),
                ParameterValue::Jsonb(tool_calls),
            ],
        )?;
        rows.first().map(|row| message(&row)).transpose()
    }

    /// The latest messages, oldest first, that fit `budget_chars` of content
    /// (tool calls included); the newest message always counts.
    pub fn recent(
        &self,
        conversation_id: &str,
        budget_chars: usize,
    ) -> taskspin_db::Result<Vec<Message>> {
        let Some(id) = Self::id_param(conversation_id) else {
            return Ok(Vec::new());
        };
        let newest_first = self
            .db
            .query(
                &format!(
                    "SELECT {MESSAGE_COLUMNS} FROM conversation_messages m
                     JOIN conversations c ON c.id = m.conversation_id
                     WHERE m.conversation_id = $1 AND c.user_id = $2
                     ORDER BY m.id DESC LIMIT $3"
                ),
                &[id, self.user(), ParameterValue::Int64(HISTORY_ROWS)],
            )?
            .map(message)?;
        Ok(within_budget(newest_first, budget_chars))
    }
}

/// Keeps the newest messages whose size fits the budget, oldest first.
fn within_budget(newest_first: Vec<Message>, budget_chars: usize) -> Vec<Message> {
    let mut used = 0;
    let mut kept: Vec<Message> = Vec::new();
    for message in newest_first {
        let size = message.content.len()
            + message
                .tool_calls
                .iter()
                .map(|call| call.arguments.to_string().len() + call.result.to_string().len())
                .sum::<usize>();
        if !kept.is_empty() && used + size > budget_chars {
            break;
        }
        used += size;
        kept.push(message);
    }
    kept.reverse();
    kept
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(id: i64, content: &str) -> Message {
        Message {
            id,
            role: "user".into(),
            content: content.into(),
            tool_calls: Vec::new(),
            created_at: String::new(),
        }
    }

    #[test]
    fn history_keeps_the_newest_messages_that_fit() {
        let newest_first = vec![message(3, "ccc"), message(2, "bbbb"), message(1, "a")];
        let kept = within_budget(newest_first.clone(), 7);
        assert_eq!(kept.iter().map(|m| m.id).collect::<Vec<_>>(), vec![2, 3]);
        let kept = within_budget(newest_first, 1);
        assert_eq!(kept.iter().map(|m| m.id).collect::<Vec<_>>(), vec![3]);
    }

    #[test]
    fn titles_are_short_single_lines() {
        assert_eq!(title_for("  Add  a\ntask "), "Add a task");
        let long = "word ".repeat(40);
        let title = title_for(&long);
        assert!(title.chars().count() <= TITLE_MAX_CHARS);
        assert!(title.ends_with('…'));
    }
}
