use serde::Serialize;
use taskspin_db::{Db, ParameterValue, Row};
use taskspin_domain::Zone;

/// An account as the API shows it (never the password hash).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct User {
    pub id: String,
    pub email: String,
    pub display_name: String,
    pub time_zone: String,
    /// 0 = Sunday ... 6 = Saturday.
    #[schema(minimum = 0, maximum = 6)]
    pub week_start: i16,
    #[schema(format = DateTime)]
    pub created_at: String,
}

/// The select list that [`User::from_row`] decodes, for a `users u`.
pub const USER_COLUMNS: &str = "u.id::text AS id, u.email, u.display_name, u.time_zone, u.week_start, rfc3339(u.created_at) AS created_at";

impl User {
    pub fn from_row(row: &Row<'_>) -> taskspin_db::Result<Self> {
        Ok(Self {
            id: row.get("id")?,
            email: row.get("email")?,
            display_name: row.get("display_name")?,
            time_zone: row.get("time_zone")?,
            week_start: row.get("week_start")?,
            created_at: row.get("created_at")?,
        })
    }

    pub fn time_zone(&self) -> Zone {
        Zone::named(&self.time_zone).unwrap_or(Zone::UTC)
    }

    /// The first day of the person's week (Monday when the stored day is
    /// out of range).
    pub fn week_start(&self) -> chrono::Weekday {
        taskspin_domain::account::week_start(self.week_start).unwrap_or(chrono::Weekday::Mon)
    }

    pub fn find(db: &Db, id: &str) -> taskspin_db::Result<Option<Self>> {
        let rows = db.query(
            &format!("SELECT {USER_COLUMNS} FROM users u WHERE u.id = $1"),
            &[ParameterValue::Uuid(id.to_owned())],
        )?;
        rows.first().map(|row| Self::from_row(&row)).transpose()
    }
}
