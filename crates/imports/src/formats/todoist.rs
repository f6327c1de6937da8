//! Todoist's CSV export of one project (Todoist's "Export as CSV"):
//! columns `TYPE, CONTENT, DESCRIPTION, PRIORITY, INDENT, AUTHOR,
//! RESPONSIBLE, DATE, DATE_LANG, TIMEZONE, ...`, one row per section, task
//! or note (a comment, here appended to its task's description). `INDENT`
//! nests subtasks under the task before them; `PRIORITY` 1 is Todoist's
//! p1, the highest, and 4 its default; `DATE` is Todoist's natural
//! language, read here by our quick-add parser. The file is the project,
//! named after the file. Todoist's rows have no ids: a task's is derived
//! from its place (section, parents, title), so the same export imported
//! again finds the same tasks.

use std::collections::HashMap;

use taskspin_domain::quick_add::{self, ParseContext};
use taskspin_domain::task::Priority;
use taskspin_domain::zone::Zone;

use super::{Context, columns, csv_problem, digest, field};
use crate::plan::{Builder, PlannedTask, Unreadable};

const REQUIRED: &[&str] = &["TYPE", "CONTENT", "PRIORITY", "INDENT"];

pub fn looks_like(header: &str) -> bool {
    let header = header.to_ascii_uppercase();
    header.contains("TYPE") && header.contains("CONTENT") && header.contains("INDENT")
}

/// Todoist's p1 (1) to p4 (4, no priority).
fn priority(value: &str) -> Result<Priority, String> {
    match value {
        "" | "4" => Ok(Priority::None),
        "3" => Ok(Priority::Medium),
        "2" => Ok(Priority::High),
        "1" => Ok(Priority::Urgent),
        other => Err(format!("the priority \"{other}\" is not 1 to 4")),
    }
}

/// `@label` words in Todoist's content are its labels: tags here.
fn labels(content: &str) -> (String, Vec<String>) {
    let mut tags = Vec::new();
    let title: Vec<&str> = content
        .split_whitespace()
        .filter(|word| match word.strip_prefix('@') {
            Some(label) if !label.is_empty() => {
                tags.push(label.to_owned());
                false
            }
            _ => true,
        })
        .collect();
    (title.join(" "), tags)
}

pub fn read(text: &str, context: &Context) -> Result<Builder, Unreadable> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    let header = reader
        .headers()
        .map_err(|e| csv_problem(&e, "Todoist CSV"))?
        .clone();
    let columns = columns(&header, 1, "Todoist CSV", REQUIRED)?;
    let project_name = match context.file_stem() {
        "" => "Todoist",
        stem => stem,
    };
    let project = format!("todoist:{}", project_name.to_lowercase());
    let mut plan = Builder::default();
    plan.project(&project, project_name);

    let mut section: Option<(String, String)> = None;
    // The open task at each indent, by its id and its place's path.
    let mut open: Vec<(String, String)> = Vec::new();
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut pending: Option<(usize, String, PlannedTask)> = None;
    let mut record = csv::StringRecord::new();
    loop {
        match reader.read_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(error) => return Err(csv_problem(&error, "Todoist CSV")),
        }
        let line = record.position().map_or(1, |p| p.line() as usize);
        let raw = record.iter().collect::<Vec<_>>().join(",");
        let kind = field(&record, &columns, "TYPE").to_ascii_lowercase();
        let content = field(&record, &columns, "CONTENT");
        match kind.as_str() {
            "" if content.is_empty() => continue,
            "note" => {
                match pending.as_mut() {
                    Some((_, _, task)) if !content.is_empty() => {
                        if !task.description.is_empty() {
                            task.description.push_str("\n\n");
                        }
                        task.description.push_str(content);
                    }
                    Some(_) => {}
                    None => plan.skip(line, &raw, "a note before any task is skipped"),
                }
                continue;
            }
            _ => {}
        }
        if let Some((line, raw, task)) = pending.take() {
            plan.task(line, &raw, task)?;
        }
        match kind.as_str() {
            "section" => {
                let id = format!("{project}:section:{}", digest(&[content]));
                plan.project(&project, project_name).section(&id, content);
                section = Some((id, content.to_owned()));
                open.clear();
            }
            "task" => {
                let indent: usize = match field(&record, &columns, "INDENT") {
                    "" => 1,
                    value => match value.parse() {
                        Ok(n) if n >= 1 => n,
                        _ => {
                            plan.skip(
                                line,
                                &raw,
                                format!("the indent \"{value}\" is not a number from 1: read as 1"),
                            );
                            1
                        }
                    },
                };
                // A jump of more than one level hangs under the last task.
                let depth = indent.min(open.len() + 1);
                open.truncate(depth - 1);
                let (title, tags) = labels(content);
                let parent_path = open
                    .last()
                    .map(|(_, path)| path.as_str())
                    .unwrap_or(section.as_ref().map_or("", |(id, _)| id.as_str()));
                let path = format!("{parent_path}/{title}");
                let occurrence = seen.entry(path.clone()).or_default();
                *occurrence += 1;
                let id = format!("{project}:{}", digest(&[&path, &occurrence.to_string()]));
                let mut task = PlannedTask::new(id.clone(), &title);
                task.project = Some(project.clone());
                task.section = section.as_ref().map(|(id, _)| id.clone());
                task.parent = open.last().map(|(id, _)| id.clone());
                task.description = field(&record, &columns, "DESCRIPTION").to_owned();
                task.tags = tags;
                match priority(field(&record, &columns, "PRIORITY")) {
                    Ok(p) => task.priority = p,
                    Err(reason) => plan.skip(line, &raw, reason),
                }
                let date = field(&record, &columns, "DATE");
                if !date.is_empty() {
                    let language = field(&record, &columns, "DATE_LANG").to_ascii_lowercase();
                    if !language.is_empty() && language != "en" {
                        plan.skip(line, &raw, format!("dates in the language \"{language}\" are not read; the task has no date"));
                    } else {
                        let zone = Zone::named(field(&record, &columns, "TIMEZONE"))
                            .unwrap_or(context.zone);
                        match date_of(date, context, zone) {
                            Some(parsed) => {
                                task.due = parsed.due;
                                task.recurrence = parsed.recurrence;
                            }
                            None => plan.skip(
                                line,
                                &raw,
                                format!(
                                    "the date \"{date}\" is not understood; the task has no date"
                                ),
                            ),
                        }
                    }
                }
                open.push((id, path));
                pending = Some((line, raw, task));
            }
            other => plan.skip(line, &raw, format!("rows of type \"{other}\" are skipped")),
        }
    }
    if let Some((line, raw, task)) = pending.take() {
        plan.task(line, &raw, task)?;
    }
    Ok(plan)
}

/// Todoist's `DATE` through quick-add: understood only when all of it is
/// a date or a recurrence.
fn date_of(date: &str, context: &Context, zone: Zone) -> Option<quick_add::QuickAdd> {
    const PROBE: &str = "todoist-task";
    let parsed = quick_add::parse(
        &format!("{PROBE} {date}"),
        &ParseContext {
            now: context.now,
            tz: zone,
            week_start: context.week_start,
        },
    );
    let whole = parsed.title == PROBE
        && parsed.priority.is_none()
        && parsed.tags.is_empty()
        && parsed.project.is_none()
        && parsed.section.is_none();
    (whole && (parsed.due.is_some() || parsed.recurrence.is_some())).then_some(parsed)
}
