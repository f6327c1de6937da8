//! The schema as numbered SQL files, applied in order, each once, each in
//! its own transaction, recorded with its checksum in `schema_migrations`.

mod runner;
mod split;

pub use runner::{MigrationError, Report, migrate};
pub use split::split_statements;

/// One file of `migrations/`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Migration {
    pub version: i64,
    pub name: &'static str,
    /// SHA-256 of the file, hex.
    pub checksum: &'static str,
    pub sql: &'static str,
}

include!(concat!(env!("OUT_DIR"), "/migrations.rs"));

/// The schema version this build of the code expects.
pub const LATEST_VERSION: i64 = MIGRATIONS.len() as i64;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_are_consecutive_and_every_file_splits() {
        for (index, migration) in MIGRATIONS.iter().enumerate() {
            assert_eq!(migration.version, index as i64 + 1);
            assert!(
                !split_statements(migration.sql).is_empty(),
                "{} is empty",
                migration.name
            );
        }
        assert_eq!(LATEST_VERSION, MIGRATIONS.len() as i64);
    }
}
