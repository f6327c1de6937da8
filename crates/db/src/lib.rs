//! All SQL access goes through this crate: connection settings from Spin
//! variables, typed row decoding with errors that name the column, and
//! transactions as `BEGIN`/`COMMIT` on one connection (the `pg4` interface
//! has no transaction API of its own).

use spin_sdk::pg4::{self, DbValue, Decode};

pub use spin_sdk::pg4::ParameterValue;

mod settings;
pub use settings::Settings;
mod precondition;
pub use precondition::{IfMatch, Malformed};
pub mod position;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The database could not be reached or refused the connection.
    #[error("database unavailable: {0}")]
    Unavailable(String),
    /// The server rejected a statement. `code` is the SQLSTATE when it sent one.
    #[error("query failed: {message}")]
    Query {
        code: Option<String>,
        message: String,
    },
    /// A row did not have the shape the code expects.
    #[error("cannot decode column `{column}`: {message}")]
    Decode { column: String, message: String },
    /// A Spin variable with the connection settings is missing or invalid.
    #[error("database settings: {0}")]
    Settings(String),
}

impl Error {
    /// The SQLSTATE of a server-side error (`23505` unique violation, ...).
    pub fn sqlstate(&self) -> Option<&str> {
        match self {
            Error::Query { code, .. } => code.as_deref(),
            _ => None,
        }
    }
}

/// SQLSTATEs that say the server is going away or not there yet, not that
/// the statement was wrong: connection exceptions (class 08), a shutdown
/// (`57P01` administrator, `57P02` crash), a server still starting (`57P03`),
/// and no free connection slot (`53300`).
fn means_unavailable(code: &str) -> bool {
    code.starts_with("08") || matches!(code, "57P01" | "57P02" | "57P03" | "53300")
}

impl From<pg4::PgError> for Error {
    fn from(error: pg4::PgError) -> Self {
        match error {
            pg4::PgError::ConnectionFailed(message) => Error::Unavailable(message),
            pg4::PgError::QueryFailed(pg4::QueryError::DbError(db)) => {
                let message = match db.detail {
                    Some(detail) => format!("{} ({detail})", db.message),
                    None => db.message,
                };
                if means_unavailable(&db.code) {
                    return Error::Unavailable(message);
                }
                Error::Query {
                    code: Some(db.code),
                    message,
                }
            }
            // A text error without SQLSTATE means the connection itself broke.
            pg4::PgError::QueryFailed(pg4::QueryError::Text(message)) => {
                Error::Unavailable(message)
            }
            pg4::PgError::BadParameter(message)
            | pg4::PgError::ValueConversionFailed(message)
            | pg4::PgError::Other(message) => Error::Query {
                code: None,
                message,
            },
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// One open connection. Spin pools the real connections, so opening one per
/// request is cheap.
pub struct Db {
    connection: pg4::Connection,
}

impl Db {
    /// Connects with the settings in the component's Spin variables.
    pub fn connect() -> Result<Self> {
        Self::connect_to(&Settings::from_variables()?)
    }

    pub fn connect_to(settings: &Settings) -> Result<Self> {
        let connection = pg4::Connection::open(&settings.address())?;
        Ok(Self { connection })
    }

    pub fn query(&self, sql: &str, params: &[ParameterValue]) -> Result<Rows> {
        Ok(Rows(self.connection.query(sql, params)?))
    }

    /// The only row of a statement that must return exactly one.
    pub fn query_one(&self, sql: &str, params: &[ParameterValue]) -> Result<Rows> {
        let rows = self.query(sql, params)?;
        match rows.len() {
            1 => Ok(rows),
            n => Err(Error::Decode {
                column: "*".into(),
                message: format!("expected one row, got {n}"),
            }),
        }
    }

    pub fn execute(&self, sql: &str, params: &[ParameterValue]) -> Result<u64> {
        Ok(self.connection.execute(sql, params)?)
    }

    /// Runs `work` inside one transaction: committed when it returns `Ok`,
    /// rolled back when it returns `Err`.
    pub fn transaction<T, E: From<Error>>(
        &self,
        work: impl FnOnce(&Self) -> Result<T, E>,
    ) -> Result<T, E> {
        self.execute("BEGIN", &[])?;
        match work(self) {
            Ok(value) => {
                self.execute("COMMIT", &[])?;
                Ok(value)
            }
            Err(error) => {
                // The original error matters more than a failed rollback; Spin
                // resets the connection before anyone reuses it.
                let _ = self.execute("ROLLBACK", &[]);
                Err(error)
            }
        }
    }
}

/// The result of a query, decoded by column name.
pub struct Rows(pg4::RowSet);

impl Rows {
    pub fn len(&self) -> usize {
        self.0.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.rows.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = Row<'_>> {
        self.0.rows.iter().map(|values| Row {
            columns: &self.0.columns,
            values,
        })
    }

    pub fn first(&self) -> Option<Row<'_>> {
        self.iter().next()
    }

    /// Decodes every row with `decode`.
    pub fn map<T>(&self, decode: impl Fn(&Row<'_>) -> Result<T>) -> Result<Vec<T>> {
        self.iter().map(|row| decode(&row)).collect()
    }
}

pub struct Row<'a> {
    columns: &'a [pg4::Column],
    values: &'a [DbValue],
}

impl Row<'_> {
    /// The value of `column` as `T`; use `Option<T>` for nullable columns.
    pub fn get<T: Decode>(&self, column: &str) -> Result<T> {
        let index = self
            .columns
            .iter()
            .position(|c| c.name == column)
            .ok_or_else(|| Error::Decode {
                column: column.into(),
                message: "no such column".into(),
            })?;
        let value = self.values.get(index).ok_or_else(|| Error::Decode {
            column: column.into(),
            message: "row is shorter than its columns".into(),
        })?;
        T::decode(value).map_err(|e| Error::Decode {
            column: column.into(),
            message: e.to_string(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::means_unavailable;

    #[test]
    fn a_server_going_away_is_unavailability_not_a_bad_statement() {
        for code in ["57P01", "57P02", "57P03", "08006", "08001", "53300"] {
            assert!(means_unavailable(code), "{code}");
        }
        for code in ["23505", "22021", "42P01", "40001"] {
            assert!(!means_unavailable(code), "{code}");
        }
    }
}
