//! The data a benchmark measures against: 1,000 users; the measured one owns
//! 10,000 tasks with varied titles, descriptions, tags and dates (so that
//! full-text search and the indexes have real work), the others 50 each.

use taskspin_testkit::{PASSWORD, TestApp, TestDb, client};

const EMAIL: &str = "bench@example.org";

/// The words titles are made of; `quarterly report` (SEARCH) matches about
/// one task in 20.
const VERBS: &str = "{Review,Write,Call,Email,Fix,Plan,Book,Buy,Prepare,Update,Schedule,Clean,Pay,Renew,Draft,Read,Send,Organize,Check,Finish,Discuss,Print,Submit}";
const OBJECTS: &str = "{\"quarterly report\",\"dentist appointment\",\"team meeting notes\",\"car insurance\",\"birthday present for Anna\",\"grocery list\",\"tax return\",\"project proposal\",\"flight to Berlin\",\"kitchen sink\",\"supplier invoice\",\"blog post\",\"budget spreadsheet\",\"library books\",\"gym membership\",\"presentation slides\",\"contract draft\",\"garden fence\",\"passport renewal\",\"customer newsletter\"}";
const CONTEXTS: &str = "{\"\",\"for marketing\",\"before Friday\",\"with Tom\",\"at home\",\"for the client\",\"after lunch\",\"with the accountant\",\"for the board\",\"this weekend\",\"and share it\"}";
const TAGS: &str = "{work,home,family,finance,health,errands,travel,reading,shopping,admin}";

/// The full-text search the benchmark sends.
pub const SEARCH: &str = "q=quarterly%20report&status=pending&limit=50";

/// Inserts `count` tasks for the users `users_sql` selects (an SQL query of
/// user ids), each user's numbered from 1.
fn tasks_sql(users_sql: &str, count: i64) -> String {
    format!(
        "INSERT INTO tasks (user_id, title, description, priority, tags, due_at, due_date, completed_at)
         SELECT u.id,
                (v)[1 + (n * 7 + h) % cardinality(v)] || ' ' || (o)[1 + (n * 13 + h) % cardinality(o)]
                  || CASE WHEN (c)[1 + (n * 3 + h) % cardinality(c)] = '' THEN ''
                          ELSE ' ' || (c)[1 + (n * 3 + h) % cardinality(c)] END,
                CASE WHEN n % 3 = 0 THEN ''
                     ELSE 'Notes: ' || (o)[1 + (n * 11 + h) % cardinality(o)] || ', then '
                          || lower((v)[1 + (n * 5 + h) % cardinality(v)]) || ' the '
                          || (o)[1 + (n * 17 + h) % cardinality(o)] || '.' END,
                (n * 31 + h) % 5,
                (SELECT coalesce(array_agg(DISTINCT (t)[1 + (n * k * 19 + h) % cardinality(t)]), '{{}}')
                   FROM generate_series(1, n % 4) AS k),
                CASE WHEN n % 10 < 4 THEN now() + ((n * 37 % 4320) - 1440) * interval '1 hour' END,
                CASE WHEN n % 10 BETWEEN 4 AND 6 THEN current_date + (n * 41 % 180) - 60 END,
                CASE WHEN n % 4 = 0 THEN now() - (n % 90) * interval '1 day' END
         FROM ({users_sql}) u,
              LATERAL (SELECT abs(hashtext(u.id::text)) % 1000 AS h) hash,
              generate_series(1, {count}) AS n,
              (SELECT '{VERBS}'::text[] AS v, '{OBJECTS}'::text[] AS o,
                      '{CONTEXTS}'::text[] AS c, '{TAGS}'::text[] AS t) words"
    )
}

/// Signs up the measured user through the app and gives them a personal
/// access token (so the token is hashed exactly as the app does), then
/// inserts the other 999 users and every task directly, as the starting
/// state. Returns the token.
pub async fn data_set(app: &TestApp, tasks: i64) -> anyhow::Result<String> {
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
    let db = app.db.connect().await;
    db.execute(
        "INSERT INTO users (email, display_name, password_hash, time_zone)
         SELECT 'user' || n || '@example.org', 'User ' || n, 'not a hash: signs in by token only',
                (ARRAY['UTC', 'Europe/Berlin', 'America/New_York', 'Asia/Tokyo'])[1 + n % 4]
         FROM generate_series(1, 999) AS n",
        &[],
    )
    .await?;
    let measured = format!("SELECT id FROM users WHERE email = '{EMAIL}'");
    db.batch_execute(&tasks_sql(&measured, tasks)).await?;
    let others = format!("SELECT id FROM users WHERE email <> '{EMAIL}'");
    db.batch_execute(&tasks_sql(&others, 50)).await?;
    db.batch_execute("VACUUM ANALYZE users, tasks, api_tokens")
        .await?;
    Ok(token)
}

/// Removes what a run wrote, so every server meets the same data.
pub async fn reset(db: &TestDb, last_seeded_task: i64) -> anyhow::Result<()> {
    let client = db.connect().await;
    client
        .execute("DELETE FROM tasks WHERE id > $1", &[&last_seeded_task])
        .await?;
    client.batch_execute("VACUUM ANALYZE tasks").await?;
    Ok(())
}

pub async fn last_task_id(db: &TestDb) -> anyhow::Result<i64> {
    let row = db
        .connect()
        .await
        .query_one("SELECT coalesce(max(id), 0) FROM tasks", &[])
        .await?;
    Ok(row.get(0))
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
