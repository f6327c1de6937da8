//! Every task as an iCalendar `VTODO` (RFC 5545), which task apps
//! (Apple Reminders, Thunderbird, Nextcloud Tasks) import, and which our
//! own `ical` import reads back: subtasks by `RELATED-TO`, tags as
//! `CATEGORIES`, recurrence as an `RRULE` where ours maps exactly.

use std::io::Write;

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use icalendar::{Component, Property, Todo, TodoStatus};
use taskspin_calendar::ics::{date_text, priority, recurrence_property, utc_text};
use taskspin_db::{Db, ParameterValue};
use taskspin_domain::recurrence::Recurrence;
use taskspin_domain::task::{Due, Priority};
use taskspin_domain::zone::Zone;

use crate::Error;
use crate::pages::{self, TASKS};

const SELECT: &str = "t.id, t.title, t.description, t.priority, t.tags, t.parent_id, t.version,
    t.due_at AT TIME ZONE 'UTC' AS due_at, t.due_date, t.recurrence,
    t.completed_at AT TIME ZONE 'UTC' AS completed_at, t.updated_at AT TIME ZONE 'UTC' AS updated_at,
    t.created_at AT TIME ZONE 'UTC' AS created_at";

fn uid(id: i64) -> String {
    format!("task-{id}@taskspin")
}

pub fn write(db: &Db, user_id: &str, origin: &str, out: &mut dyn Write) -> Result<(), Error> {
    let zone = db
        .query_one(
            "SELECT time_zone FROM users WHERE id = $1",
            &[ParameterValue::Uuid(user_id.to_owned())],
        )?
        .first()
        .map(|row| row.get::<String>("time_zone"))
        .transpose()?
        .and_then(|name| Zone::named(&name))
        .unwrap_or(Zone::UTC);
    out.write_all(
        b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Taskspin//Export//EN\r\nX-WR-CALNAME:Taskspin\r\n",
    )?;
    pages::each_row(db, user_id, &TASKS, SELECT, |row| {
        let id: i64 = row.get("id")?;
        let at = |column: &str| -> Result<Option<DateTime<Utc>>, Error> {
            Ok(row
                .get::<Option<NaiveDateTime>>(column)?
                .map(|at| at.and_utc()))
        };
        let updated_at = at("updated_at")?.unwrap_or_default();
        let mut todo = Todo::new();
        todo.uid(&uid(id))
            .summary(&row.get::<String>("title")?)
            .timestamp(updated_at)
            .sequence(u32::try_from(row.get::<i32>("version")?).unwrap_or(0))
            .url(&format!("{origin}/tasks/{id}"))
            .append_property(Property::new("LAST-MODIFIED", utc_text(updated_at)));
        if let Some(created) = at("created_at")? {
            todo.append_property(Property::new("CREATED", utc_text(created)));
        }
        let description: String = row.get("description")?;
        if !description.is_empty() {
            todo.description(&description);
        }
        let rank = Priority::from_i16(row.get("priority")?).map_or(0, priority);
        if rank > 0 {
            todo.priority(rank);
        }
        for tag in row
            .get::<Vec<Option<String>>>("tags")?
            .into_iter()
            .flatten()
        {
            todo.append_multi_property(Property::new("CATEGORIES", tag.as_str()));
        }
        if let Some(parent) = row.get::<Option<i64>>("parent_id")? {
            todo.append_property(Property::new("RELATED-TO", uid(parent)));
        }
        match at("completed_at")? {
            Some(completed) => {
                todo.status(TodoStatus::Completed)
                    .completed(completed)
                    .percent_complete(100);
            }
            None => {
                todo.status(TodoStatus::NeedsAction);
            }
        }
        let due = at("due_at")?
            .map(Due::At)
            .or(row.get::<Option<NaiveDate>>("due_date")?.map(Due::On));
        match due {
            Some(Due::On(date)) => {
                todo.append_property(
                    Property::new("DUE", date_text(date))
                        .add_parameter("VALUE", "DATE")
                        .done(),
                );
            }
            Some(Due::At(at)) => {
                todo.append_property(Property::new("DUE", utc_text(at)));
            }
            None => {}
        }
        let recurrence = row
            .get::<Option<serde_json::Value>>("recurrence")?
            .and_then(|value| serde_json::from_value::<Recurrence>(value).ok());
        if let Some(property) = recurrence
            .zip(due)
            .and_then(|(recurrence, due)| recurrence_property(&recurrence, due, zone))
        {
            todo.append_property(property);
        }
        out.write_all(todo.done().to_string().as_bytes())?;
        Ok(())
    })?;
    out.write_all(b"END:VCALENDAR\r\n")?;
    Ok(())
}
