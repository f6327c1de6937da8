use taskspin_db::{Db, ParameterValue};

use crate::{MIGRATIONS, Migration, split_statements};

/// Key of the session-level advisory lock that serialises runners
/// (the ASCII bytes of "taskspin").
const LOCK_KEY: i64 = 0x7461_736b_7370_696e;

#[derive(Debug, thiserror::Error)]
pub enum MigrationError {
    #[error(transparent)]
    Database(#[from] taskspin_db::Error),
    #[error(
        "migration {version} ({name}) was changed after it was applied: the database recorded checksum {recorded}, the file has {current}; add a new migration instead of editing an applied one"
    )]
    ChecksumMismatch {
        version: i64,
        name: String,
        recorded: String,
        current: String,
    },
    #[error("migration {version} ({name}) failed in statement {statement}: {source}")]
    Failed {
        version: i64,
        name: &'static str,
        statement: usize,
        #[source]
        source: taskspin_db::Error,
    },
}

/// What a run did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Report {
    pub applied: Vec<i64>,
    pub already_applied: usize,
    pub schema_version: i64,
}

/// Applies every pending migration in order. Holding a session-level
/// advisory lock for the whole run keeps two runners from interleaving:
/// the second waits, then finds nothing left to do.
pub fn migrate(db: &Db) -> Result<Report, MigrationError> {
    db.execute(
        "SELECT pg_advisory_lock($1)",
        &[ParameterValue::Int64(LOCK_KEY)],
    )?;
    let result = migrate_locked(db);
    // Runs even when a migration failed; the lock would otherwise outlive us
    // until the pooled connection is reset.
    let unlocked = db.execute(
        "SELECT pg_advisory_unlock($1)",
        &[ParameterValue::Int64(LOCK_KEY)],
    );
    let report = result?;
    unlocked?;
    Ok(report)
}

fn migrate_locked(db: &Db) -> Result<Report, MigrationError> {
    db.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations (
            version bigint PRIMARY KEY,
            name text NOT NULL,
            checksum text NOT NULL,
            applied_at timestamptz NOT NULL DEFAULT now()
        )",
        &[],
    )?;
    let recorded = db
        .query(
            "SELECT version, name, checksum FROM schema_migrations ORDER BY version",
            &[],
        )?
        .map(|row| {
            Ok((
                row.get::<i64>("version")?,
                row.get::<String>("name")?,
                row.get::<String>("checksum")?,
            ))
        })?;

    let mut report = Report::default();
    for migration in MIGRATIONS {
        match recorded
            .iter()
            .find(|(version, _, _)| *version == migration.version)
        {
            Some((version, name, checksum)) if checksum != migration.checksum => {
                return Err(MigrationError::ChecksumMismatch {
                    version: *version,
                    name: name.clone(),
                    recorded: checksum.clone(),
                    current: migration.checksum.to_owned(),
                });
            }
            Some(_) => report.already_applied += 1,
            None => {
                apply(db, migration)?;
                report.applied.push(migration.version);
            }
        }
    }
    let newest_recorded = recorded
        .iter()
        .map(|(version, _, _)| *version)
        .max()
        .unwrap_or(0);
    report.schema_version = newest_recorded.max(crate::LATEST_VERSION);
    Ok(report)
}

fn apply(db: &Db, migration: &Migration) -> Result<(), MigrationError> {
    db.transaction(|db| {
        for (index, statement) in split_statements(migration.sql).into_iter().enumerate() {
            db.execute(statement, &[])
                .map_err(|source| MigrationError::Failed {
                    version: migration.version,
                    name: migration.name,
                    statement: index + 1,
                    source,
                })?;
        }
        db.execute(
            "INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)",
            &[
                ParameterValue::Int64(migration.version),
                ParameterValue::Str(migration.name.to_owned()),
                ParameterValue::Str(migration.checksum.to_owned()),
            ],
        )?;
        Ok(())
    })
}
