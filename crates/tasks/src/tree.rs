//! Where tasks live: projects, sections, subtasks and manual order. Every id
//! a request names is looked up with the caller's id in the `WHERE`, so
//! another user's project, section or task is refused exactly like one that
//! does not exist, and the rows it names are locked (`FOR KEY SHARE`) until
//! the write that refers to them commits.

use taskspin_db::position::{GAP, Place, Siblings};
use taskspin_db::{Db, IfMatch, ParameterValue};
use taskspin_domain::project::MAX_TASK_DEPTH;
use taskspin_domain::{Errors, FieldError};

use crate::input::{MoveTask, Placement};
use crate::store::{Outcome, TASK_COLUMNS, Task, Tasks};

/// A checked place for a task.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Resolved {
    /// `None`: the Inbox, which the database fills in.
    pub project: Option<i64>,
    pub section: Option<i64>,
    pub parent: Option<i64>,
}

const NOT_YOUR_PROJECT: &str = "is not one of your projects";
const NOT_YOUR_TASK: &str = "is not one of your tasks";
const NOT_A_SECTION: &str = "is not a section of the task's project";

fn param(id: Option<i64>) -> ParameterValue {
    id.map_or(ParameterValue::DbNull, ParameterValue::Int64)
}

/// A task's level (1 for a top-level task) with its project and section.
struct Parent {
    project: i64,
    section: Option<i64>,
    level: i64,
}

impl Tasks<'_> {
    fn parent(&self, db: &Db, id: i64) -> taskspin_db::Result<Option<Parent>> {
        let rows = db.query(
            "WITH RECURSIVE up AS (
                 SELECT id, parent_id, 1 AS level FROM tasks WHERE id = $1 AND user_id = $2
                 UNION ALL
                 SELECT t.id, t.parent_id, up.level + 1 FROM tasks t JOIN up ON t.id = up.parent_id
             )
             SELECT p.project_id, p.section_id, (SELECT max(level) FROM up)::bigint AS level
             FROM tasks p WHERE p.id = $1 AND p.user_id = $2 FOR KEY SHARE OF p",
            &[ParameterValue::Int64(id), self.user()],
        )?;
        rows.first()
            .map(|row| {
                Ok(Parent {
                    project: row.get("project_id")?,
                    section: row.get("section_id")?,
                    level: row.get("level")?,
                })
            })
            .transpose()
    }

    fn owns_project(&self, db: &Db, id: i64) -> taskspin_db::Result<bool> {
        Ok(!db
            .query(
                "SELECT 1 FROM projects WHERE id = $1 AND user_id = $2 FOR KEY SHARE",
                &[ParameterValue::Int64(id), self.user()],
            )?
            .is_empty())
    }

    /// Whether `section` is in `project` (`None`: the caller's Inbox).
    fn section_in(&self, db: &Db, section: i64, project: Option<i64>) -> taskspin_db::Result<bool> {
        Ok(!db
            .query(
                "SELECT 1 FROM sections s JOIN projects p ON p.id = s.project_id
                 WHERE s.id = $1 AND p.user_id = $2 AND (p.id = $3 OR ($3::bigint IS NULL AND p.inbox))
                 FOR KEY SHARE OF s",
                &[ParameterValue::Int64(section), self.user(), param(project)],
            )?
            .is_empty())
    }

    /// Checks where a new task goes. Call inside the transaction that inserts it.
    pub(crate) fn resolve(
        &self,
        db: &Db,
        placement: &Placement,
    ) -> taskspin_db::Result<Result<Resolved, Vec<FieldError>>> {
        let mut errors = Errors::default();
        let mut resolved = Resolved {
            project: placement.project,
            section: placement.section,
            parent: placement.parent,
        };
        if let Some(parent_id) = placement.parent {
            match self.parent(db, parent_id)? {
                None => errors.add("parent_id", NOT_YOUR_TASK),
                Some(parent) if parent.level >= MAX_TASK_DEPTH => errors.add(
                    "parent_id",
                    format!("is {MAX_TASK_DEPTH} levels deep already: subtasks go {MAX_TASK_DEPTH} levels at most"),
                ),
                Some(parent) => {
                    if placement.project.is_some_and(|p| p != parent.project) {
                        errors.add("project_id", "must be the parent's project, or left out");
                    }
                    if placement.section.is_some_and(|s| Some(s) != parent.section) {
                        errors.add("section_id", "must be the parent's section, or left out");
                    }
                    resolved.project = Some(parent.project);
                    resolved.section = parent.section;
                }
            }
            return Ok(errors.finish(Some(resolved)));
        }
        if let Some(project) = placement.project
            && !self.owns_project(db, project)?
        {
            errors.add("project_id", NOT_YOUR_PROJECT);
            return Ok(errors.finish(None));
        }
        if let Some(section) = placement.section
            && !self.section_in(db, section, placement.project)?
        {
            errors.add("section_id", NOT_A_SECTION);
        }
        Ok(errors.finish(Some(resolved)))
    }

    /// Moves a task (and its subtree) to another project, section, parent or
    /// place among its siblings.
    pub fn move_task(
        &self,
        id: i64,
        to: &MoveTask,
        if_match: &IfMatch,
    ) -> taskspin_db::Result<Outcome<Task>> {
        let within_its_list =
            to.project_id.is_none() && to.section_id.is_none() && to.parent_id.is_none();
        if within_its_list
            && let Some(task) = self.reorder(id, Place::from_after(to.after), if_match)?
        {
            return Ok(Outcome::Done(task));
        }
        self.db().transaction(|db| {
            let Some(current) = self.lock(db, id)? else {
                return Ok(Outcome::NotFound);
            };
            if !if_match.allows(current.version) {
                return self.explain_stale(id);
            }
            let destination = match self.destination(db, id, &current, to)? {
                Ok(destination) => destination,
                Err(errors) => return Ok(Outcome::Invalid(errors)),
            };
            let siblings = match destination.parent {
                Some(parent) => Siblings {
                    table: "tasks",
                    condition: "parent_id = $1",
                    params: vec![ParameterValue::Int64(parent)],
                },
                None => Siblings {
                    table: "tasks",
                    condition: "project_id = $1 AND section_id IS NOT DISTINCT FROM $2 AND parent_id IS NULL",
                    params: vec![
                        ParameterValue::Int64(destination.project),
                        param(destination.section),
                    ],
                },
            };
            let Ok(position) = siblings.position(db, id, Place::from_after(to.after))? else {
                return Ok(Outcome::Invalid(vec![FieldError {
                    field: "after".into(),
                    message: "is not a task in the list the task moves to".into(),
                }]));
            };
            let moved = db.query(
                &format!(
                    "UPDATE tasks AS t SET project_id = $3, section_id = $4, parent_id = $5, position = $6,
                            updated_at = now(), version = t.version + 1
                     WHERE t.id = $1 AND t.user_id = $2 RETURNING {TASK_COLUMNS}"
                ),
                &[
                    ParameterValue::Int64(id),
                    self.user(),
                    ParameterValue::Int64(destination.project),
                    param(destination.section),
                    param(destination.parent),
                    ParameterValue::Int64(position),
                ],
            )?;
            let Some(task) = moved.first().map(|row| Task::from_row(&row)).transpose()? else {
                return Ok(Outcome::NotFound);
            };
            // The subtree follows into the project and section.
            if (destination.project, destination.section) != (current.project, current.section) {
                db.execute(
                    "WITH RECURSIVE below AS (
                         SELECT id FROM tasks WHERE parent_id = $1 AND user_id = $2
                         UNION ALL
                         SELECT t.id FROM tasks t JOIN below ON t.parent_id = below.id
                     )
                     UPDATE tasks SET project_id = $3, section_id = $4, updated_at = now(), version = version + 1
                     WHERE id IN (SELECT id FROM below)
                       AND (project_id <> $3 OR section_id IS DISTINCT FROM $4)",
                    &[
                        ParameterValue::Int64(id),
                        self.user(),
                        ParameterValue::Int64(destination.project),
                        param(destination.section),
                    ],
                )?;
            }
            Ok(Outcome::Done(task))
        })
    }

    /// A move within the task's own list in one statement: the row, its new
    /// neighbours and the update together, where the general move takes a
    /// transaction of four. `None` when that does not do (no such task, a
    /// stale version, an `after` that is not a sibling, neighbours with no
    /// room left between them): the general move then decides and explains.
    fn reorder(
        &self,
        id: i64,
        place: Place,
        if_match: &IfMatch,
    ) -> taskspin_db::Result<Option<Task>> {
        let mut params = vec![ParameterValue::Int64(id), self.user(), if_match.param()];
        let position = match place {
            Place::Last => format!("SELECT nextval('positions') * {GAP} AS position FROM me"),
            Place::First => format!(
                "SELECT coalesce(first.position - {GAP}, nextval('positions') * {GAP}) AS position
                 FROM me, LATERAL ({}) first",
                first_sibling("TRUE")
            ),
            Place::After(after) => {
                params.push(ParameterValue::Int64(after));
                format!(
                    "SELECT CASE WHEN next.position IS NULL THEN nextval('positions') * {GAP}
                                 WHEN next.position - after.position >= 2
                                 THEN after.position + (next.position - after.position) / 2 END AS position
                     FROM me,
                          LATERAL (SELECT s.id, s.position FROM tasks s
                           WHERE s.id = $4 AND s.id <> me.id AND s.user_id = $2
                             AND s.parent_id IS NOT DISTINCT FROM me.parent_id
                             AND (me.parent_id IS NOT NULL
                                  OR (s.project_id = me.project_id AND s.section_id IS NOT DISTINCT FROM me.section_id))
                          ) after,
                          LATERAL ({}) next",
                    first_sibling("(s.position, s.id) > (after.position, after.id)")
                )
            }
        };
        let moved = self.db().query(
            &format!(
                "WITH me AS (
                     SELECT id, project_id, section_id, parent_id FROM tasks
                     WHERE id = $1 AND user_id = $2 AND ($3::int[] IS NULL OR version = ANY($3))
                 ), place AS ({position})
                 UPDATE tasks AS t SET position = place.position, updated_at = now(), version = t.version + 1
                 FROM me, place
                 WHERE t.id = me.id AND place.position IS NOT NULL AND ($3::int[] IS NULL OR t.version = ANY($3))
                 RETURNING {TASK_COLUMNS}"
            ),
            &params,
        )?;
        moved.first().map(|row| Task::from_row(&row)).transpose()
    }

    fn lock(&self, db: &Db, id: i64) -> taskspin_db::Result<Option<Current>> {
        let rows = db.query(
            "SELECT project_id, section_id, parent_id, version FROM tasks
             WHERE id = $1 AND user_id = $2 FOR UPDATE",
            &[ParameterValue::Int64(id), self.user()],
        )?;
        rows.first()
            .map(|row| {
                Ok(Current {
                    project: row.get("project_id")?,
                    section: row.get("section_id")?,
                    parent: row.get("parent_id")?,
                    version: row.get("version")?,
                })
            })
            .transpose()
    }

    fn explain_stale(&self, id: i64) -> taskspin_db::Result<Outcome<Task>> {
        Ok(match self.get(id)? {
            Some(current) => Outcome::Stale {
                current: Box::new(current),
            },
            None => Outcome::NotFound,
        })
    }

    /// How many levels the task's subtree spans (1: no subtasks), and
    /// whether `candidate` is in it (the task itself included).
    fn subtree(&self, db: &Db, id: i64, candidate: i64) -> taskspin_db::Result<(i64, bool)> {
        let rows = db.query(
            "WITH RECURSIVE below AS (
                 SELECT id, 1 AS level FROM tasks WHERE id = $1 AND user_id = $2
                 UNION ALL
                 SELECT t.id, below.level + 1 FROM tasks t JOIN below ON t.parent_id = below.id
             )
             SELECT max(level)::bigint AS height, bool_or(id = $3) AS contains FROM below",
            &[
                ParameterValue::Int64(id),
                self.user(),
                ParameterValue::Int64(candidate),
            ],
        )?;
        let row = rows.first();
        Ok(match row {
            Some(row) => (
                row.get::<Option<i64>>("height")?.unwrap_or(1),
                row.get::<Option<bool>>("contains")?.unwrap_or(false),
            ),
            None => (1, false),
        })
    }

    fn destination(
        &self,
        db: &Db,
        id: i64,
        current: &Current,
        to: &MoveTask,
    ) -> taskspin_db::Result<Result<Destination, Vec<FieldError>>> {
        let mut errors = Errors::default();
        // Naming a project or a section takes a subtask out of its parent.
        let parent = match to.parent_id {
            Some(parent) => parent,
            None if to.project_id.is_some() || to.section_id.is_some() => None,
            None => current.parent,
        };
        if let Some(parent_id) = parent {
            let (height, contains) = self.subtree(db, id, parent_id)?;
            if contains {
                errors.add("parent_id", "is the task itself or one of its subtasks");
                return Ok(errors.finish(None));
            }
            let Some(parent) = self.parent(db, parent_id)? else {
                errors.add("parent_id", NOT_YOUR_TASK);
                return Ok(errors.finish(None));
            };
            if parent.level + height > MAX_TASK_DEPTH {
                errors.add(
                    "parent_id",
                    format!("would put subtasks more than {MAX_TASK_DEPTH} levels deep"),
                );
            }
            if to.project_id.is_some_and(|p| p != parent.project) {
                errors.add("project_id", "must be the parent's project, or left out");
            }
            if to.section_id.is_some_and(|s| s != parent.section) {
                errors.add("section_id", "must be the parent's section, or left out");
            }
            return Ok(errors.finish(Some(Destination {
                project: parent.project,
                section: parent.section,
                parent: Some(parent_id),
            })));
        }
        let project = to.project_id.unwrap_or(current.project);
        if project != current.project && !self.owns_project(db, project)? {
            errors.add("project_id", NOT_YOUR_PROJECT);
            return Ok(errors.finish(None));
        }
        let section = match to.section_id {
            Some(section) => section,
            None if project == current.project => current.section,
            None => None,
        };
        let unchanged = project == current.project && section == current.section;
        if let Some(section) = section
            && !unchanged
            && !self.section_in(db, section, Some(project))?
        {
            errors.add("section_id", NOT_A_SECTION);
        }
        Ok(errors.finish(Some(Destination {
            project,
            section,
            parent: None,
        })))
    }
}

/// The first position among the siblings of `me` (a subtask's under its
/// parent, a top-level task's in its project and section) that satisfy
/// `condition` on `s`, as one row, NULL when there is none. Two branches, so
/// that each list is read in order from its own index.
fn first_sibling(condition: &str) -> String {
    format!(
        "SELECT min(x.position) AS position FROM (
             (SELECT s.position FROM tasks s
              WHERE s.parent_id = me.parent_id AND s.id <> me.id AND {condition}
              ORDER BY s.position, s.id LIMIT 1)
             UNION ALL
             (SELECT s.position FROM tasks s
              WHERE me.parent_id IS NULL AND s.project_id = me.project_id AND s.parent_id IS NULL
                AND s.section_id IS NOT DISTINCT FROM me.section_id AND s.id <> me.id AND {condition}
              ORDER BY s.position, s.id LIMIT 1)
         ) x"
    )
}

/// The locked task's place and version.
struct Current {
    project: i64,
    section: Option<i64>,
    parent: Option<i64>,
    version: i32,
}

struct Destination {
    project: i64,
    section: Option<i64>,
    parent: Option<i64>,
}
