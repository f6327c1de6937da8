//! `GET /floor`: reads the database settings, opens a pooled connection and
//! runs `SELECT 1` — the least any endpoint that touches the database does.

use spin_sdk::http::{IntoResponse, Request, Response};
use spin_sdk::http_component;
use spin_sdk::pg4::{Connection, DbValue};
use spin_sdk::variables;

fn address() -> Result<String, String> {
    let get = |name: &str| variables::get(name).map_err(|e| format!("{name}: {e}"));
    Ok(format!(
        "host={} port={} dbname={} user={} password='{}' sslmode={}",
        get("db_host")?,
        get("db_port")?,
        get("db_name")?,
        get("db_user")?,
        get("db_password")?
            .replace('\\', "\\\\")
            .replace('\'', "\\'"),
        get("db_sslmode")?,
    ))
}

fn select_one() -> Result<i32, String> {
    let connection = Connection::open(&address()?).map_err(|e| e.to_string())?;
    let rows = connection
        .query("SELECT 1", &[])
        .map_err(|e| e.to_string())?;
    match rows.rows.first().and_then(|row| row.first()) {
        Some(DbValue::Int32(one)) => Ok(*one),
        other => Err(format!("unexpected answer: {other:?}")),
    }
}

#[http_component]
fn handle(_: Request) -> impl IntoResponse {
    match select_one() {
        Ok(one) => Response::builder()
            .status(200)
            .header("content-type", "application/json")
            .body(format!("{{\"one\":{one}}}"))
            .build(),
        Err(error) => Response::builder().status(503).body(error).build(),
    }
}
