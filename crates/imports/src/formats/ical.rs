//! iCalendar to-dos (RFC 5545 `VTODO`), as Apple Reminders, Nextcloud Tasks
//! and Thunderbird export them: `SUMMARY`, `DESCRIPTION`, `DUE`,
//! `PRIORITY`, `STATUS`, `RELATED-TO` (the parent), `RRULE`, `CATEGORIES`.
//! The calendar's `X-WR-CALNAME` (else the file's name) is the project.
//!
//! The file's structure (`BEGIN`/`END`) is checked line by line first, so
//! that a component nested too deep or never closed is named by its line
//! before the `icalendar` crate's recursive parser sees it; each to-do is
//! then parsed on its own, and a problem names its line and `UID`.

use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeZone, Utc};
use icalendar::parser::{self, Component, Property};
use taskspin_domain::task::{Due, Priority};
use taskspin_domain::zone::Zone;

use super::{Context, digest};
use crate::plan::{Builder, PlannedTask, Unreadable};
use crate::rrule;

/// VCALENDAR › VTODO › VALARM is three; files from the apps we read stay
/// well within this.
pub const MAX_DEPTH: usize = 8;

pub fn looks_like(text: &str) -> bool {
    text.trim_start()
        .to_ascii_uppercase()
        .starts_with("BEGIN:VCALENDAR")
}

/// A component directly inside the calendar: its name, first line, and text.
struct Block<'a> {
    name: String,
    line: usize,
    uid: Option<String>,
    text: Vec<&'a str>,
}

fn problem(block: &Block<'_>, message: String) -> Unreadable {
    let mut problem = Unreadable::at(block.line, message);
    problem.component = Some(match &block.uid {
        Some(uid) => format!("{} {uid}", block.name),
        None => block.name.clone(),
    });
    problem
}

/// The calendar's direct components and its name, checking nesting.
fn blocks(text: &str) -> Result<(Vec<Block<'_>>, Option<String>), Unreadable> {
    let mut stack: Vec<(String, usize)> = Vec::new();
    let mut blocks: Vec<Block<'_>> = Vec::new();
    let mut calendar_name = None;
    let mut seen_calendar = false;
    for (index, line) in text.split('\n').enumerate() {
        let number = index + 1;
        let line = line.strip_suffix('\r').unwrap_or(line);
        let upper = line.to_ascii_uppercase();
        if let Some(name) = upper.strip_prefix("BEGIN:") {
            let name = name.trim().to_owned();
            if stack.is_empty() && name != "VCALENDAR" {
                return Err(Unreadable::at(
                    number,
                    format!("BEGIN:{name} is outside any VCALENDAR."),
                ));
            }
            if stack.len() >= MAX_DEPTH {
                let mut problem = Unreadable::at(
                    number,
                    format!(
                        "The component {name} at line {number} is nested more than {MAX_DEPTH} deep."
                    ),
                );
                problem.component = Some(name);
                return Err(problem);
            }
            if stack.len() == 1 {
                blocks.push(Block {
                    name: name.clone(),
                    line: number,
                    uid: None,
                    text: Vec::new(),
                });
            }
            if name == "VCALENDAR" {
                seen_calendar = true;
            }
            stack.push((name, number));
        } else if let Some(name) = upper.strip_prefix("END:") {
            let name = name.trim();
            match stack.pop() {
                Some((open, _)) if open == name => {}
                Some((open, opened_at)) => {
                    return Err(Unreadable::at(
                        number,
                        format!(
                            "END:{name} at line {number} does not close BEGIN:{open} from line {opened_at}."
                        ),
                    ));
                }
                None => {
                    return Err(Unreadable::at(
                        number,
                        format!("END:{name} closes nothing."),
                    ));
                }
            }
            if stack.len() == 1 {
                if let Some(block) = blocks.last_mut() {
                    block.text.push(line);
                }
                continue;
            }
        } else if stack.len() == 1 {
            if let Some(name) = upper
                .strip_prefix("X-WR-CALNAME:")
                .map(|_| &line["X-WR-CALNAME:".len()..])
            {
                calendar_name = Some(name.trim().to_owned());
            }
            continue;
        } else if stack.len() == 2
            && upper.starts_with("UID:")
            && let Some(block) = blocks.last_mut()
        {
            block.uid = Some(line[4..].trim().to_owned());
        }
        if stack.len() >= 2
            && let Some(block) = blocks.last_mut()
        {
            block.text.push(line);
        }
    }
    if let Some((open, line)) = stack.pop() {
        return Err(Unreadable::at(
            line,
            format!("BEGIN:{open} at line {line} is never closed."),
        ));
    }
    if !seen_calendar {
        return Err(Unreadable::at(1, "The file has no BEGIN:VCALENDAR."));
    }
    Ok((blocks, calendar_name))
}

fn property<'a>(component: &'a Component<'a>, name: &str) -> Option<&'a Property<'a>> {
    component
        .properties
        .iter()
        .find(|p| p.name.as_str().eq_ignore_ascii_case(name))
}

fn text_value(property: &Property<'_>) -> String {
    property.val.clone().unescape_text().as_str().to_owned()
}

fn parameter<'a>(property: &'a Property<'a>, name: &str) -> Option<&'a str> {
    property
        .params
        .iter()
        .find(|p| p.key.as_str().eq_ignore_ascii_case(name))
        .and_then(|p| p.val.as_ref().map(|v| v.as_str()))
}

/// `DUE` as a day (`VALUE=DATE`), an instant (`...Z`), or a local time in
/// its `TZID` (or, floating, in the person's zone).
fn due(property: &Property<'_>, context: &Context) -> Result<Due, String> {
    let value = property.val.as_str().trim();
    if value.len() == 8 {
        return NaiveDate::parse_from_str(value, "%Y%m%d")
            .map(Due::On)
            .map_err(|_| format!("the due date \"{value}\" is not understood"));
    }
    let (local, utc) = match value.strip_suffix('Z') {
        Some(local) => (local, true),
        None => (value, false),
    };
    let local = NaiveDateTime::parse_from_str(local, "%Y%m%dT%H%M%S")
        .map_err(|_| format!("the due time \"{value}\" is not understood"))?;
    if utc {
        return Ok(Due::At(local.and_utc()));
    }
    let zone = parameter(property, "TZID")
        .map(|tzid| {
            Zone::named(tzid.trim_matches('"'))
                .ok_or_else(|| format!("the time zone \"{tzid}\" is not known"))
        })
        .transpose()?
        .unwrap_or(context.zone);
    zone.from_local_datetime(&local)
        .earliest()
        .map(|at| Due::At(at.with_timezone(&Utc)))
        .ok_or_else(|| format!("the due time \"{value}\" does not exist in {}", zone.name()))
}

/// `COMPLETED` and `CREATED`, which RFC 5545 writes in UTC.
fn utc_instant(property: &Property<'_>) -> Option<DateTime<Utc>> {
    let value = property.val.as_str().trim();
    NaiveDateTime::parse_from_str(value.trim_end_matches('Z'), "%Y%m%dT%H%M%S")
        .ok()
        .map(|at| at.and_utc())
}

/// RFC 5545: 1 to 4 high (1 the highest), 5 medium, 6 to 9 low, 0 none.
fn priority(value: &str) -> Result<Priority, String> {
    match value.trim().parse::<u8>() {
        Ok(0) => Ok(Priority::None),
        Ok(1) => Ok(Priority::Urgent),
        Ok(2..=4) => Ok(Priority::High),
        Ok(5) => Ok(Priority::Medium),
        Ok(6..=9) => Ok(Priority::Low),
        _ => Err(format!("the priority \"{value}\" is not 0 to 9")),
    }
}

pub fn read(text: &str, context: &Context) -> Result<Builder, Unreadable> {
    let (blocks, calendar_name) = blocks(text)?;
    let name = calendar_name
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| context.file_stem().to_owned());
    let project = (!name.is_empty()).then(|| format!("ical:calendar:{}", name.to_lowercase()));
    let mut plan = Builder::default();
    if let Some(project) = &project {
        plan.project(project, &name);
    }
    let mut todos = 0;
    for block in blocks.iter().filter(|b| b.name == "VTODO") {
        todos += 1;
        let unfolded = parser::unfold(&(block.text.join("\r\n") + "\r\n"));
        let components = parser::read_calendar_simple(&unfolded).map_err(|e| {
            problem(
                block,
                format!(
                    "The VTODO at line {} cannot be read near \"{}\".",
                    block.line,
                    crate::plan::shortened(e.input.lines().next().unwrap_or_default(), 60)
                ),
            )
        })?;
        let Some(todo) = components.first() else {
            return Err(problem(
                block,
                format!("The VTODO at line {} is empty.", block.line),
            ));
        };
        let raw = block.text.get(1).copied().unwrap_or_default();
        let uid = block
            .uid
            .clone()
            .unwrap_or_else(|| digest(&[&block.text.join("\n")]));
        let summary = property(todo, "SUMMARY")
            .map(text_value)
            .unwrap_or_default();
        let mut task = PlannedTask::new(format!("ical:{uid}"), &summary);
        task.project = project.clone();
        task.description = property(todo, "DESCRIPTION")
            .map(text_value)
            .unwrap_or_default();
        if let Some(value) = property(todo, "DUE") {
            match due(value, context) {
                Ok(due) => task.due = Some(due),
                Err(reason) => {
                    plan.skip(block.line, raw, format!("{reason}; the task has no date"))
                }
            }
        }
        if let Some(value) = property(todo, "PRIORITY") {
            match priority(value.val.as_str()) {
                Ok(p) => task.priority = p,
                Err(reason) => plan.skip(block.line, raw, reason),
            }
        }
        match property(todo, "STATUS")
            .map(|s| s.val.as_str().trim().to_ascii_uppercase())
            .as_deref()
        {
            Some("COMPLETED") => {
                task.completed_at = property(todo, "COMPLETED")
                    .and_then(utc_instant)
                    .or(Some(context.now));
            }
            Some("CANCELLED") => {
                plan.skip(block.line, raw, "a cancelled to-do is skipped");
                continue;
            }
            _ => {}
        }
        for related in todo
            .properties
            .iter()
            .filter(|p| p.name.as_str().eq_ignore_ascii_case("RELATED-TO"))
        {
            let kind = parameter(related, "RELTYPE").unwrap_or("PARENT");
            if kind.eq_ignore_ascii_case("PARENT") {
                task.parent = Some(format!("ical:{}", related.val.as_str().trim()));
            }
        }
        if let Some(rule) = property(todo, "RRULE") {
            match rrule::recurrence(rule.val.as_str()) {
                Ok(recurrence) => task.recurrence = Some(recurrence),
                Err(reason) => plan.skip(
                    block.line,
                    raw,
                    format!("{reason}; the task does not repeat"),
                ),
            }
        }
        for categories in todo
            .properties
            .iter()
            .filter(|p| p.name.as_str().eq_ignore_ascii_case("CATEGORIES"))
        {
            task.tags.extend(
                categories
                    .val
                    .as_str()
                    .split(',')
                    .map(|t| t.trim().replace("\\,", ","))
                    .filter(|t| !t.is_empty()),
            );
        }
        task.created_at = property(todo, "CREATED").and_then(utc_instant);
        plan.task(block.line, raw, task)?;
    }
    if todos == 0 {
        return Err(Unreadable::whole(
            "This calendar has no to-dos (VTODO): events are not tasks, so there is nothing to import.",
        ));
    }
    Ok(plan)
}
