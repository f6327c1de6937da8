//! The whole account as one JSON document (format `taskspin-export`,
//! version 1, described by `schema.json`). PostgreSQL writes each object
//! (`json_build_object`, keys in a fixed order); this module strings them
//! together, a page of tasks, suggestions or conversations at a time.

use std::io::Write;

use taskspin_db::{Db, ParameterValue};

use crate::Error;
use crate::pages::{self, CONVERSATIONS, SUGGESTIONS, TASKS};

/// The document's name and version, as the import reads them back.
pub const FORMAT: &str = "taskspin-export";
pub const VERSION: u32 = 1;

/// Everything but the paged lists, in one statement.
const HEAD: &str = "SELECT json_build_object(
    '$schema', $2::text,
    'format', $3::text,
    'version', $4::int,
    'exported_at', rfc3339(now()),
    'account', (SELECT json_build_object('id', u.id, 'email', u.email, 'display_name', u.display_name,
                    'time_zone', u.time_zone, 'week_start', u.week_start, 'created_at', rfc3339(u.created_at))
                FROM users u WHERE u.id = $1),
    'agent_preferences', (SELECT json_build_object('overdue_monitor', p.overdue_monitor,
                    'prioritization', p.prioritization, 'notifications', p.notifications,
                    'quiet_start', p.quiet_start, 'quiet_end', p.quiet_end)
                FROM agent_preferences p WHERE p.user_id = $1),
    'calendar_feed', (SELECT json_build_object('created_at', rfc3339(f.created_at),
                    'last_fetched_at', rfc3339(f.last_fetched_at))
                FROM calendar_feeds f WHERE f.user_id = $1),
    'tokens', COALESCE((SELECT json_agg(json_build_object('name', k.name, 'prefix', k.prefix,
                    'created_at', rfc3339(k.created_at), 'last_used_at', rfc3339(k.last_used_at)) ORDER BY k.id)
                FROM api_tokens k WHERE k.user_id = $1), '[]'),
    'devices', COALESCE((SELECT json_agg(json_build_object('device', d.device,
                    'created_at', rfc3339(d.created_at), 'last_sent_at', rfc3339(d.last_sent_at)) ORDER BY d.id)
                FROM push_subscriptions d WHERE d.user_id = $1), '[]'),
    'projects', COALESCE((SELECT json_agg(json_build_object('id', p.id, 'name', p.name, 'color', p.color,
                    'inbox', p.inbox, 'position', p.position, 'archived_at', rfc3339(p.archived_at),
                    'created_at', rfc3339(p.created_at), 'updated_at', rfc3339(p.updated_at),
                    'source_id', p.source_id,
                    'sections', COALESCE((SELECT json_agg(json_build_object('id', s.id, 'name', s.name,
                            'position', s.position, 'created_at', rfc3339(s.created_at),
                            'updated_at', rfc3339(s.updated_at), 'source_id', s.source_id)
                            ORDER BY s.position, s.id)
                        FROM sections s WHERE s.project_id = p.id), '[]'))
                    ORDER BY p.position, p.id)
                FROM projects p WHERE p.user_id = $1), '[]')
)::text AS document";

const TASK: &str = "json_build_object('id', t.id, 'project_id', t.project_id, 'section_id', t.section_id,
    'parent_id', t.parent_id, 'position', t.position, 'title', t.title, 'description', t.description,
    'priority', (ARRAY['none', 'low', 'medium', 'high', 'urgent'])[t.priority + 1], 'tags', t.tags,
    'due_at', rfc3339(t.due_at), 'due_date', t.due_date, 'recurrence', t.recurrence,
    'completed_at', rfc3339(t.completed_at), 'created_at', rfc3339(t.created_at),
    'updated_at', rfc3339(t.updated_at), 'version', t.version, 'source_id', t.source_id)::text AS document";

const SUGGESTION: &str = "json_build_object('id', t.id, 'agent', t.agent, 'kind', t.kind,
    'message', t.message, 'action', t.action, 'status', t.status, 'task_ids', t.task_ids,
    'created_at', rfc3339(t.created_at), 'expires_at', rfc3339(t.expires_at),
    'resolved_at', rfc3339(t.resolved_at))::text AS document";

const CONVERSATION: &str = "json_build_object('id', t.id, 'title', t.title,
    'created_at', rfc3339(t.created_at), 'updated_at', rfc3339(t.updated_at),
    'messages', COALESCE((SELECT json_agg(json_build_object('role', m.role, 'content', m.content,
            'tool_calls', m.tool_calls, 'created_at', rfc3339(m.created_at)) ORDER BY m.id)
        FROM conversation_messages m WHERE m.conversation_id = t.id), '[]'))::text AS document";

pub fn write(db: &Db, user_id: &str, origin: &str, out: &mut dyn Write) -> Result<(), Error> {
    let head: String = db
        .query_one(
            HEAD,
            &[
                ParameterValue::Uuid(user_id.to_owned()),
                ParameterValue::Str(format!("{origin}/api/export/schema.json")),
                ParameterValue::Str(FORMAT.to_owned()),
                ParameterValue::Int32(VERSION as i32),
            ],
        )?
        .first()
        .expect("query_one has a row")
        .get("document")?;
    // The head is an object: the lists go in before its closing brace.
    let open = head.trim_end().strip_suffix('}').unwrap_or(&head);
    out.write_all(open.as_bytes())?;
    for (name, table, select) in [
        ("tasks", &TASKS, TASK),
        ("suggestions", &SUGGESTIONS, SUGGESTION),
        ("conversations", &CONVERSATIONS, CONVERSATION),
    ] {
        write!(out, ", \"{name}\" : [")?;
        let mut first = true;
        pages::each_row(db, user_id, table, select, |row| {
            if !first {
                out.write_all(b",\n")?;
            }
            first = false;
            out.write_all(row.get::<String>("document")?.as_bytes())?;
            Ok(())
        })?;
        out.write_all(b"]")?;
    }
    out.write_all(b"}\n")?;
    Ok(())
}
