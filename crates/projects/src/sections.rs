//! A project's sections. A section is reached only through a project of the
//! caller's, so each statement joins its project and checks the owner.

use chrono::NaiveDateTime;
use serde::Serialize;
use taskspin_db::position::{Place, Siblings};
use taskspin_db::{IfMatch, ParameterValue, Row};
use taskspin_domain::project::name_key;

use crate::{Change, Named, Projects, first_named, rfc3339};

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Section {
    pub id: i64,
    pub project_id: i64,
    pub name: String,
    pub position: i64,
    #[schema(format = DateTime)]
    pub created_at: String,
    #[schema(format = DateTime)]
    pub updated_at: String,
    pub version: i32,
}

/// `GET /api/projects/{id}/sections`.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SectionList {
    pub sections: Vec<Section>,
}

const SECTION_COLUMNS: &str = "s.id, s.project_id, s.name, s.position, \
     s.created_at AT TIME ZONE 'UTC' AS created_at, s.updated_at AT TIME ZONE 'UTC' AS updated_at, s.version";

/// The caller's project `$1`'s section `$3` (the owner is `$2`).
const OWNED_SECTION: &str = "s.id = $3 AND s.project_id = $1 \
     AND EXISTS (SELECT 1 FROM projects p WHERE p.id = $1 AND p.user_id = $2)";

impl Section {
    fn from_row(row: &Row<'_>) -> taskspin_db::Result<Self> {
        Ok(Self {
            id: row.get("id")?,
            project_id: row.get("project_id")?,
            name: row.get("name")?,
            position: row.get("position")?,
            created_at: rfc3339(row.get::<NaiveDateTime>("created_at")?),
            updated_at: rfc3339(row.get::<NaiveDateTime>("updated_at")?),
            version: row.get("version")?,
        })
    }

    pub fn etag(&self) -> String {
        format!("\"{}\"", self.version)
    }
}

impl Projects<'_> {
    fn one_section(
        &self,
        sql: &str,
        params: &[ParameterValue],
    ) -> taskspin_db::Result<Option<Section>> {
        let rows = self.db().query(sql, params)?;
        rows.first().map(|row| Section::from_row(&row)).transpose()
    }

    fn owned(&self, project: i64, section: i64) -> [ParameterValue; 3] {
        [
            ParameterValue::Int64(project),
            self.user(),
            ParameterValue::Int64(section),
        ]
    }

    /// The project's sections in order; `None` when there is no such project.
    /// One statement: the project's row (none: not the caller's), joined to
    /// its sections (a row of nulls: it has none).
    pub fn sections(&self, project: i64) -> taskspin_db::Result<Option<SectionList>> {
        let rows = self.db().query(
            &format!(
                "SELECT {SECTION_COLUMNS} FROM projects p LEFT JOIN sections s ON s.project_id = p.id
                 WHERE p.id = $1 AND p.user_id = $2
                 ORDER BY s.position, s.id"
            ),
            &[ParameterValue::Int64(project), self.user()],
        )?;
        if rows.is_empty() {
            return Ok(None);
        }
        let mut sections = Vec::new();
        for row in rows.iter() {
            if row.get::<Option<i64>>("id")?.is_some() {
                sections.push(Section::from_row(&row)?);
            }
        }
        Ok(Some(SectionList { sections }))
    }

    pub fn section(&self, project: i64, section: i64) -> taskspin_db::Result<Option<Section>> {
        self.one_section(
            &format!("SELECT {SECTION_COLUMNS} FROM sections s WHERE {OWNED_SECTION}"),
            &self.owned(project, section),
        )
    }

    /// A new last section; `None` when there is no such project.
    pub fn create_section(&self, project: i64, name: &str) -> taskspin_db::Result<Option<Section>> {
        self.one_section(
            &format!(
                "INSERT INTO sections AS s (project_id, name)
                 SELECT p.id, $3 FROM projects p WHERE p.id = $1 AND p.user_id = $2
                 RETURNING {SECTION_COLUMNS}"
            ),
            &[
                ParameterValue::Int64(project),
                self.user(),
                ParameterValue::Str(name.to_owned()),
            ],
        )
    }

    fn explain_section_miss(
        &self,
        project: i64,
        section: i64,
    ) -> taskspin_db::Result<Change<Section>> {
        Ok(match self.section(project, section)? {
            None => Change::NotFound,
            Some(current) => Change::Stale(Box::new(current)),
        })
    }

    pub fn rename_section(
        &self,
        project: i64,
        section: i64,
        name: &str,
        if_match: &IfMatch,
    ) -> taskspin_db::Result<Change<Section>> {
        let [p, u, s] = self.owned(project, section);
        let renamed = self.one_section(
            &format!(
                "UPDATE sections AS s SET name = $4, updated_at = now(), version = s.version + 1
                 WHERE {OWNED_SECTION} AND ($5::int[] IS NULL OR s.version = ANY($5))
                 RETURNING {SECTION_COLUMNS}"
            ),
            &[
                p,
                u,
                s,
                ParameterValue::Str(name.to_owned()),
                if_match.param(),
            ],
        )?;
        match renamed {
            Some(section) => Ok(Change::Done(section)),
            None => self.explain_section_miss(project, section),
        }
    }

    /// Deletes a section; its tasks stay in the project, without a section.
    pub fn delete_section(
        &self,
        project: i64,
        section: i64,
        if_match: &IfMatch,
    ) -> taskspin_db::Result<Change<Section>> {
        let [p, u, s] = self.owned(project, section);
        let deleted = self.one_section(
            &format!(
                "DELETE FROM sections s WHERE {OWNED_SECTION} AND ($4::int[] IS NULL OR s.version = ANY($4))
                 RETURNING {SECTION_COLUMNS}"
            ),
            &[p, u, s, if_match.param()],
        )?;
        match deleted {
            Some(section) => Ok(Change::Done(section)),
            None => self.explain_section_miss(project, section),
        }
    }

    pub fn move_section(
        &self,
        project: i64,
        section: i64,
        place: Place,
        if_match: &IfMatch,
    ) -> taskspin_db::Result<Change<Section>> {
        self.db().transaction(|db| {
            let locked = db.query(
                &format!("SELECT s.version FROM sections s WHERE {OWNED_SECTION} FOR UPDATE"),
                &self.owned(project, section),
            )?;
            let Some(row) = locked.first() else {
                return Ok(Change::NotFound);
            };
            if !if_match.allows(row.get("version")?) {
                return self.explain_section_miss(project, section);
            }
            let siblings = Siblings {
                table: "sections",
                condition: "project_id = $1",
                params: vec![ParameterValue::Int64(project)],
            };
            let Ok(position) = siblings.position(db, section, place)? else {
                return Ok(Change::NoSuchNeighbour);
            };
            let [p, u, s] = self.owned(project, section);
            let moved = self.one_section(
                &format!(
                    "UPDATE sections AS s SET position = $4, updated_at = now(), version = s.version + 1
                     WHERE {OWNED_SECTION} RETURNING {SECTION_COLUMNS}"
                ),
                &[p, u, s, ParameterValue::Int64(position)],
            )?;
            Ok(moved.map_or(Change::NotFound, Change::Done))
        })
    }

    /// The section of `project` quick add's `/name` means.
    pub fn find_section_by_name(
        &self,
        project: i64,
        name: &str,
    ) -> taskspin_db::Result<Option<Named>> {
        let wanted = name_key(name);
        let rows = self.db().query(
            "SELECT s.id, s.name FROM sections s JOIN projects p ON p.id = s.project_id
             WHERE s.project_id = $1 AND p.user_id = $2 ORDER BY s.position, s.id",
            &[ParameterValue::Int64(project), self.user()],
        )?;
        first_named(&rows, &wanted)
    }
}
