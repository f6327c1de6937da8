//! What a file holds, in our terms: the projects, sections and tasks an
//! import would create, each with the id it has where it came from, and the
//! lines that could not be understood. Readers build one with [`Builder`],
//! which keeps every task within our rules (lengths, tags, depth).

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use serde::Serialize;
use taskspin_domain::project::MAX_TASK_DEPTH;
use taskspin_domain::recurrence::Recurrence;
use taskspin_domain::task::{self, Due, Priority};

/// At most this many tasks in one import.
pub const MAX_TASKS: usize = 100_000;
/// At most this many lines not understood are kept for the preview.
pub const LISTED_NOT_UNDERSTOOD: usize = 50;

#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    /// The projects the tasks go to; tasks with no project go to the Inbox.
    pub projects: Vec<PlannedProject>,
    /// Parents before their subtasks, otherwise in the file's order.
    pub tasks: Vec<PlannedTask>,
    pub not_understood: Vec<NotUnderstood>,
    pub not_understood_count: usize,
    /// For a Taskspin export: the account it came from (its own rows are
    /// found by id when it is imported into that account again).
    pub exported_by: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PlannedProject {
    pub source_id: String,
    pub name: String,
    pub color: Option<String>,
    pub archived: bool,
    pub sections: Vec<PlannedSection>,
    /// Its id in the account it was exported from (Taskspin exports).
    pub local_id: Option<i64>,
}

impl PlannedProject {
    /// The section with this source id, created on first use; its name is
    /// made valid (1 to 100 characters).
    pub fn section(&mut self, source_id: &str, name: &str) -> &mut PlannedSection {
        let index = match self.sections.iter().position(|s| s.source_id == source_id) {
            Some(index) => index,
            None => {
                let name = shortened(name.trim(), taskspin_domain::project::NAME_MAX_CHARS - 1);
                self.sections.push(PlannedSection {
                    source_id: source_id.to_owned(),
                    name: if name.is_empty() {
                        "Section".to_owned()
                    } else {
                        name
                    },
                    local_id: None,
                });
                self.sections.len() - 1
            }
        };
        &mut self.sections[index]
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct PlannedSection {
    pub source_id: String,
    pub name: String,
    pub local_id: Option<i64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PlannedTask {
    pub source_id: String,
    /// A project's `source_id`; `None` is the Inbox.
    pub project: Option<String>,
    /// A section's `source_id` in that project.
    pub section: Option<String>,
    /// The parent task's `source_id`.
    pub parent: Option<String>,
    pub title: String,
    pub description: String,
    pub priority: Priority,
    pub tags: Vec<String>,
    pub due: Option<Due>,
    pub recurrence: Option<Recurrence>,
    pub completed_at: Option<DateTime<Utc>>,
    pub created_at: Option<DateTime<Utc>>,
    pub local_id: Option<i64>,
}

impl PlannedTask {
    pub fn new(source_id: String, title: &str) -> Self {
        Self {
            source_id,
            project: None,
            section: None,
            parent: None,
            title: title.to_owned(),
            description: String::new(),
            priority: Priority::None,
            tags: Vec::new(),
            due: None,
            recurrence: None,
            completed_at: None,
            created_at: None,
            local_id: None,
        }
    }
}

/// A line (or an iCalendar component, by its first line) the import skips
/// in part or in whole, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct NotUnderstood {
    /// 1-based, in the file as uploaded.
    pub line: usize,
    /// The line itself, shortened to 200 characters.
    pub text: String,
    pub reason: String,
}

/// What the preview shows before anything is created.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize, utoipa::ToSchema)]
#[schema(as = ImportPreview)]
pub struct Preview {
    pub tasks: usize,
    pub projects: usize,
    pub sections: usize,
    pub subtasks: usize,
    pub recurring: usize,
    pub completed: usize,
    /// The projects' names, in the file's order (the Inbox is not listed).
    pub project_names: Vec<String>,
    /// The first 50 of them.
    pub not_understood: Vec<NotUnderstood>,
    pub not_understood_count: usize,
}

impl Plan {
    pub fn preview(&self) -> Preview {
        Preview {
            tasks: self.tasks.len(),
            projects: self.projects.len(),
            sections: self.projects.iter().map(|p| p.sections.len()).sum(),
            subtasks: self.tasks.iter().filter(|t| t.parent.is_some()).count(),
            recurring: self.tasks.iter().filter(|t| t.recurrence.is_some()).count(),
            completed: self
                .tasks
                .iter()
                .filter(|t| t.completed_at.is_some())
                .count(),
            project_names: self.projects.iter().map(|p| p.name.clone()).collect(),
            not_understood: self.not_understood.clone(),
            not_understood_count: self.not_understood_count,
        }
    }
}

/// Shortens `text` to `max` characters.
pub(crate) fn shortened(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_owned(),
    }
}

/// The file was not read: the answer says why, and where.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct Unreadable {
    /// 415 for a file in no format we read, 422 for one we could not read.
    pub status: u16,
    pub message: String,
    pub line: Option<usize>,
    /// The iCalendar component (`VTODO`, with its `UID` when it has one).
    pub component: Option<String>,
}

impl Unreadable {
    pub fn at(line: usize, message: impl Into<String>) -> Self {
        Self {
            status: 422,
            message: message.into(),
            line: Some(line),
            component: None,
        }
    }

    pub fn whole(message: impl Into<String>) -> Self {
        Self {
            status: 422,
            message: message.into(),
            line: None,
            component: None,
        }
    }
}

/// Collects a reader's projects and tasks, normalising each to our rules.
#[derive(Default)]
pub struct Builder {
    projects: Vec<PlannedProject>,
    project_index: HashMap<String, usize>,
    tasks: Vec<(usize, PlannedTask)>,
    not_understood: Vec<NotUnderstood>,
    not_understood_count: usize,
    pub exported_by: Option<String>,
}

impl Builder {
    /// Notes that `line` was not (fully) understood.
    pub fn skip(&mut self, line: usize, text: &str, reason: impl Into<String>) {
        self.not_understood_count += 1;
        if self.not_understood.len() < LISTED_NOT_UNDERSTOOD {
            self.not_understood.push(NotUnderstood {
                line,
                text: shortened(text.trim(), 200),
                reason: reason.into(),
            });
        }
    }

    /// The project with this source id, created on first use; its name is
    /// made valid (1 to 100 characters).
    pub fn project(&mut self, source_id: &str, name: &str) -> &mut PlannedProject {
        let index = match self.project_index.get(source_id) {
            Some(index) => *index,
            None => {
                let name = shortened(name.trim(), taskspin_domain::project::NAME_MAX_CHARS - 1);
                let name = if name.is_empty() {
                    "Imported".to_owned()
                } else {
                    name
                };
                self.projects.push(PlannedProject {
                    source_id: source_id.to_owned(),
                    name,
                    color: None,
                    archived: false,
                    sections: Vec::new(),
                    local_id: None,
                });
                self.project_index
                    .insert(source_id.to_owned(), self.projects.len() - 1);
                self.projects.len() - 1
            }
        };
        &mut self.projects[index]
    }

    /// Adds a task read at `line`. Text beyond our limits is kept where it
    /// fits (a long title continues in the description); what cannot be
    /// kept is noted.
    pub fn task(
        &mut self,
        line: usize,
        raw: &str,
        mut task: PlannedTask,
    ) -> Result<(), Unreadable> {
        if self.tasks.len() >= MAX_TASKS {
            return Err(Unreadable::at(
                line,
                format!(
                    "The file holds more than {MAX_TASKS} tasks: split it and import each part."
                ),
            ));
        }
        let title: String = task.title.replace('\0', "").trim().to_owned();
        if title.is_empty() {
            self.skip(line, raw, "a task without a title is skipped");
            return Ok(());
        }
        if title.chars().count() > task::TITLE_MAX_CHARS {
            task.title = shortened(&title, task::TITLE_MAX_CHARS - 1);
            task.description = if task.description.trim().is_empty() {
                title
            } else {
                format!("{title}\n\n{}", task.description)
            };
        } else {
            task.title = title;
        }
        let description = task.description.replace('\0', "");
        let description = description.trim_end();
        if description.chars().count() > task::DESCRIPTION_MAX_CHARS {
            task.description = shortened(description, task::DESCRIPTION_MAX_CHARS - 1);
            self.skip(
                line,
                raw,
                format!(
                    "the description is shortened to {} characters",
                    task::DESCRIPTION_MAX_CHARS
                ),
            );
        } else {
            task.description = description.to_owned();
        }
        let mut tags = Vec::new();
        for raw_tag in &task.tags {
            match task::tag(&raw_tag.replace(char::is_whitespace, "-")) {
                Ok(tag) if tags.len() >= task::TAGS_MAX => {
                    self.skip(
                        line,
                        raw,
                        format!(
                            "the tag \"{tag}\" is one more than {} per task",
                            task::TAGS_MAX
                        ),
                    );
                }
                Ok(tag) => {
                    if !tags.contains(&tag) {
                        tags.push(tag)
                    }
                }
                Err(message) => self.skip(line, raw, format!("the tag \"{raw_tag}\" {message}")),
            }
        }
        task.tags = tags;
        if let Some(recurrence) = &task.recurrence
            && recurrence.validate().is_err()
        {
            task.recurrence = None;
            self.skip(line, raw, "the recurrence is out of range");
        }
        if task.recurrence.is_some() && task.due.is_none() {
            task.recurrence = None;
            self.skip(line, raw, "a recurrence without a due date is dropped");
        }
        self.tasks.push((line, task));
        Ok(())
    }

    /// The plan: parents before subtasks, subtasks in their parent's
    /// project and section, at most [`MAX_TASK_DEPTH`] levels deep; a
    /// parent that is not in the file (or a loop of parents) is noted and
    /// the task kept at the top level.
    pub fn finish(mut self) -> Plan {
        // Duplicated source ids: the first one wins, later ones are noted.
        let mut index: HashMap<String, usize> = HashMap::new();
        let mut duplicates = Vec::new();
        for (i, (_, task)) in self.tasks.iter().enumerate() {
            if index.contains_key(&task.source_id) {
                duplicates.push(i);
            } else {
                index.insert(task.source_id.clone(), i);
            }
        }
        let mut notes: Vec<(usize, &str)> = duplicates
            .iter()
            .map(|i| (*i, "a second task with the same id is skipped"))
            .collect();
        let mut parent: Vec<Option<usize>> = self
            .tasks
            .iter()
            .map(|(_, t)| t.parent.as_ref().and_then(|p| index.get(p).copied()))
            .collect();
        for (i, (_, task)) in self.tasks.iter().enumerate() {
            if task.parent.is_some() && parent[i].is_none() {
                notes.push((
                    i,
                    "its parent is not in the file: it is kept at the top level",
                ));
            }
        }
        for i in cut_loops(&mut parent) {
            notes.push((i, "its parents form a loop: it is kept at the top level"));
        }
        let depth = depths(&parent);
        for (at, reason) in notes {
            let (line, task) = &self.tasks[at];
            let (line, text) = (*line, task.title.clone());
            self.skip(line, &text, reason);
        }

        let mut order: Vec<usize> = (0..self.tasks.len())
            .filter(|i| !duplicates.contains(i))
            .collect();
        order.sort_by_key(|i| (depth[*i], *i));
        // Each placed task's project, section, level (1 at the top) and parent.
        type Placed = (Option<String>, Option<String>, i64, Option<String>);
        let mut placed: HashMap<String, Placed> = HashMap::new();
        let mut tasks = Vec::with_capacity(order.len());
        for i in order {
            let mut task = self.tasks[i].1.clone();
            task.parent = parent[i].map(|p| self.tasks[p].1.source_id.clone());
            let mut level = 1;
            if let Some(mut up) = task.parent.clone() {
                // Deeper than our limit: under the deepest ancestor with room.
                while placed[&up].2 >= MAX_TASK_DEPTH {
                    up = placed[&up].3.clone().unwrap_or(up);
                }
                let (project, section, parent_level, _) = placed[&up].clone();
                task.project = project;
                task.section = section;
                level = parent_level + 1;
                task.parent = Some(up);
            }
            placed.insert(
                task.source_id.clone(),
                (
                    task.project.clone(),
                    task.section.clone(),
                    level,
                    task.parent.clone(),
                ),
            );
            tasks.push(task);
        }
        Plan {
            projects: self.projects,
            tasks,
            not_understood: self.not_understood,
            not_understood_count: self.not_understood_count,
            exported_by: self.exported_by,
        }
    }
}

/// Cuts each loop of parents at the task where a walk up came back to
/// itself; returns the tasks cut loose.
fn cut_loops(parent: &mut [Option<usize>]) -> Vec<usize> {
    #[derive(Clone, Copy, PartialEq)]
    enum State {
        New,
        OnPath,
        Done,
    }
    let mut state = vec![State::New; parent.len()];
    let mut cut = Vec::new();
    for start in 0..parent.len() {
        let mut path = Vec::new();
        let mut at = start;
        loop {
            match state[at] {
                State::Done => break,
                State::OnPath => {
                    parent[at] = None;
                    cut.push(at);
                    break;
                }
                State::New => {
                    state[at] = State::OnPath;
                    path.push(at);
                    match parent[at] {
                        Some(p) => at = p,
                        None => break,
                    }
                }
            }
        }
        for i in path {
            state[i] = State::Done;
        }
    }
    cut
}

/// Each task's distance from the top (0 for a top-level task), with no loops left.
fn depths(parent: &[Option<usize>]) -> Vec<usize> {
    let mut depth: Vec<Option<usize>> = vec![None; parent.len()];
    for start in 0..parent.len() {
        let mut path = Vec::new();
        let mut at = Some(start);
        while let Some(i) = at {
            if depth[i].is_some() {
                break;
            }
            path.push(i);
            at = parent[i];
        }
        for i in path.into_iter().rev() {
            depth[i] = Some(parent[i].and_then(|p| depth[p]).map_or(0, |d| d + 1));
        }
    }
    depth.into_iter().map(|d| d.unwrap_or(0)).collect()
}
