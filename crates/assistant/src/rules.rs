//! The `rules` provider: no network, no model. The domain's intent parser
//! reads the message; this turns the intent into tool calls and a reply.
//! When words name several tasks it asks which one instead of guessing.

use chrono::{DateTime, Duration, NaiveTime, TimeZone, Utc};
use serde_json::{Value, json};
use taskspin_domain::intent::{self, Horizon, Intent, ListFilter, TaskRef};
use taskspin_domain::project::name_key;
use taskspin_domain::quick_add::{self, ParseContext};
use taskspin_domain::{Due, Priority, Recurrence, Zone};
use taskspin_projects::{Named, StatusFilter};
use taskspin_tasks::{Task, TaskValues};

use crate::conversations::ToolCall;
use crate::tools::{ToolOutput, Toolbox};
use crate::{Turn, describe_due};

/// How many matching tasks a question about words lists at most.
const CANDIDATES: u32 = 10;
const LISTED: usize = 20;

pub const HELP: &str = "I can manage your tasks. Try:\n\
- \"Add a task to buy groceries tomorrow 5pm !high #errands\"\n\
- \"What's pending?\", \"What's overdue?\", \"What have I completed?\", \"What's due today?\"\n\
- \"Mark task 3 as complete\", \"Delete the meeting task\", \"Reopen task 3\"\n\
- \"Change task 1 to 'Call mom tonight'\", \"Make the report high priority\", \"Move task 2 to friday\"\n\
- \"Search for invoice\", \"Show tasks tagged work\"\n\
- \"Show my suggestions\", \"Accept suggestion 4\", \"Dismiss suggestion 4\"\n\
- \"List my projects\", \"Create a project Garden\", \"What's in Home?\"\n\
- \"Add milk to Groceries\", \"Move the report to Work\", \"Add a subtask buy paint to the garage task\"";

/// Answers one message.
pub fn respond(
    toolbox: &Toolbox<'_>,
    message: &str,
    context: &ParseContext,
) -> taskspin_db::Result<Turn> {
    let has_structure = |text: &str| {
        let parsed = quick_add::parse(text, context);
        parsed.due.is_some()
            || parsed.priority.is_some()
            || !parsed.tags.is_empty()
            || parsed.recurrence.is_some()
    };
    let projects = toolbox.projects().list(StatusFilter::Active)?.projects;
    let project_named = |words: &str| {
        let wanted = name_key(words);
        projects
            .iter()
            .find(|p| name_key(&p.name) == wanted)
            .cloned()
    };
    let mut turn = Responder {
        toolbox,
        context,
        calls: Vec::new(),
    };
    let intent = intent::parse(message, has_structure, |words| {
        project_named(words).is_some()
    });
    let reply = match intent {
        Intent::Add { text } => turn.add(&text, json!({}))?,
        Intent::ListProjects => turn.projects()?,
        Intent::CreateProject { name } => {
            let output = turn.call("create_project", json!({ "name": name }))?;
            turn.said(&output, |result| {
                format!(
                    "Created the project “{}”. Say \"add … to {}\" to put tasks in it.",
                    result["name"].as_str().unwrap_or_default(),
                    result["name"].as_str().unwrap_or_default()
                )
            })
        }
        Intent::AddToProject { text, project } => match project_named(&project) {
            Some(project) => turn.add(&text, json!({ "project_id": project.id }))?,
            None => format!("You have no project named “{project}”."),
        },
        Intent::MoveToProject { task, project } => match project_named(&project) {
            Some(project) => turn.on_task(&task, false, |turn, task| {
                let output = turn.call(
                    "move_task",
                    json!({ "task_id": task.id, "project_id": project.id }),
                )?;
                Ok(turn.said(&output, |_| {
                    format!(
                        "Moved “{}” (task {}) to {}.",
                        task.title, task.id, project.name
                    )
                }))
            })?,
            None => format!("You have no project named “{project}”."),
        },
        Intent::AddSubtask { parent, text } => turn.on_task(&parent, false, |turn, parent| {
            let added = turn.add(&text, json!({ "parent_id": parent.id }))?;
            Ok(format!("{added} It is a subtask of “{}”.", parent.title))
        })?,
        Intent::List(filter) => turn.list(&filter)?,
        Intent::Complete(task) => turn.on_task(&task, false, |turn, task| {
            if task.completed {
                return Ok(format!(
                    "“{}” (task {}) is already complete.",
                    task.title, task.id
                ));
            }
            let output = turn.call("complete_task", json!({ "task_id": task.id }))?;
            Ok(turn.said(&output, |result| {
                format!(
                    "Marked “{}” (task {}) as complete.",
                    result["title"].as_str().unwrap_or_default(),
                    task.id
                )
            }))
        })?,
        Intent::Reopen(task) => turn.on_task(&task, true, |turn, task| {
            if !task.completed {
                return Ok(format!(
                    "“{}” (task {}) is not completed.",
                    task.title, task.id
                ));
            }
            let output = turn.call("reopen_task", json!({ "task_id": task.id }))?;
            Ok(turn.said(&output, |_| {
                format!("Reopened “{}” (task {}).", task.title, task.id)
            }))
        })?,
        Intent::Delete(task) => turn.on_task(&task, true, |turn, task| {
            let output = turn.call("delete_task", json!({ "task_id": task.id }))?;
            Ok(turn.said(&output, |_| {
                format!("Deleted “{}” (task {}).", task.title, task.id)
            }))
        })?,
        Intent::Rename { task, title } => turn.on_task(&task, true, |turn, task| {
            let output = turn.call("update_task", json!({ "task_id": task.id, "title": title }))?;
            Ok(turn.said(&output, |_| {
                format!(
                    "Renamed task {} from “{}” to “{}”.",
                    task.id, task.title, title
                )
            }))
        })?,
        Intent::SetPriority { task, priority } => turn.on_task(&task, false, |turn, task| {
            let output = turn.call(
                "update_task",
                json!({ "task_id": task.id, "priority": priority }),
            )?;
            Ok(turn.said(&output, |_| {
                format!(
                    "“{}” (task {}) is now {} priority.",
                    task.title,
                    task.id,
                    priority.as_str()
                )
            }))
        })?,
        Intent::Reschedule { task, when } => {
            let due = quick_add::parse(&when, context).due;
            match due {
                None => {
                    // An ISO example a week ahead, never a date in the past.
                    let example =
                        context.now.with_timezone(&context.tz).date_naive() + chrono::Days::new(7);
                    format!(
                        "I couldn't read “{when}” as a date. Try \"tomorrow 5pm\", \"friday\" or \"{example}\"."
                    )
                }
                Some(due) => turn.on_task(&task, false, |turn, task| {
                    let arguments = match due {
                        Due::At(at) => json!({ "task_id": task.id, "due_at": at.to_rfc3339() }),
                        Due::On(date) => {
                            json!({ "task_id": task.id, "due_date": date.to_string() })
                        }
                    };
                    let output = turn.call("update_task", arguments)?;
                    Ok(turn.said(&output, |_| {
                        format!(
                            "Moved “{}” (task {}) to {}.",
                            task.title,
                            task.id,
                            describe_due(Some(due), context.tz)
                        )
                    }))
                })?,
            }
        }
        Intent::ListSuggestions => turn.suggestions()?,
        Intent::AcceptSuggestion(id) => {
            let output = turn.call("accept_suggestion", json!({ "suggestion_id": id }))?;
            turn.said(&output, |result| {
                let titles: Vec<String> = result["tasks"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(|t| format!("“{}”", t["title"].as_str().unwrap_or_default()))
                    .collect();
                if titles.is_empty() {
                    format!("Accepted suggestion {id}.")
                } else {
                    format!("Accepted suggestion {id}: updated {}.", titles.join(", "))
                }
            })
        }
        Intent::DismissSuggestion(id) => {
            let output = turn.call("dismiss_suggestion", json!({ "suggestion_id": id }))?;
            turn.said(&output, |_| format!("Dismissed suggestion {id}."))
        }
        Intent::Help => HELP.to_owned(),
        Intent::Greeting => {
            "Hello! Tell me what to add, change or look up. Say \"help\" for examples.".to_owned()
        }
        Intent::NotUnderstood => format!("Sorry, I didn't understand that.\n\n{HELP}"),
    };
    Ok(Turn {
        reply,
        tool_calls: turn.calls,
    })
}

struct Responder<'t, 'a> {
    toolbox: &'t Toolbox<'a>,
    context: &'t ParseContext,
    calls: Vec<ToolCall>,
}

impl Responder<'_, '_> {
    fn call(&mut self, name: &str, arguments: Value) -> taskspin_db::Result<ToolOutput> {
        let output = self.toolbox.call(name, &arguments)?;
        self.calls.push(ToolCall {
            id: None,
            name: name.to_owned(),
            arguments,
            result: output.result.clone(),
        });
        Ok(output)
    }

    /// The reply for a tool's answer: `success` of its result, or its error.
    fn said(&self, output: &ToolOutput, success: impl FnOnce(&Value) -> String) -> String {
        if output.is_error {
            let error = output.result["error"].as_str().unwrap_or("it failed");
            format!("I couldn't do that: {error}.")
        } else {
            success(&output.result)
        }
    }

    /// Adds the task `text` describes, placed by `placement` (`project_id`,
    /// `parent_id`, or nothing: the Inbox).
    fn add(&mut self, text: &str, placement: Value) -> taskspin_db::Result<String> {
        let parsed = quick_add::parse(text, self.context);
        let values = match TaskValues::from_quick_add(&parsed) {
            Ok(values) => values,
            Err(_) => return Ok("A task needs a title of 1 to 200 characters.".to_owned()),
        };
        let mut arguments = json!({
            "title": capitalised(&values.title),
            "priority": values.priority,
            "tags": values.tags,
        });
        match values.due {
            Some(Due::At(at)) => arguments["due_at"] = json!(at.to_rfc3339()),
            Some(Due::On(date)) => arguments["due_date"] = json!(date.to_string()),
            None => {}
        }
        if let Some(recurrence) = &values.recurrence {
            arguments["recurrence"] = json!(recurrence);
        }
        if let (Value::Object(arguments), Value::Object(placement)) = (&mut arguments, placement) {
            arguments.extend(placement);
        }
        let output = self.call("add_task", arguments)?;
        let tz = self.context.tz;
        Ok(self.said(&output, |result| {
            format!(
                "Added “{}” (task {}){}.",
                result["title"].as_str().unwrap_or_default(),
                result["task_id"],
                details_of(
                    values.due,
                    values.priority,
                    &values.tags,
                    values.recurrence.as_ref(),
                    tz
                )
            )
        }))
    }

    fn list(&mut self, filter: &ListFilter) -> taskspin_db::Result<String> {
        let tz = self.context.tz;
        let (arguments, what) = match filter {
            ListFilter::Pending => (json!({ "status": "pending" }), "pending".to_owned()),
            ListFilter::Completed => (
                json!({ "status": "completed", "sort": "updated" }),
                "completed".to_owned(),
            ),
            ListFilter::Overdue => (json!({ "status": "overdue" }), "overdue".to_owned()),
            ListFilter::All => (json!({ "status": "all" }), String::new()),
            ListFilter::DueWithin(horizon) => {
                let (end, label) = horizon_end(*horizon, self.context.now, tz);
                (
                    json!({ "status": "pending", "due_before": end.to_rfc3339() }),
                    format!("pending and due {label}"),
                )
            }
            ListFilter::Search(words) => (
                json!({ "status": "all", "q": words }),
                format!("matching “{words}”"),
            ),
            ListFilter::Tag(tag) => (
                json!({ "status": "pending", "tag": tag }),
                format!("pending and tagged #{tag}"),
            ),
            ListFilter::Project(name) => {
                return match self.toolbox.projects().find_by_name(name)? {
                    Some(project) => self.list_in(&project),
                    None => Ok(format!("You have no project named “{name}”.")),
                };
            }
        };
        let mut arguments = arguments;
        arguments["limit"] = json!(LISTED);
        let output = self.call("list_tasks", arguments)?;
        if output.is_error {
            return Ok(self.said(&output, |_| String::new()));
        }
        let tasks: Vec<Value> = output.result["tasks"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        let noun = |n: usize| if n == 1 { "task" } else { "tasks" };
        let what = if what.is_empty() {
            String::new()
        } else {
            format!(" {what}")
        };
        if tasks.is_empty() {
            return Ok(format!("You have no tasks{what}."));
        }
        let more = if output.result["more"].as_bool() == Some(true) {
            format!(" (the first {})", tasks.len())
        } else {
            String::new()
        };
        let lines: Vec<String> = tasks.iter().map(|task| list_line(task, tz)).collect();
        Ok(format!(
            "Your {}{what}{more}:\n{}",
            noun(tasks.len()),
            lines.join("\n")
        ))
    }

    fn projects(&mut self) -> taskspin_db::Result<String> {
        let output = self.call("list_projects", json!({}))?;
        let projects = output.result["projects"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        let lines: Vec<String> = projects
            .iter()
            .map(|p| {
                format!(
                    "- {} ({} open)",
                    p["name"].as_str().unwrap_or_default(),
                    p["open_tasks"]
                )
            })
            .collect();
        Ok(format!("Your projects:\n{}", lines.join("\n")))
    }

    /// The pending tasks of a project, subtasks included, in its own order.
    fn list_in(&mut self, project: &Named) -> taskspin_db::Result<String> {
        let output = self.call(
            "list_tasks",
            json!({ "project": project.id, "sort": "manual", "limit": LISTED }),
        )?;
        if output.is_error {
            return Ok(self.said(&output, |_| String::new()));
        }
        let tasks = output.result["tasks"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        if tasks.is_empty() {
            return Ok(format!("Nothing is pending in {}.", project.name));
        }
        let lines: Vec<String> = tasks
            .iter()
            .map(|task| list_line(task, self.context.tz))
            .collect();
        Ok(format!("In {}:\n{}", project.name, lines.join("\n")))
    }

    fn suggestions(&mut self) -> taskspin_db::Result<String> {
        let output = self.call("list_suggestions", json!({}))?;
        let suggestions = output.result["suggestions"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        if suggestions.is_empty() {
            return Ok("You have no pending suggestions.".to_owned());
        }
        let lines: Vec<String> = suggestions
            .iter()
            .map(|s| {
                format!(
                    "- suggestion {}: {}",
                    s["suggestion_id"],
                    s["message"].as_str().unwrap_or_default()
                )
            })
            .collect();
        Ok(format!(
            "Your agents suggest:\n{}\nSay \"accept suggestion N\" or \"dismiss suggestion N\".",
            lines.join("\n")
        ))
    }

    /// Finds the task a reference names, then runs `act` on it; asks which
    /// one when words match several, says so when none.
    fn on_task(
        &mut self,
        reference: &TaskRef,
        include_completed: bool,
        act: impl FnOnce(&mut Self, &Task) -> taskspin_db::Result<String>,
    ) -> taskspin_db::Result<String> {
        let tasks = self.toolbox.tasks();
        match reference {
            TaskRef::Id(id) => match tasks.get(*id)? {
                Some(task) => act(self, &task),
                None => Ok(format!(
                    "There is no task {id}. Say \"what's pending?\" to see your tasks and their numbers."
                )),
            },
            TaskRef::Named(words) => {
                let mut found = tasks.find_by_title(words, include_completed, CANDIDATES)?;
                if found.is_empty() {
                    found = tasks.find_by_title(words, true, CANDIDATES)?;
                }
                let exact: Vec<&Task> = found
                    .iter()
                    .filter(|task| task.title.eq_ignore_ascii_case(words))
                    .collect();
                match (found.len(), exact.as_slice()) {
                    (0, _) => Ok(format!("I couldn't find a task matching “{words}”.")),
                    (1, _) => act(self, &found[0]),
                    (_, [only]) => {
                        let only = (*only).clone();
                        act(self, &only)
                    }
                    (n, _) => {
                        let options: Vec<String> = found
                            .iter()
                            .map(|task| {
                                format!(
                                    "- task {}: “{}”{}",
                                    task.id,
                                    task.title,
                                    details(task, self.context.tz)
                                )
                            })
                            .collect();
                        Ok(format!(
                            "{n} tasks match “{words}”. Which one do you mean?\n{}\nSay it with its number, for example \"task {}\".",
                            options.join("\n"),
                            found[0].id
                        ))
                    }
                }
            }
        }
    }
}

/// A listed task, one line: `- task 4: “Title” (due …, high, #tag)`.
fn list_line(task: &Value, tz: Zone) -> String {
    let Ok(task) = serde_json::from_value::<ListedTask>(task.clone()) else {
        return format!("- {task}");
    };
    let due = task
        .due_at
        .as_deref()
        .and_then(|at| taskspin_domain::task::due_at(at).ok())
        .map(Due::At)
        .or_else(|| {
            task.due_date
                .as_deref()
                .and_then(|d| taskspin_domain::task::due_date(d).ok())
                .map(Due::On)
        });
    let mut notes = Vec::new();
    if task.status == "completed" {
        notes.push("done".to_owned());
    }
    if due.is_some() {
        notes.push(format!("due {}", describe_due(due, tz)));
    }
    if task.priority != Priority::None {
        notes.push(task.priority.as_str().to_owned());
    }
    notes.extend(task.tags.iter().map(|tag| format!("#{tag}")));
    let notes = if notes.is_empty() {
        String::new()
    } else {
        format!(" ({})", notes.join(", "))
    };
    format!("- task {}: “{}”{notes}", task.task_id, task.title)
}

#[derive(serde::Deserialize)]
struct ListedTask {
    task_id: i64,
    title: String,
    status: String,
    priority: Priority,
    tags: Vec<String>,
    due_at: Option<String>,
    due_date: Option<String>,
}

/// `, due Tue 25 Nov 17:00, high priority, #family`.
fn details(task: &Task, tz: Zone) -> String {
    details_of(
        task.due(),
        task.priority,
        &task.tags,
        task.recurrence.as_ref(),
        tz,
    )
}

fn details_of(
    due: Option<Due>,
    priority: Priority,
    tags: &[String],
    recurrence: Option<&Recurrence>,
    tz: Zone,
) -> String {
    let mut parts = Vec::new();
    if due.is_some() {
        parts.push(format!("due {}", describe_due(due, tz)));
    }
    if priority != Priority::None {
        parts.push(format!("{} priority", priority.as_str()));
    }
    if !tags.is_empty() {
        parts.push(
            tags.iter()
                .map(|t| format!("#{t}"))
                .collect::<Vec<_>>()
                .join(" "),
        );
    }
    if let Some(recurrence) = recurrence {
        parts.push(recurrence.describe());
    }
    parts.iter().map(|part| format!(", {part}")).collect()
}

fn capitalised(title: &str) -> String {
    let mut chars = title.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// The end of "today", "tomorrow" or "this week" in the user's time zone.
fn horizon_end(horizon: Horizon, now: DateTime<Utc>, tz: Zone) -> (DateTime<Utc>, &'static str) {
    let today = now.with_timezone(&tz).date_naive();
    let (days, label) = match horizon {
        Horizon::Today => (1, "today"),
        Horizon::Tomorrow => (2, "by tomorrow"),
        Horizon::ThisWeek => (7, "within a week"),
    };
    let end = (today + Duration::days(days)).and_time(NaiveTime::MIN);
    let end = tz
        .from_local_datetime(&end)
        .earliest()
        .map_or(now + Duration::days(days), |at| at.with_timezone(&Utc));
    (end, label)
}
