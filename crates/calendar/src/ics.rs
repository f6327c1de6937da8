//! The feed's iCalendar document (RFC 5545), written with the `icalendar`
//! crate (line folding at 75 octets, CRLF, text escaping).

use chrono::{DateTime, Days, NaiveDate, Utc};
use icalendar::{Calendar, Component, Event, Property};
use taskspin_domain::recurrence::Recurrence;
use taskspin_domain::task::{Due, Priority};
use taskspin_domain::zone::Zone;

use crate::rrule::{Repeats, repeats};

/// One pending dated task, as the feed shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DatedTask {
    pub id: i64,
    pub title: String,
    pub description: String,
    pub priority: Priority,
    pub tags: Vec<String>,
    pub due: Due,
    pub recurrence: Option<Recurrence>,
    pub version: i32,
    pub updated_at: DateTime<Utc>,
}

/// RFC 5545's PRIORITY: 1 is the highest, 9 the lowest, 0 undefined.
pub fn priority(priority: Priority) -> u32 {
    match priority {
        Priority::None => 0,
        Priority::Low => 9,
        Priority::Medium => 5,
        Priority::High => 3,
        Priority::Urgent => 1,
    }
}

pub fn utc_text(at: DateTime<Utc>) -> String {
    at.format("%Y%m%dT%H%M%SZ").to_string()
}

pub fn date_text(date: NaiveDate) -> String {
    date.format("%Y%m%d").to_string()
}

fn event(task: &DatedTask, origin: &str, zone: Zone) -> Event {
    let mut event = Event::new();
    event
        .uid(&format!("task-{}@taskspin", task.id))
        .summary(&task.title)
        .timestamp(task.updated_at)
        .sequence(u32::try_from(task.version).unwrap_or(0))
        .url(&format!("{origin}/tasks/{}", task.id))
        .append_property(Property::new("LAST-MODIFIED", utc_text(task.updated_at)));
    if !task.description.is_empty() {
        event.description(&task.description);
    }
    let rank = priority(task.priority);
    if rank > 0 {
        event.priority(rank);
    }
    for tag in &task.tags {
        event.append_multi_property(Property::new("CATEGORIES", tag.as_str()));
    }
    match task.due {
        Due::On(date) => {
            event
                .append_property(
                    Property::new("DTSTART", date_text(date))
                        .add_parameter("VALUE", "DATE")
                        .done(),
                )
                .append_property(
                    Property::new(
                        "DTEND",
                        date_text(date.checked_add_days(Days::new(1)).unwrap_or(date)),
                    )
                    .add_parameter("VALUE", "DATE")
                    .done(),
                );
        }
        // A due time is a moment: the event starts and ends there.
        Due::At(at) => {
            event
                .append_property(Property::new("DTSTART", utc_text(at)))
                .append_property(Property::new("DTEND", utc_text(at)));
        }
    }
    if let Some(property) = task
        .recurrence
        .as_ref()
        .and_then(|recurrence| recurrence_property(recurrence, task.due, zone))
    {
        event.append_property(property);
    }
    event.done()
}

/// How a task with `due` repeats: an `RRULE` where RFC 5545 repeats it
/// exactly, else its coming occurrences as an `RDATE`.
pub fn recurrence_property(recurrence: &Recurrence, due: Due, zone: Zone) -> Option<Property> {
    match repeats(recurrence, due, zone) {
        Repeats::Rule(rule) => Some(Property::new("RRULE", rule)),
        Repeats::Dates(dates) if !dates.is_empty() => {
            let values: Vec<String> = dates
                .into_iter()
                .map(|due| match due {
                    Due::On(date) => date_text(date),
                    Due::At(at) => utc_text(at),
                })
                .collect();
            let mut rdate = Property::new("RDATE", values.join(","));
            if matches!(due, Due::On(_)) {
                rdate.add_parameter("VALUE", "DATE");
            }
            Some(rdate.done())
        }
        Repeats::Dates(_) => None,
    }
}

/// The whole feed. `origin` (`https://tasks.example.com`) makes each
/// event's link back to its task; times are in UTC, so no VTIMEZONE is
/// needed, and dates are the person's own calendar days.
pub fn render(tasks: &[DatedTask], origin: &str, zone: Zone) -> String {
    let mut calendar = Calendar::new();
    calendar.name("Taskspin");
    calendar.append_property(Property::new("X-WR-TIMEZONE", zone.name()));
    for task in tasks {
        calendar.push(event(task, origin, zone));
    }
    calendar.done().to_string()
}
