//! `GET /health` answers as long as the component runs, touching nothing.
//! `GET /ready` answers 200 only when the database takes queries and its
//! schema is at least the version this build expects.

use serde::Serialize;
use spin_sdk::http::{Params, Request, Response};
use spin_sdk::http_component;
use taskspin_db::Db;
use taskspin_http::{ApiResult, Routes, json};
use taskspin_migrations::LATEST_VERSION;

#[http_component]
fn handle(request: taskspin_http::Incoming) -> Response {
    taskspin_http::serve("health", request, |request| {
        let mut router = Routes::new();
        router.get("/health", liveness);
        router.get("/ready", readiness);
        router.handle(request)
    })
}

#[derive(Serialize)]
struct Liveness {
    status: &'static str,
    timestamp: String,
}

fn liveness(_: Request, _: Params) -> ApiResult {
    let timestamp = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    json(
        200,
        &Liveness {
            status: "healthy",
            timestamp,
        },
    )
}

#[derive(Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
enum Readiness {
    Ready {
        database: &'static str,
        schema_version: i64,
    },
    NotReady {
        database: &'static str,
        reason: String,
    },
}

fn readiness(_: Request, _: Params) -> ApiResult {
    let readiness = check();
    let status = if matches!(readiness, Readiness::Ready { .. }) {
        200
    } else {
        503
    };
    json(status, &readiness)
}

fn check() -> Readiness {
    let unreachable = |error: taskspin_db::Error| Readiness::NotReady {
        database: "unreachable",
        reason: error.to_string(),
    };
    let db = match Db::connect() {
        Ok(db) => db,
        Err(error) => return unreachable(error),
    };
    let version = db
        .query(
            "SELECT COALESCE(max(version), 0) AS version FROM schema_migrations",
            &[],
        )
        .and_then(|rows| rows.first().map_or(Ok(0), |row| row.get::<i64>("version")));
    match version {
        Ok(version) if version >= LATEST_VERSION => Readiness::Ready {
            database: "connected",
            schema_version: version,
        },
        Ok(version) => Readiness::NotReady {
            database: "connected",
            reason: format!(
                "migrations are behind: schema version {version}, this build needs {LATEST_VERSION}"
            ),
        },
        // 42P01 undefined_table: the database is there but was never migrated.
        Err(error) if error.sqlstate() == Some("42P01") => Readiness::NotReady {
            database: "connected",
            reason: format!(
                "migrations have not run: schema version 0, this build needs {LATEST_VERSION}"
            ),
        },
        Err(error @ taskspin_db::Error::Unavailable(_)) => unreachable(error),
        Err(error) => Readiness::NotReady {
            database: "connected",
            reason: error.to_string(),
        },
    }
}
