//! The assistant's tools: the one door through which a model, the rules
//! parser or an MCP client reads and changes a user's tasks. Each tool goes
//! through the same stores and validation as the REST API, scoped to the
//! signed-in user, so no argument can reach another user's data.

use serde::Deserialize;
use serde_json::{Map, Value, json};
use taskspin_agents::suggestions::{Refusal, Suggestion, Suggestions};
use taskspin_db::Db;
use taskspin_domain::{FieldError, Zone};
use taskspin_projects::{NewProject, Project, Projects, StatusFilter};
use taskspin_tasks::{IfMatch, ListQuery, MoveTask, NewTask, Outcome, Task, TaskPatch, Tasks};

/// A tool as models and MCP clients see it.
#[derive(Debug, Clone)]
pub struct ToolDefinition {
    pub name: &'static str,
    pub description: &'static str,
    /// JSON Schema of the arguments object.
    pub input_schema: Value,
}

/// What a tool answered: a JSON object, or an error the caller can read
/// (bad arguments, no such task) with `is_error`.
#[derive(Debug, Clone, PartialEq)]
pub struct ToolOutput {
    pub result: Value,
    pub is_error: bool,
}

impl ToolOutput {
    fn ok(result: Value) -> Self {
        Self {
            result,
            is_error: false,
        }
    }

    pub fn error(message: impl Into<String>) -> Self {
        Self {
            result: json!({ "error": message.into() }),
            is_error: true,
        }
    }
}

const TASK_FIELDS: &str = "title (1-200 characters), description, priority (none, low, medium, high, urgent), \
tags (lower-case words without spaces), due_at (RFC 3339 with offset) or due_date (YYYY-MM-DD), \
recurrence ({kind: every, interval, unit: day|week|month|year}, {kind: weekdays}, \
{kind: on_weekdays, days: [mon..sun]}, {kind: month_day, day, interval})";

fn task_properties() -> Map<String, Value> {
    let recurrence = json!({
        "type": ["object", "null"],
        "description": "How the task repeats, e.g. {\"kind\":\"every\",\"interval\":1,\"unit\":\"week\"}, {\"kind\":\"weekdays\"}, {\"kind\":\"on_weekdays\",\"days\":[\"mon\",\"thu\"]}, {\"kind\":\"month_day\",\"day\":1,\"interval\":1}",
        "properties": {
            "kind": {"type": "string", "enum": ["every", "weekdays", "on_weekdays", "month_day"]},
            "interval": {"type": "integer", "minimum": 1},
            "unit": {"type": "string", "enum": ["day", "week", "month", "year"]},
            "days": {"type": "array", "items": {"type": "string", "enum": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]}},
            "day": {"type": "integer", "minimum": 1, "maximum": 31}
        },
        "required": ["kind"]
    });
    let properties = json!({
        "title": {"type": "string", "minLength": 1, "maxLength": 200},
        "description": {"type": "string", "maxLength": 10000},
        "priority": {"type": "string", "enum": ["none", "low", "medium", "high", "urgent"]},
        "tags": {"type": "array", "items": {"type": "string"}, "maxItems": 20},
        "due_at": {"type": ["string", "null"], "description": "A due instant, RFC 3339 with an offset (YYYY-MM-DDTHH:MM:SS+HH:MM)"},
        "due_date": {"type": ["string", "null"], "description": "A due day without a time, YYYY-MM-DD"},
        "recurrence": recurrence
    });
    match properties {
        Value::Object(map) => map,
        _ => unreachable!("a JSON object literal"),
    }
}

fn object(properties: Map<String, Value>, required: &[&str]) -> Value {
    json!({
        "type": "object",
        "properties": properties,
        "required": required,
        "additionalProperties": false
    })
}

fn id_property(name: &str, what: &str) -> Map<String, Value> {
    let mut map = Map::new();
    map.insert(
        name.into(),
        json!({"type": "integer", "description": format!("The {what}'s id")}),
    );
    map
}

/// Where a task goes: a project, a section of it, a parent task.
fn placement_properties() -> Map<String, Value> {
    let mut map = Map::new();
    for (name, what) in [
        (
            "project_id",
            "One of the user's projects (list_projects); default the Inbox",
        ),
        ("section_id", "A section of that project"),
        (
            "parent_id",
            "Makes it a subtask of this task (subtasks go 4 levels deep at most)",
        ),
    ] {
        map.insert(name.into(), json!({"type": "integer", "description": what}));
    }
    map
}

/// Every tool, in a stable order.
pub fn definitions() -> Vec<ToolDefinition> {
    let mut update = task_properties();
    update.extend(id_property("task_id", "task"));
    let mut add = task_properties();
    add.extend(placement_properties());
    let mut moving = placement_properties();
    moving.extend(id_property("task_id", "task"));
    for nullable in ["section_id", "parent_id"] {
        moving[nullable]["type"] = json!(["integer", "null"]);
    }
    moving["parent_id"]["description"] = json!("The new parent task; null makes it top level");
    let project = json!({
        "name": {"type": "string", "minLength": 1, "maxLength": 100},
        "color": {"type": "string", "enum": taskspin_domain::project::Color::ALL.map(|c| c.as_str())}
    });
    let Value::Object(project) = project else {
        unreachable!("a JSON object literal")
    };
    let mut archived = Map::new();
    archived.insert(
        "archived".into(),
        json!({"type": "boolean", "description": "List the archived projects instead"}),
    );
    let list = json!({
        "status": {"type": "string", "enum": ["pending", "completed", "overdue", "all"], "description": "Default pending"},
        "q": {"type": "string", "description": "Full-text search over title and description"},
        "tag": {"type": "string"},
        "priority": {"type": "string", "description": "Comma-separated priorities, e.g. high,urgent"},
        "due_before": {"type": "string", "description": "RFC 3339 instant, or a date meaning its start in the user's time zone"},
        "due_after": {"type": "string", "description": "RFC 3339 instant, or a date"},
        "sort": {"type": "string", "enum": ["due", "priority", "created", "updated", "title", "manual"]},
        "project": {"type": ["string", "integer"], "description": "Only this project's tasks: its id, or \"inbox\""},
        "parent": {"type": ["string", "integer"], "description": "Only this task's subtasks: its id, or \"none\" for top-level tasks"},
        "limit": {"type": "integer", "minimum": 1, "maximum": 100, "description": "Default 20"}
    });
    let Value::Object(list) = list else {
        unreachable!("a JSON object literal")
    };
    vec![
        ToolDefinition {
            name: "add_task",
            description: "Create a task for the user. Fields: title (required), description, priority, tags, due_at or due_date, recurrence, and where it goes: project_id, section_id, parent_id (a subtask).",
            input_schema: object(add, &["title"]),
        },
        ToolDefinition {
            name: "list_tasks",
            description: "List the user's tasks, filtered and sorted; pending ones by default, soonest due first.",
            input_schema: object(list, &[]),
        },
        ToolDefinition {
            name: "complete_task",
            description: "Mark a task complete; a repeating task gets its next occurrence.",
            input_schema: object(id_property("task_id", "task"), &["task_id"]),
        },
        ToolDefinition {
            name: "reopen_task",
            description: "Mark a completed task as not done.",
            input_schema: object(id_property("task_id", "task"), &["task_id"]),
        },
        ToolDefinition {
            name: "delete_task",
            description: "Delete a task for good.",
            input_schema: object(id_property("task_id", "task"), &["task_id"]),
        },
        ToolDefinition {
            name: "update_task",
            description: "Change some fields of a task: give task_id and only the fields to change; null clears due_at, due_date or recurrence.",
            input_schema: object(update, &["task_id"]),
        },
        ToolDefinition {
            name: "move_task",
            description: "Move a task, with its subtasks, to another project or section (project_id, section_id), or under another task (parent_id; null: top level).",
            input_schema: object(moving, &["task_id"]),
        },
        ToolDefinition {
            name: "list_projects",
            description: "List the user's projects, the Inbox first, with their ids and open-task counts.",
            input_schema: object(archived, &[]),
        },
        ToolDefinition {
            name: "create_project",
            description: "Create a project: a name and, optionally, a colour.",
            input_schema: object(project, &["name"]),
        },
        ToolDefinition {
            name: "list_suggestions",
            description: "List the pending suggestions the user's agents made (overdue tasks, priorities), newest first.",
            input_schema: object(Map::new(), &[]),
        },
        ToolDefinition {
            name: "accept_suggestion",
            description: "Accept a suggestion: its proposed change is applied to its tasks.",
            input_schema: object(
                id_property("suggestion_id", "suggestion"),
                &["suggestion_id"],
            ),
        },
        ToolDefinition {
            name: "dismiss_suggestion",
            description: "Dismiss a suggestion without changing anything.",
            input_schema: object(
                id_property("suggestion_id", "suggestion"),
                &["suggestion_id"],
            ),
        },
    ]
}

/// How the tools' fields are described to a model, for its system prompt.
pub fn field_rules() -> &'static str {
    TASK_FIELDS
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TaskId {
    task_id: i64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SuggestionId {
    suggestion_id: i64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NoArguments {}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct ListArguments {
    status: Option<String>,
    q: Option<String>,
    tag: Option<String>,
    priority: Option<String>,
    due_before: Option<String>,
    due_after: Option<String>,
    sort: Option<String>,
    limit: Option<u32>,
    project: Option<IdOrWord>,
    parent: Option<IdOrWord>,
}

/// An id a model may write as a number or a string, or a word (`inbox`).
#[derive(Deserialize)]
#[serde(untagged)]
enum IdOrWord {
    Id(i64),
    Word(String),
}

impl IdOrWord {
    fn text(&self) -> String {
        match self {
            IdOrWord::Id(id) => id.to_string(),
            IdOrWord::Word(word) => word.clone(),
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ProjectsArguments {
    #[serde(default)]
    archived: bool,
}

const DEFAULT_LIST_LIMIT: u32 = 20;
const MAX_LIST_LIMIT: u32 = 100;

/// `{task_id, status, title}`: what a tool did to one task, and the task.
pub fn task_result(task: &Task, status: &str) -> Value {
    json!({ "task_id": task.id, "status": status, "title": task.title, "task": task })
}

/// A task in a listing.
fn task_item(task: &Task) -> Value {
    json!({
        "task_id": task.id,
        "title": task.title,
        "status": if task.completed { "completed" } else { "pending" },
        "priority": task.priority,
        "tags": task.tags,
        "due_at": task.due_at,
        "due_date": task.due_date,
        "recurrence": task.recurrence,
        "project_id": task.project_id,
        "parent_id": task.parent_id,
        "subtask_counts": task.subtask_counts,
    })
}

/// A project in a listing.
fn project_item(project: &Project) -> Value {
    json!({
        "project_id": project.id,
        "name": project.name,
        "inbox": project.inbox,
        "open_tasks": project.open_tasks,
        "archived": project.archived,
    })
}

fn suggestion_item(suggestion: &Suggestion) -> Value {
    json!({
        "suggestion_id": suggestion.id,
        "agent": suggestion.agent,
        "kind": suggestion.kind,
        "message": suggestion.message,
        "action": suggestion.action,
        "task_ids": suggestion.task_ids,
        "status": suggestion.status,
    })
}

fn describe_field_errors(errors: &[FieldError]) -> String {
    errors
        .iter()
        .map(|e| format!("{}: {}", e.field, e.message))
        .collect::<Vec<_>>()
        .join("; ")
}

fn decode<T: serde::de::DeserializeOwned>(arguments: &Value) -> Result<T, ToolOutput> {
    serde_json::from_value(arguments.clone())
        .map_err(|e| ToolOutput::error(format!("invalid arguments: {e}")))
}

/// One user's tools.
pub struct Toolbox<'a> {
    tasks: Tasks<'a>,
    projects: Projects<'a>,
    suggestions: Suggestions<'a>,
    time_zone: Zone,
}

impl<'a> Toolbox<'a> {
    pub fn new(db: &'a Db, user_id: &str, time_zone: Zone) -> Self {
        Self {
            tasks: Tasks::new(db, user_id, time_zone),
            projects: Projects::new(db, user_id),
            suggestions: Suggestions::new(db, user_id, time_zone),
            time_zone,
        }
    }

    pub fn tasks(&self) -> &Tasks<'a> {
        &self.tasks
    }

    pub fn projects(&self) -> &Projects<'a> {
        &self.projects
    }

    /// Runs one tool. Bad arguments and missing tasks are a [`ToolOutput`]
    /// error for the caller to read; only a database failure is an `Err`.
    pub fn call(&self, name: &str, arguments: &Value) -> taskspin_db::Result<ToolOutput> {
        if !arguments.is_object() {
            return Ok(ToolOutput::error("arguments must be a JSON object"));
        }
        let output = match name {
            "add_task" => self.add_task(arguments),
            "list_tasks" => self.list_tasks(arguments),
            "complete_task" => self.with_task_id(arguments, |id| {
                Ok(match self.tasks.complete(id, &IfMatch::Any)? {
                    Outcome::Done(task) => ToolOutput::ok(task_result(&task, "completed")),
                    _ => not_found(id),
                })
            }),
            "reopen_task" => self.with_task_id(arguments, |id| {
                Ok(match self.tasks.reopen(id, &IfMatch::Any)? {
                    Outcome::Done(task) => ToolOutput::ok(task_result(&task, "reopened")),
                    _ => not_found(id),
                })
            }),
            "delete_task" => self.with_task_id(arguments, |id| {
                let Some(task) = self.tasks.get(id)? else {
                    return Ok(not_found(id));
                };
                Ok(match self.tasks.delete(id, &IfMatch::Any)? {
                    Outcome::Done(()) => ToolOutput::ok(
                        json!({ "task_id": id, "status": "deleted", "title": task.title }),
                    ),
                    _ => not_found(id),
                })
            }),
            "update_task" => self.update_task(arguments),
            "move_task" => self.move_task(arguments),
            "list_projects" => match decode::<ProjectsArguments>(arguments) {
                Ok(ProjectsArguments { archived }) => {
                    let status = if archived {
                        StatusFilter::Archived
                    } else {
                        StatusFilter::Active
                    };
                    let projects = self.projects.list(status)?.projects;
                    Ok(ToolOutput::ok(json!({
                        "projects": projects.iter().map(project_item).collect::<Vec<_>>(),
                        "count": projects.len(),
                    })))
                }
                Err(error) => Ok(error),
            },
            "create_project" => self.create_project(arguments),
            "list_suggestions" => match decode::<NoArguments>(arguments) {
                Ok(NoArguments {}) => {
                    let suggestions = self.suggestions.pending()?;
                    Ok(ToolOutput::ok(json!({
                        "suggestions": suggestions.iter().map(suggestion_item).collect::<Vec<_>>(),
                        "count": suggestions.len(),
                    })))
                }
                Err(error) => Ok(error),
            },
            "accept_suggestion" => self.with_suggestion_id(arguments, |id| {
                Ok(match self.suggestions.accept(id)? {
                    Ok((suggestion, tasks)) => ToolOutput::ok(json!({
                        "suggestion_id": suggestion.id,
                        "status": "accepted",
                        "tasks": tasks.iter().map(|t| task_result(t, "updated")).collect::<Vec<_>>(),
                    })),
                    Err(refusal) => refused(id, refusal),
                })
            }),
            "dismiss_suggestion" => self.with_suggestion_id(arguments, |id| {
                Ok(match self.suggestions.dismiss(id)? {
                    Ok(suggestion) => ToolOutput::ok(json!({
                        "suggestion_id": suggestion.id,
                        "status": "dismissed",
                    })),
                    Err(refusal) => refused(id, refusal),
                })
            }),
            other => Ok(ToolOutput::error(format!("there is no tool named {other:?}"))),
        }?;
        Ok(output)
    }

    fn with_task_id(
        &self,
        arguments: &Value,
        work: impl FnOnce(i64) -> taskspin_db::Result<ToolOutput>,
    ) -> taskspin_db::Result<ToolOutput> {
        match decode::<TaskId>(arguments) {
            Ok(TaskId { task_id }) => work(task_id),
            Err(error) => Ok(error),
        }
    }

    fn with_suggestion_id(
        &self,
        arguments: &Value,
        work: impl FnOnce(i64) -> taskspin_db::Result<ToolOutput>,
    ) -> taskspin_db::Result<ToolOutput> {
        match decode::<SuggestionId>(arguments) {
            Ok(SuggestionId { suggestion_id }) => work(suggestion_id),
            Err(error) => Ok(error),
        }
    }

    fn add_task(&self, arguments: &Value) -> taskspin_db::Result<ToolOutput> {
        let new_task: NewTask = match decode(arguments) {
            Ok(new_task) => new_task,
            Err(error) => return Ok(error),
        };
        let created = match new_task.validate() {
            Ok(values) => self.tasks.create(&values)?,
            Err(errors) => Err(errors),
        };
        Ok(match created {
            Ok(task) => ToolOutput::ok(task_result(&task, "created")),
            Err(errors) => ToolOutput::error(describe_field_errors(&errors)),
        })
    }

    fn update_task(&self, arguments: &Value) -> taskspin_db::Result<ToolOutput> {
        let mut fields = arguments.as_object().cloned().unwrap_or_default();
        let Some(id) = fields.remove("task_id").and_then(|id| id.as_i64()) else {
            return Ok(ToolOutput::error("task_id (an integer) is required"));
        };
        let patch: TaskPatch = match decode(&Value::Object(fields)) {
            Ok(patch) => patch,
            Err(error) => return Ok(error),
        };
        let changes = match patch.validate() {
            Ok(changes) => changes,
            Err(errors) => return Ok(ToolOutput::error(describe_field_errors(&errors))),
        };
        Ok(match self.tasks.update(id, &changes, &IfMatch::Any)? {
            Outcome::Done(task) => ToolOutput::ok(task_result(&task, "updated")),
            _ => not_found(id),
        })
    }

    fn move_task(&self, arguments: &Value) -> taskspin_db::Result<ToolOutput> {
        let mut fields = arguments.as_object().cloned().unwrap_or_default();
        let Some(id) = fields.remove("task_id").and_then(|id| id.as_i64()) else {
            return Ok(ToolOutput::error("task_id (an integer) is required"));
        };
        let to: MoveTask = match decode(&Value::Object(fields)) {
            Ok(to) => to,
            Err(error) => return Ok(error),
        };
        Ok(match self.tasks.move_task(id, &to, &IfMatch::Any)? {
            Outcome::Done(task) => ToolOutput::ok(task_result(&task, "moved")),
            Outcome::Invalid(errors) => ToolOutput::error(describe_field_errors(&errors)),
            _ => not_found(id),
        })
    }

    fn create_project(&self, arguments: &Value) -> taskspin_db::Result<ToolOutput> {
        let new_project: NewProject = match decode(arguments) {
            Ok(new_project) => new_project,
            Err(error) => return Ok(error),
        };
        Ok(match new_project.validate() {
            Ok(name) => {
                let project = self.projects.create(&name, new_project.color)?;
                ToolOutput::ok(json!({
                    "project_id": project.id,
                    "status": "created",
                    "name": project.name,
                    "project": project,
                }))
            }
            Err(errors) => ToolOutput::error(describe_field_errors(&errors)),
        })
    }

    fn list_tasks(&self, arguments: &Value) -> taskspin_db::Result<ToolOutput> {
        let arguments: ListArguments = match decode(arguments) {
            Ok(arguments) => arguments,
            Err(error) => return Ok(error),
        };
        let query = match self.list_query(&arguments) {
            Ok(query) => query,
            Err(errors) => return Ok(ToolOutput::error(describe_field_errors(&errors))),
        };
        let page = self.tasks.list(&query)?;
        Ok(ToolOutput::ok(json!({
            "tasks": page.tasks.iter().map(task_item).collect::<Vec<_>>(),
            "count": page.tasks.len(),
            "more": page.next_cursor.is_some(),
        })))
    }

    /// The same query parameters, and so the same validation, as `GET /api/tasks`.
    fn list_query(&self, arguments: &ListArguments) -> Result<ListQuery, Vec<FieldError>> {
        let limit = arguments
            .limit
            .unwrap_or(DEFAULT_LIST_LIMIT)
            .min(MAX_LIST_LIMIT);
        let mut query = form_urlencoded::Serializer::new(String::new());
        let fields = [
            ("status", &arguments.status),
            ("q", &arguments.q),
            ("tag", &arguments.tag),
            ("priority", &arguments.priority),
            ("due_before", &arguments.due_before),
            ("due_after", &arguments.due_after),
            ("sort", &arguments.sort),
        ];
        for (name, value) in fields {
            if let Some(value) = value {
                query.append_pair(name, value);
            }
        }
        for (name, value) in [
            ("project", &arguments.project),
            ("parent", &arguments.parent),
        ] {
            if let Some(value) = value {
                query.append_pair(name, &value.text());
            }
        }
        query.append_pair("limit", &limit.max(1).to_string());
        ListQuery::parse(&query.finish(), self.time_zone)
    }
}

fn not_found(id: i64) -> ToolOutput {
    ToolOutput::error(format!("there is no task {id}"))
}

fn refused(id: i64, refusal: Refusal) -> ToolOutput {
    ToolOutput::error(match refusal {
        Refusal::NotFound => format!("there is no suggestion {id}"),
        Refusal::NotPending(status) => format!("suggestion {id} is {status} already"),
        Refusal::TaskChanged => {
            format!("a task changed since suggestion {id} was made; it expired")
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_tool_has_an_object_schema_and_a_unique_name() {
        let tools = definitions();
        let mut names: Vec<_> = tools.iter().map(|t| t.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), tools.len());
        for tool in &tools {
            assert_eq!(tool.input_schema["type"], "object", "{}", tool.name);
            for required in tool.input_schema["required"].as_array().unwrap() {
                let name = required.as_str().unwrap();
                assert!(
                    tool.input_schema["properties"].get(name).is_some(),
                    "{}: {name}",
                    tool.name
                );
            }
        }
    }
}
