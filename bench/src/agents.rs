//! `make bench-agents`: one agent pass over 100,000 users who own 1,000,000
//! tasks (10% overdue, 5% due within 48 hours), then a second pass right
//! after, which must create nothing new.

use std::time::Instant;

use taskspin_testkit::{TestApp, describe};

const USERS: i64 = 100_000;
const TASKS_PER_USER: i64 = 10;

pub async fn run() -> anyhow::Result<()> {
    let app = TestApp::spawn().await;
    let db = app.db.connect().await;
    let seeding = Instant::now();
    db.execute(
        "INSERT INTO users (email, display_name, password_hash, time_zone)
         SELECT 'user' || n || '@example.org', 'User ' || n, 'not a hash', 'Europe/Berlin'
         FROM generate_series(1, $1::bigint) AS n",
        &[&USERS],
    )
    .await?;
    // Task n of a user: 0 overdue (10%), 1 half of the time due within 48
    // hours (5%), the rest due in weeks or undated.
    db.execute(
        "INSERT INTO tasks (user_id, title, priority, due_at)
         SELECT u.id, 'task ' || k, (k + u.n) % 5,
                CASE WHEN k = 0 THEN now() - (1 + u.n % 400) * interval '1 hour'
                     WHEN k = 1 AND u.n % 2 = 0 THEN now() + (1 + u.n % 40) * interval '1 hour'
                     WHEN k < 6 THEN now() + (3 + k) * interval '1 week' END
         FROM (SELECT id, row_number() OVER () AS n FROM users) AS u, generate_series(0, $1::bigint - 1) AS k",
        &[&TASKS_PER_USER],
    )
    .await?;
    for table in ["tasks", "users"] {
        db.batch_execute(&format!("VACUUM ANALYZE {table}")).await?;
    }
    println!(
        "seeded {USERS} users and {} tasks in {:.1} s",
        USERS * TASKS_PER_USER,
        seeding.elapsed().as_secs_f64()
    );

    for pass in ["first", "second"] {
        let started = Instant::now();
        let output = app.db.run_agent().output().await?;
        let wall = started.elapsed().as_secs_f64();
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
        println!(
            "{pass} pass: {wall:.2} s wall ({} ms inside), candidates {}, created {}, dedup {}, rate limit {}, expired {}",
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
