//! `make bench-agents`: one agent pass over 100,000 users who own 1,000,000
//! tasks (10% overdue, 5% due within 48 hours), then a second pass right
//! after, which must create nothing new. The scaling mode (`scale.rs`) runs
//! the same passes over 100 to 100,000 users.

use std::time::Instant;

use taskspin_testkit::{TestApp, TestDb, describe};

const USERS: i64 = 100_000;
pub const TASKS_PER_USER: i64 = 10;

/// Adds the users numbered `numbers`, each with their tasks: task 0
/// overdue (10%), task 1 half of the time due within 48 hours (5%), the
/// rest due in weeks or undated.
pub async fn add_users(
    db: &tokio_postgres::Client,
    numbers: std::ops::RangeInclusive<i64>,
) -> anyhow::Result<()> {
    let (first, last) = numbers.into_inner();
    db.execute(
        "WITH added AS (
             INSERT INTO users (email, display_name, password_hash, time_zone)
             SELECT 'user' || n || '@example.org', 'User ' || n, 'not a hash', 'Europe/Berlin'
             FROM generate_series($1::bigint, $2::bigint) AS n
             RETURNING id, substring(email FROM '^user([0-9]+)@')::bigint AS n
         )
         INSERT INTO tasks (user_id, title, priority, due_at)
         SELECT u.id, 'task ' || k, (k + u.n) % 5,
                CASE WHEN k = 0 THEN now() - (1 + u.n % 400) * interval '1 hour'
                     WHEN k = 1 AND u.n % 2 = 0 THEN now() + (1 + u.n % 40) * interval '1 hour'
                     WHEN k < 6 THEN now() + (3 + k) * interval '1 week' END
         FROM added AS u, generate_series(0, $3::bigint - 1) AS k",
        &[&first, &last, &TASKS_PER_USER],
    )
    .await?;
    for table in ["tasks", "users"] {
        db.batch_execute(&format!("VACUUM ANALYZE {table}")).await?;
    }
    Ok(())
}

/// What one pass reported.
pub struct Pass {
    pub wall_seconds: f64,
    pub summary: serde_json::Value,
}

/// One pass of the agents' CronJob (`spin-agent.toml`) against `db`.
pub async fn pass(db: &TestDb) -> anyhow::Result<Pass> {
    let started = Instant::now();
    let output = db.run_agent().output().await?;
    let wall_seconds = started.elapsed().as_secs_f64();
    anyhow::ensure!(
        output.status.success(),
        "agent pass failed: {}",
        describe(&output)
    );
    let summary = String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .find(|record| record["message"] == "agent run")
        .ok_or_else(|| anyhow::anyhow!("no summary line"))?;
    Ok(Pass {
        wall_seconds,
        summary,
    })
}

pub async fn run() -> anyhow::Result<()> {
    let app = TestApp::spawn().await;
    let db = app.db.connect().await;
    let seeding = Instant::now();
    add_users(&db, 1..=USERS).await?;
    println!(
        "seeded {USERS} users and {} tasks in {:.1} s",
        USERS * TASKS_PER_USER,
        seeding.elapsed().as_secs_f64()
    );
    for name in ["first", "second"] {
        let Pass {
            wall_seconds,
            summary,
        } = pass(&app.db).await?;
        println!(
            "{name} pass: {wall_seconds:.2} s wall ({} ms inside), candidates {}, created {}, dedup {}, rate limit {}, expired {}",
            summary["duration_ms"],
            summary["candidates"],
            summary["created"],
            summary["suppressed_by_dedup"],
            summary["suppressed_by_rate_limit"],
            summary["expired"]
        );
    }
    Ok(())
}
