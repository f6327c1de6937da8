//! Every read and write of projects and sections. Each statement puts the
//! owner's id in its `WHERE` (for sections, through their project), so
//! another user's project is as missing as one that never existed.

mod requests;
mod sections;

use chrono::{NaiveDateTime, SecondsFormat};
use serde::Serialize;
use taskspin_db::position::{Place, Siblings};
use taskspin_db::{Db, IfMatch, ParameterValue, Row};
use taskspin_domain::project::{Color, name_key};

pub use requests::{Move, NewProject, NewSection, ProjectPatch, SectionPatch, StatusFilter};
pub use sections::{Section, SectionList};

/// A project as the API shows it.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Project {
    pub id: i64,
    pub name: String,
    pub color: Color,
    /// The account's Inbox: never renamed, archived, moved or deleted.
    pub inbox: bool,
    /// Orders projects among themselves (the Inbox always comes first).
    pub position: i64,
    pub archived: bool,
    #[schema(format = DateTime)]
    pub archived_at: Option<String>,
    /// Pending tasks in the project, subtasks included.
    pub open_tasks: i64,
    /// All its tasks: what deleting it deletes.
    pub tasks: i64,
    #[schema(format = DateTime)]
    pub created_at: String,
    #[schema(format = DateTime)]
    pub updated_at: String,
    pub version: i32,
}

/// `GET /api/projects`.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ProjectList {
    pub projects: Vec<Project>,
}

/// The select list [`Project::from_row`] decodes, for a `projects p`. The
/// counts are index-only scans of the project's tasks.
const PROJECT_COLUMNS: &str = "p.id, p.name, p.color, p.inbox, p.position, \
     p.archived_at AT TIME ZONE 'UTC' AS archived_at, p.created_at AT TIME ZONE 'UTC' AS created_at, \
     p.updated_at AT TIME ZONE 'UTC' AS updated_at, p.version, \
     (SELECT count(*) FROM tasks c WHERE c.project_id = p.id AND c.completed_at IS NULL) AS open_tasks, \
     (SELECT count(*) FROM tasks c WHERE c.project_id = p.id) AS tasks";

/// The sidebar's statement (the owner is `$1`); public so a test can
/// `EXPLAIN` exactly what runs.
pub fn list_statement(status: StatusFilter) -> String {
    let condition = match status {
        StatusFilter::Active => "AND p.archived_at IS NULL",
        StatusFilter::Archived => "AND p.archived_at IS NOT NULL",
        StatusFilter::All => "",
    };
    format!(
        "SELECT {PROJECT_COLUMNS} FROM projects p WHERE p.user_id = $1 {condition}
         ORDER BY {PROJECT_ORDER}"
    )
}

/// Inbox first, then by hand.
const PROJECT_ORDER: &str = "p.inbox DESC, p.position, p.id";

pub(crate) fn rfc3339(at: NaiveDateTime) -> String {
    at.and_utc().to_rfc3339_opts(SecondsFormat::Millis, true)
}

pub(crate) fn decode_error(column: &str, message: impl ToString) -> taskspin_db::Error {
    taskspin_db::Error::Decode {
        column: column.into(),
        message: message.to_string(),
    }
}

impl Project {
    fn from_row(row: &Row<'_>) -> taskspin_db::Result<Self> {
        let color: String = row.get("color")?;
        let archived_at = row
            .get::<Option<NaiveDateTime>>("archived_at")?
            .map(rfc3339);
        Ok(Self {
            id: row.get("id")?,
            name: row.get("name")?,
            color: Color::parse(&color).ok_or_else(|| decode_error("color", color))?,
            inbox: row.get("inbox")?,
            position: row.get("position")?,
            archived: archived_at.is_some(),
            archived_at,
            open_tasks: row.get("open_tasks")?,
            tasks: row.get("tasks")?,
            created_at: rfc3339(row.get("created_at")?),
            updated_at: rfc3339(row.get("updated_at")?),
            version: row.get("version")?,
        })
    }

    /// The strong ETag of this version.
    pub fn etag(&self) -> String {
        format!("\"{}\"", self.version)
    }
}

/// The result of a change to one project or section.
#[derive(Debug, PartialEq)]
pub enum Change<T> {
    Done(T),
    /// No such project (or section) for this user.
    NotFound,
    /// `If-Match` named another version; nothing was changed.
    Stale(Box<T>),
    /// The Inbox cannot be renamed, archived, moved or deleted.
    InboxIsFixed,
    /// The `after` of a move is not a sibling.
    NoSuchNeighbour,
}

/// A project or section that quick add's `+Name` or `/Name` found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Named {
    pub id: i64,
    pub name: String,
}

/// A project or section a quick-add text names (`+Name`, `/Name`) and the
/// one it means: `id` is null when the user has none by that name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Mention {
    pub name: String,
    pub id: Option<i64>,
}

impl Mention {
    fn of(written: &str, found: Option<Named>) -> Self {
        match found {
            Some(Named { id, name }) => Mention { name, id: Some(id) },
            None => Mention {
                name: written.to_owned(),
                id: None,
            },
        }
    }
}

/// One user's projects.
pub struct Projects<'a> {
    db: &'a Db,
    user_id: String,
}

fn text_param(text: Option<&str>) -> ParameterValue {
    text.map_or(ParameterValue::DbNull, |t| {
        ParameterValue::Str(t.to_owned())
    })
}

impl<'a> Projects<'a> {
    pub fn new(db: &'a Db, user_id: &str) -> Self {
        Self {
            db,
            user_id: user_id.to_owned(),
        }
    }

    pub(crate) fn user(&self) -> ParameterValue {
        ParameterValue::Uuid(self.user_id.clone())
    }

    pub(crate) fn db(&self) -> &Db {
        self.db
    }

    fn one(&self, sql: &str, params: &[ParameterValue]) -> taskspin_db::Result<Option<Project>> {
        let rows = self.db.query(sql, params)?;
        rows.first().map(|row| Project::from_row(&row)).transpose()
    }

    pub fn list(&self, status: StatusFilter) -> taskspin_db::Result<ProjectList> {
        let projects = self
            .db
            .query(&list_statement(status), &[self.user()])?
            .map(Project::from_row)?;
        Ok(ProjectList { projects })
    }

    pub fn get(&self, id: i64) -> taskspin_db::Result<Option<Project>> {
        self.one(
            &format!("SELECT {PROJECT_COLUMNS} FROM projects p WHERE p.id = $1 AND p.user_id = $2"),
            &[ParameterValue::Int64(id), self.user()],
        )
    }

    pub fn create(&self, name: &str, color: Color) -> taskspin_db::Result<Project> {
        self.one(
            &format!(
                "INSERT INTO projects AS p (user_id, name, color) VALUES ($1, $2, $3)
                 RETURNING {PROJECT_COLUMNS}"
            ),
            &[
                self.user(),
                ParameterValue::Str(name.to_owned()),
                ParameterValue::Str(color.as_str().to_owned()),
            ],
        )?
        .ok_or_else(|| decode_error("*", "INSERT returned no row"))
    }

    /// Why a conditional write touched no row.
    fn explain_miss(&self, id: i64, if_match: &IfMatch) -> taskspin_db::Result<Change<Project>> {
        Ok(match self.get(id)? {
            None => Change::NotFound,
            Some(current) if !if_match.allows(current.version) => Change::Stale(Box::new(current)),
            Some(current) if current.inbox => Change::InboxIsFixed,
            Some(current) => Change::Done(current),
        })
    }

    pub fn update(
        &self,
        id: i64,
        name: Option<&str>,
        color: Option<Color>,
        if_match: &IfMatch,
    ) -> taskspin_db::Result<Change<Project>> {
        let updated = self.one(
            &format!(
                "UPDATE projects AS p SET name = COALESCE($3, p.name), color = COALESCE($4, p.color),
                        updated_at = now(), version = p.version + 1
                 WHERE p.id = $1 AND p.user_id = $2 AND (NOT p.inbox OR $3::text IS NULL)
                   AND ($5::int[] IS NULL OR p.version = ANY($5))
                 RETURNING {PROJECT_COLUMNS}"
            ),
            &[
                ParameterValue::Int64(id),
                self.user(),
                text_param(name),
                text_param(color.map(Color::as_str)),
                if_match.param(),
            ],
        )?;
        match updated {
            Some(project) => Ok(Change::Done(project)),
            None => self.explain_miss(id, if_match),
        }
    }

    /// Deletes a project with its sections and tasks; returns it as it was.
    pub fn delete(&self, id: i64, if_match: &IfMatch) -> taskspin_db::Result<Change<Project>> {
        let deleted = self.one(
            &format!(
                "DELETE FROM projects AS p WHERE p.id = $1 AND p.user_id = $2 AND NOT p.inbox
                   AND ($3::int[] IS NULL OR p.version = ANY($3))
                 RETURNING {PROJECT_COLUMNS}"
            ),
            &[ParameterValue::Int64(id), self.user(), if_match.param()],
        )?;
        match deleted {
            Some(project) => Ok(Change::Done(project)),
            None => self.explain_miss(id, if_match),
        }
    }

    /// Archives (`archived`) or restores a project; doing it twice changes nothing.
    pub fn set_archived(
        &self,
        id: i64,
        archived: bool,
        if_match: &IfMatch,
    ) -> taskspin_db::Result<Change<Project>> {
        let changed = self.one(
            &format!(
                "UPDATE projects AS p SET archived_at = CASE WHEN $3 THEN now() END,
                        updated_at = now(), version = p.version + 1
                 WHERE p.id = $1 AND p.user_id = $2 AND NOT p.inbox AND (p.archived_at IS NULL) = $3
                   AND ($4::int[] IS NULL OR p.version = ANY($4))
                 RETURNING {PROJECT_COLUMNS}"
            ),
            &[
                ParameterValue::Int64(id),
                self.user(),
                ParameterValue::Boolean(archived),
                if_match.param(),
            ],
        )?;
        match changed {
            Some(project) => Ok(Change::Done(project)),
            None => self.explain_miss(id, if_match),
        }
    }

    /// Puts a project at `place` among the others (the Inbox stays first).
    pub fn move_to(
        &self,
        id: i64,
        place: Place,
        if_match: &IfMatch,
    ) -> taskspin_db::Result<Change<Project>> {
        self.db.transaction(|db| {
            let locked = db.query(
                "SELECT inbox, version FROM projects WHERE id = $1 AND user_id = $2 FOR UPDATE",
                &[ParameterValue::Int64(id), self.user()],
            )?;
            let Some(row) = locked.first() else {
                return Ok(Change::NotFound);
            };
            let version: i32 = row.get("version")?;
            if !if_match.allows(version) {
                return self.explain_miss(id, if_match);
            }
            if row.get::<bool>("inbox")? {
                return Ok(Change::InboxIsFixed);
            }
            let siblings = Siblings {
                table: "projects",
                condition: "user_id = $1 AND NOT inbox",
                params: vec![self.user()],
            };
            let Ok(position) = siblings.position(db, id, place)? else {
                return Ok(Change::NoSuchNeighbour);
            };
            let moved = self.one(
                &format!(
                    "UPDATE projects AS p SET position = $3, updated_at = now(), version = p.version + 1
                     WHERE p.id = $1 AND p.user_id = $2 RETURNING {PROJECT_COLUMNS}"
                ),
                &[
                    ParameterValue::Int64(id),
                    self.user(),
                    ParameterValue::Int64(position),
                ],
            )?;
            Ok(moved.map_or(Change::NotFound, Change::Done))
        })
    }

    /// The user's Inbox.
    pub fn inbox(&self) -> taskspin_db::Result<Named> {
        let rows = self.db.query(
            "SELECT id, name FROM projects WHERE user_id = $1 AND inbox",
            &[self.user()],
        )?;
        let row = rows
            .first()
            .ok_or_else(|| decode_error("inbox", "the account has no Inbox"))?;
        Ok(Named {
            id: row.get("id")?,
            name: row.get("name")?,
        })
    }

    /// What quick add's `+project` and `/section` mean; without a `+project`
    /// the task goes to `default_project` (a project of the caller's, already
    /// checked) or the Inbox, where `/section` is then looked up.
    pub fn mentions(
        &self,
        project: Option<&str>,
        section: Option<&str>,
        default_project: Option<&Project>,
    ) -> taskspin_db::Result<(Option<Mention>, Option<Mention>)> {
        let project = match (project, default_project) {
            (Some(written), _) => Some(Mention::of(written, self.find_by_name(written)?)),
            (None, Some(default)) => Some(Mention {
                name: default.name.clone(),
                id: Some(default.id),
            }),
            (None, None) => None,
        };
        let section = match section {
            Some(written) => {
                let home = match project.as_ref().and_then(|p| p.id) {
                    Some(id) => id,
                    None => self.inbox()?.id,
                };
                Some(Mention::of(
                    written,
                    self.find_section_by_name(home, written)?,
                ))
            }
            None => None,
        };
        Ok((project, section))
    }

    /// The active project quick add's `+name` means (case and spaces do not
    /// matter; the first in the sidebar's order wins).
    pub fn find_by_name(&self, name: &str) -> taskspin_db::Result<Option<Named>> {
        let wanted = name_key(name);
        let rows = self.db.query(
            &format!(
                "SELECT p.id, p.name FROM projects p WHERE p.user_id = $1 AND p.archived_at IS NULL
                 ORDER BY {PROJECT_ORDER}"
            ),
            &[self.user()],
        )?;
        first_named(&rows, &wanted)
    }
}

/// The first of `rows` (with `id` and `name`) whose name has the key `wanted`.
pub(crate) fn first_named(
    rows: &taskspin_db::Rows,
    wanted: &str,
) -> taskspin_db::Result<Option<Named>> {
    for row in rows.iter() {
        let name: String = row.get("name")?;
        if name_key(&name) == wanted {
            return Ok(Some(Named {
                id: row.get("id")?,
                name,
            }));
        }
    }
    Ok(None)
}
