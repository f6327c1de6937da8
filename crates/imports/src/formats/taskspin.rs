//! Taskspin's own JSON export (`GET /api/export`): its projects, sections
//! and tasks come back as they were, in their order; rows still in the
//! account the export came from are found by id and left alone.

use chrono::{DateTime, NaiveDate, Utc};
use serde::Deserialize;
use taskspin_domain::recurrence::Recurrence;
use taskspin_domain::task::{Due, Priority};

use crate::plan::{Builder, PlannedTask, Unreadable};

/// The export format's name and the versions this reader knows.
pub const FORMAT: &str = "taskspin-export";
pub const VERSION: u32 = 1;

pub fn looks_like(text: &str) -> bool {
    text.trim_start().starts_with('{')
}

#[derive(Deserialize)]
struct Document {
    format: String,
    version: u32,
    account: Account,
    #[serde(default)]
    projects: Vec<Project>,
    #[serde(default)]
    tasks: Vec<Task>,
}

#[derive(Deserialize)]
struct Account {
    id: String,
}

#[derive(Deserialize)]
struct Project {
    id: i64,
    name: String,
    color: Option<String>,
    inbox: bool,
    archived_at: Option<DateTime<Utc>>,
    #[serde(default)]
    sections: Vec<Section>,
}

#[derive(Deserialize)]
struct Section {
    id: i64,
    name: String,
}

#[derive(Deserialize)]
struct Task {
    id: i64,
    project_id: i64,
    section_id: Option<i64>,
    parent_id: Option<i64>,
    title: String,
    #[serde(default)]
    description: String,
    priority: Priority,
    #[serde(default)]
    tags: Vec<String>,
    due_at: Option<DateTime<Utc>>,
    due_date: Option<NaiveDate>,
    recurrence: Option<Recurrence>,
    completed_at: Option<DateTime<Utc>>,
    created_at: Option<DateTime<Utc>>,
    position: i64,
}

pub fn read(text: &str) -> Result<Builder, Unreadable> {
    let document: Document = serde_json::from_str(text).map_err(|error| {
        let line = error.line().max(1);
        Unreadable::at(line, format!("This is not a Taskspin export: {error}."))
    })?;
    if document.format != FORMAT {
        return Err(Unreadable::at(
            1,
            format!(
                "The JSON's format is \"{}\", not \"{FORMAT}\".",
                document.format
            ),
        ));
    }
    if document.version != VERSION {
        return Err(Unreadable::at(
            1,
            format!(
                "This export is version {}; this Taskspin reads version {VERSION}.",
                document.version
            ),
        ));
    }
    let account = document.account.id;
    let project_source = |id: i64| format!("taskspin:{account}:project:{id}");
    let section_source = |id: i64| format!("taskspin:{account}:section:{id}");
    let task_source = |id: i64| format!("taskspin:{account}:task:{id}");
    let mut plan = Builder::default();
    plan.exported_by = Some(account.clone());
    let mut inbox = None;
    for project in &document.projects {
        if project.inbox {
            inbox = Some(project.id);
            continue;
        }
        let source = project_source(project.id);
        let planned = plan.project(&source, &project.name);
        planned.color = project.color.clone();
        planned.archived = project.archived_at.is_some();
        planned.local_id = Some(project.id);
        for section in &project.sections {
            planned
                .section(&section_source(section.id), &section.name)
                .local_id = Some(section.id);
        }
    }
    let mut tasks = document.tasks;
    // Positions come from one sequence: sorted by them, siblings keep their order.
    tasks.sort_by_key(|t| (t.position, t.id));
    for (index, task) in tasks.into_iter().enumerate() {
        let line = index + 1;
        let mut planned = PlannedTask::new(task_source(task.id), &task.title);
        if Some(task.project_id) != inbox {
            planned.project = Some(project_source(task.project_id));
        }
        planned.section = task.section_id.map(section_source);
        planned.parent = task.parent_id.map(task_source);
        planned.description = task.description;
        planned.priority = task.priority;
        planned.tags = task.tags;
        planned.due = task.due_at.map(Due::At).or(task.due_date.map(Due::On));
        planned.recurrence = task.recurrence;
        planned.completed_at = task.completed_at;
        planned.created_at = task.created_at;
        planned.local_id = Some(task.id);
        plan.task(line, &planned.title.clone(), planned)?;
    }
    Ok(plan)
}
