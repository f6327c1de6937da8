//! Personal access tokens for scripts and other programs: shown once when
//! created, stored only as a hash, sent as `Authorization: Bearer tsp_...`.

use serde::Serialize;
use taskspin_db::{Db, ParameterValue, Row};

use crate::secret;

pub const PREFIX: &str = "tsp_";

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct TokenInfo {
    pub id: i64,
    pub name: String,
    /// The token's first characters, to tell tokens apart.
    pub prefix: String,
    #[schema(format = DateTime)]
    pub created_at: String,
    #[schema(format = DateTime)]
    pub last_used_at: Option<String>,
}

const COLUMNS: &str =
    "id, name, prefix, rfc3339(created_at) AS created_at, rfc3339(last_used_at) AS last_used_at";

impl TokenInfo {
    fn from_row(row: &Row<'_>) -> taskspin_db::Result<Self> {
        Ok(Self {
            id: row.get("id")?,
            name: row.get("name")?,
            prefix: row.get("prefix")?,
            created_at: row.get("created_at")?,
            last_used_at: row.get("last_used_at")?,
        })
    }
}

/// Creates a token; the secret is returned here and never again.
pub fn create(db: &Db, user_id: &str, name: &str) -> taskspin_db::Result<(TokenInfo, String)> {
    let secret = format!("{PREFIX}{}", secret::new_token());
    let prefix: String = secret.chars().take(PREFIX.len() + 6).collect();
    let rows = db.query(
        &format!("INSERT INTO api_tokens (user_id, name, token_hash, prefix) VALUES ($1, $2, $3, $4) RETURNING {COLUMNS}"),
        &[
            ParameterValue::Uuid(user_id.to_owned()),
            ParameterValue::Str(name.to_owned()),
            ParameterValue::Str(secret::hash(&secret)),
            ParameterValue::Str(prefix),
        ],
    )?;
    let info = rows
        .first()
        .map(|row| TokenInfo::from_row(&row))
        .transpose()?
        .ok_or_else(|| taskspin_db::Error::Decode {
            column: "*".into(),
            message: "INSERT returned no row".into(),
        })?;
    Ok((info, secret))
}

pub fn list(db: &Db, user_id: &str) -> taskspin_db::Result<Vec<TokenInfo>> {
    db.query(
        &format!("SELECT {COLUMNS} FROM api_tokens WHERE user_id = $1 ORDER BY id"),
        &[ParameterValue::Uuid(user_id.to_owned())],
    )?
    .map(TokenInfo::from_row)
}

/// False when the user has no such token.
pub fn revoke(db: &Db, user_id: &str, id: i64) -> taskspin_db::Result<bool> {
    let deleted = db.execute(
        "DELETE FROM api_tokens WHERE id = $1 AND user_id = $2",
        &[
            ParameterValue::Int64(id),
            ParameterValue::Uuid(user_id.to_owned()),
        ],
    )?;
    Ok(deleted == 1)
}
