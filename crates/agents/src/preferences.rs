//! Per-user agent settings: each agent on or off (on by default), push
//! notifications on or off, and quiet hours in the user's time zone.

use serde::{Deserialize, Serialize};
use taskspin_db::{Db, ParameterValue};
use taskspin_domain::{Errors, FieldError};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AgentPreferences {
    pub overdue_monitor: bool,
    pub prioritization: bool,
    /// Reminders on the person's subscribed browsers (Web Push); on when left out.
    #[serde(default = "on")]
    pub notifications: bool,
    /// No new suggestions or notifications between these local times; null for none.
    pub quiet_hours: Option<QuietHours>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct QuietHours {
    /// `HH:MM`, such as `22:00`.
    #[schema(example = "22:00", pattern = "^([01][0-9]|2[0-3]):[0-5][0-9]$")]
    pub start: String,
    /// `HH:MM`, such as `07:00`; before `start` means the next morning, and
    /// `start` itself means no quiet hours.
    #[schema(example = "07:00", pattern = "^([01][0-9]|2[0-3]):[0-5][0-9]$")]
    pub end: String,
}

fn on() -> bool {
    true
}

impl Default for AgentPreferences {
    fn default() -> Self {
        Self {
            overdue_monitor: true,
            prioritization: true,
            notifications: true,
            quiet_hours: None,
        }
    }
}

fn minutes(text: &str) -> Result<i16, String> {
    let (hours, mins) = text.split_once(':').ok_or("must be HH:MM")?;
    let two_digits = |part: &str| part.len() == 2 && part.bytes().all(|b| b.is_ascii_digit());
    match (hours.parse::<i16>(), mins.parse::<i16>()) {
        (Ok(h), Ok(m))
            if two_digits(hours)
                && two_digits(mins)
                && (0..24).contains(&h)
                && (0..60).contains(&m) =>
        {
            Ok(h * 60 + m)
        }
        _ => Err("must be a time from 00:00 to 23:59".into()),
    }
}

fn clock(minutes: i16) -> String {
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

impl AgentPreferences {
    pub fn load(db: &Db, user_id: &str) -> taskspin_db::Result<Self> {
        let rows = db.query(
            "SELECT overdue_monitor, prioritization, notifications, quiet_start, quiet_end FROM agent_preferences WHERE user_id = $1",
            &[ParameterValue::Uuid(user_id.to_owned())],
        )?;
        let Some(row) = rows.first() else {
            return Ok(Self::default());
        };
        let quiet = (
            row.get::<Option<i16>>("quiet_start")?,
            row.get::<Option<i16>>("quiet_end")?,
        );
        Ok(Self {
            overdue_monitor: row.get("overdue_monitor")?,
            prioritization: row.get("prioritization")?,
            notifications: row.get("notifications")?,
            quiet_hours: match quiet {
                (Some(start), Some(end)) => Some(QuietHours {
                    start: clock(start),
                    end: clock(end),
                }),
                _ => None,
            },
        })
    }

    /// The quiet window in minutes, checked.
    fn quiet_minutes(&self) -> Result<Option<(i16, i16)>, Vec<FieldError>> {
        let Some(quiet) = &self.quiet_hours else {
            return Ok(None);
        };
        let mut errors = Errors::default();
        let start = errors.check("quiet_hours.start", minutes(&quiet.start));
        let end = errors.check("quiet_hours.end", minutes(&quiet.end));
        // An empty window: no quiet hours, stored as none.
        let window = start.zip(end).filter(|(start, end)| start != end);
        errors.finish(Some(window))
    }

    /// Stores the preferences; answers them as stored (an empty quiet window
    /// becomes none).
    pub fn save(
        &self,
        db: &Db,
        user_id: &str,
    ) -> Result<taskspin_db::Result<Self>, Vec<FieldError>> {
        let quiet = self.quiet_minutes()?;
        let stored = Self {
            quiet_hours: quiet.map(|(start, end)| QuietHours {
                start: clock(start),
                end: clock(end),
            }),
            ..self.clone()
        };
        let minute = |m: Option<i16>| m.map_or(ParameterValue::DbNull, ParameterValue::Int16);
        Ok(db
            .execute(
                "INSERT INTO agent_preferences (user_id, overdue_monitor, prioritization, quiet_start, quiet_end, notifications)
                 VALUES ($1, $2, $3, $4, $5, $6)
                 ON CONFLICT (user_id) DO UPDATE SET overdue_monitor = $2, prioritization = $3,
                     quiet_start = $4, quiet_end = $5, notifications = $6, updated_at = now()",
                &[
                    ParameterValue::Uuid(user_id.to_owned()),
                    ParameterValue::Boolean(self.overdue_monitor),
                    ParameterValue::Boolean(self.prioritization),
                    minute(quiet.map(|q| q.0)),
                    minute(quiet.map(|q| q.1)),
                    ParameterValue::Boolean(self.notifications),
                ],
            )
            .map(|_| stored))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quiet_hours_are_clock_times() {
        assert_eq!(minutes("22:00"), Ok(1320));
        assert_eq!(minutes("07:05"), Ok(425));
        for bad in ["24:00", "7", "07:5", "aa:bb", "-1:00", "7:00", "+7:00"] {
            assert!(minutes(bad).is_err(), "{bad}");
        }
        assert_eq!(clock(425), "07:05");
        let same = AgentPreferences {
            quiet_hours: Some(QuietHours {
                start: "10:00".into(),
                end: "10:00".into(),
            }),
            ..AgentPreferences::default()
        };
        assert_eq!(same.quiet_minutes(), Ok(None), "an empty window is none");
    }
}
