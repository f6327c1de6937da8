//! The data a benchmark measures against.

use taskspin_testkit::{PASSWORD, TestApp, client};

const EMAIL: &str = "bench@example.org";

/// Signs up a user, gives them `count` tasks (inserted directly, as the
/// starting state), and returns a personal access token for them.
pub async fn user_with_tasks(app: &TestApp, count: i64) -> anyhow::Result<String> {
    let client = app.sign_up(EMAIL).await;
    let created: serde_json::Value = client
        .post(app.url("/api/auth/tokens"))
        .json(&serde_json::json!({"name": "bench"}))
        .send()
        .await?
        .json()
        .await?;
    let token = created["token"]
        .as_str()
        .ok_or_else(|| anyhow::anyhow!("no token in {created}"))?
        .to_owned();
    app.db
        .connect()
        .await
        .execute(
            "INSERT INTO tasks (user_id, title, priority, tags, due_at, completed_at)
             SELECT u.id, 'task ' || n, n % 5, ARRAY['bench'],
                    now() + (n - $2::bigint / 2) * interval '1 hour', CASE WHEN n % 4 = 0 THEN now() END
             FROM users u, generate_series(1, $2::bigint) AS n WHERE u.email = $1",
            &[&EMAIL, &count],
        )
        .await?;
    app.db
        .connect()
        .await
        .batch_execute("ANALYZE tasks")
        .await?;
    Ok(token)
}

/// The median time the auth component reports for a successful sign-in.
pub async fn sign_in_milliseconds(app: &TestApp, times: usize) -> f64 {
    for _ in 0..times {
        let _ = client()
            .post(app.url("/api/auth/signin"))
            .json(&serde_json::json!({"email": EMAIL, "password": PASSWORD}))
            .send()
            .await;
    }
    let mut durations: Vec<f64> = app
        .host
        .log_records()
        .iter()
        .filter(|r| r["path"] == "/api/auth/signin" && r["status"] == 200)
        .filter_map(|r| r["duration_ms"].as_f64())
        .collect();
    durations.sort_by(f64::total_cmp);
    durations
        .get(durations.len() / 2)
        .copied()
        .unwrap_or(f64::NAN)
}
