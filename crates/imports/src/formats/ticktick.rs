//! TickTick's CSV backup (Settings → Backup & Restore): a few lines about
//! the backup, then a header with `Folder Name, List Name, Title, Kind,
//! Tags, Content, Is Check list, Start Date, Due Date, Reminder, Repeat,
//! Priority, Status, Created Time, Completed Time, Order, Timezone, Is All
//! Day, Is Floating, Column Name, Column Order, View Mode, taskId,
//! parentId`. Lists are projects (its Inbox is ours), kanban columns are
//! sections, `parentId` makes subtasks, `Repeat` is an `RRULE`.

use chrono::{DateTime, NaiveDateTime, Utc};
use taskspin_domain::task::{Due, Priority};
use taskspin_domain::zone::Zone;

use super::{Context, columns, csv_problem, field};
use crate::plan::{Builder, PlannedTask, Unreadable};
use crate::rrule;

const REQUIRED: &[&str] = &["List Name", "Title", "Status", "taskId"];

pub fn looks_like(text: &str) -> bool {
    text.lines()
        .take(20)
        .any(|line| line.contains("List Name") && line.contains("taskId"))
}

/// TickTick's 0 (none), 1 (low), 3 (medium), 5 (high).
fn priority(value: &str) -> Result<Priority, String> {
    match value {
        "" | "0" => Ok(Priority::None),
        "1" => Ok(Priority::Low),
        "3" => Ok(Priority::Medium),
        "5" => Ok(Priority::High),
        other => Err(format!("the priority \"{other}\" is not 0, 1, 3 or 5")),
    }
}

/// TickTick's instants: `2026-12-01T17:00:00+0000`.
fn instant(value: &str) -> Result<Option<DateTime<Utc>>, String> {
    if value.is_empty() {
        return Ok(None);
    }
    DateTime::parse_from_str(value, "%Y-%m-%dT%H:%M:%S%z")
        .or_else(|_| DateTime::parse_from_rfc3339(value))
        .map(|at| Some(at.with_timezone(&Utc)))
        .or_else(|_| {
            NaiveDateTime::parse_from_str(value, "%Y-%m-%dT%H:%M:%S").map(|at| Some(at.and_utc()))
        })
        .map_err(|_| format!("the time \"{value}\" is not understood"))
}

pub fn read(text: &str, context: &Context) -> Result<Builder, Unreadable> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .has_headers(false)
        .from_reader(text.as_bytes());
    let mut record = csv::StringRecord::new();
    // The header comes after the backup's own lines.
    let columns = loop {
        match reader.read_record(&mut record) {
            Ok(true) => {}
            Ok(false) => {
                return Err(Unreadable::whole(
                    "This TickTick backup has no header line with List Name, Title, Status and taskId.",
                ));
            }
            Err(error) => return Err(csv_problem(&error, "TickTick CSV")),
        }
        if record.iter().any(|f| f.trim() == "Title") {
            let line = record.position().map_or(1, |p| p.line() as usize);
            break columns(&record, line, "TickTick CSV", REQUIRED)?;
        }
    };
    let column = |record: &csv::StringRecord, name: &str| {
        field(record, &columns, &name.to_ascii_uppercase()).to_owned()
    };
    let mut plan = Builder::default();
    loop {
        match reader.read_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(error) => return Err(csv_problem(&error, "TickTick CSV")),
        }
        let line = record.position().map_or(1, |p| p.line() as usize);
        let raw = record.iter().collect::<Vec<_>>().join(",");
        let id = column(&record, "taskId");
        if id.is_empty() {
            plan.skip(line, &raw, "a row without a taskId is skipped");
            continue;
        }
        let mut task = PlannedTask::new(format!("ticktick:{id}"), &column(&record, "Title"));
        let list = column(&record, "List Name");
        if !list.is_empty() && !list.eq_ignore_ascii_case("inbox") {
            let project = format!("ticktick:list:{}", list.to_lowercase());
            let planned = plan.project(&project, &list);
            let column_name = column(&record, "Column Name");
            if !column_name.is_empty() {
                let section = format!("{project}:column:{}", column_name.to_lowercase());
                planned.section(&section, &column_name);
                task.section = Some(section);
            }
            task.project = Some(project);
        }
        let parent = column(&record, "parentId");
        task.parent = (!parent.is_empty()).then(|| format!("ticktick:{parent}"));
        task.description = column(&record, "Content");
        task.tags = column(&record, "Tags")
            .split(',')
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(str::to_owned)
            .collect();
        match priority(&column(&record, "Priority")) {
            Ok(p) => task.priority = p,
            Err(reason) => plan.skip(line, &raw, reason),
        }
        let zone = Zone::named(&column(&record, "Timezone")).unwrap_or(context.zone);
        let all_day = column(&record, "Is All Day").eq_ignore_ascii_case("true");
        match instant(&column(&record, "Due Date")) {
            Ok(Some(at)) if all_day => {
                task.due = Some(Due::On(at.with_timezone(&zone).date_naive()))
            }
            Ok(Some(at)) => task.due = Some(Due::At(at)),
            Ok(None) => {}
            Err(reason) => plan.skip(line, &raw, format!("{reason}; the task has no date")),
        }
        let repeat = column(&record, "Repeat");
        if !repeat.is_empty() {
            match rrule::recurrence(&repeat) {
                Ok(recurrence) => task.recurrence = Some(recurrence),
                Err(reason) => plan.skip(line, &raw, format!("{reason}; the task does not repeat")),
            }
        }
        match column(&record, "Status").as_str() {
            "" | "0" => {}
            "1" | "2" => {
                task.completed_at = instant(&column(&record, "Completed Time"))
                    .ok()
                    .flatten()
                    .or(Some(context.now));
            }
            other => plan.skip(
                line,
                &raw,
                format!("the status \"{other}\" is not 0, 1 or 2: read as open"),
            ),
        }
        task.created_at = instant(&column(&record, "Created Time")).ok().flatten();
        plan.task(line, &raw, task)?;
    }
    Ok(plan)
}
