//! The data a benchmark measures against: 1,000 users; the measured one owns
//! 10,000 tasks with varied titles, descriptions, tags and dates (so that
//! full-text search and the indexes have real work), the others 50 each.
//! The measured user's tasks are in 20 projects: "Launch" holds 2,000 of
//! them in four sections and chains of subtasks, the Inbox and 18 others
//! share the rest.

use taskspin_testkit::{PASSWORD, TestApp, TestDb, client};

const EMAIL: &str = "bench@example.org";
/// The measured user's id, as SQL.
pub const MEASURED: &str = "SELECT id FROM users WHERE email = 'bench@example.org'";

/// The words titles are made of; `quarterly report` (SEARCH) matches about
/// one task in 20.
const VERBS: &str = "{Review,Write,Call,Email,Fix,Plan,Book,Buy,Prepare,Update,Schedule,Clean,Pay,Renew,Draft,Read,Send,Organize,Check,Finish,Discuss,Print,Submit}";
const OBJECTS: &str = "{\"quarterly report\",\"dentist appointment\",\"team meeting notes\",\"car insurance\",\"birthday present for Anna\",\"grocery list\",\"tax return\",\"project proposal\",\"flight to Berlin\",\"kitchen sink\",\"supplier invoice\",\"blog post\",\"budget spreadsheet\",\"library books\",\"gym membership\",\"presentation slides\",\"contract draft\",\"garden fence\",\"passport renewal\",\"customer newsletter\"}";
const CONTEXTS: &str = "{\"\",\"for marketing\",\"before Friday\",\"with Tom\",\"at home\",\"for the client\",\"after lunch\",\"with the accountant\",\"for the board\",\"this weekend\",\"and share it\"}";
const TAGS: &str = "{work,home,family,finance,health,errands,travel,reading,shopping,admin}";

/// The full-text search the benchmark sends.
pub const SEARCH: &str = "q=quarterly%20report&status=pending&limit=50";

/// Inserts tasks numbered `numbers` for each of the users `users_sql`
/// selects (an SQL query of user ids).
pub fn tasks_sql(users_sql: &str, numbers: std::ops::RangeInclusive<i64>) -> String {
    let (first, last) = numbers.into_inner();
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
              generate_series({first}, {last}) AS n,
              (SELECT '{VERBS}'::text[] AS v, '{OBJECTS}'::text[] AS o,
                      '{CONTEXTS}'::text[] AS c, '{TAGS}'::text[] AS t) words"
    )
}

/// What the scenarios need to know of the seeded data.
pub struct Seeded {
    pub token: String,
    /// The 2,000-task project.
    pub project: i64,
    /// Pairs of top-level siblings in it without a section: move the first
    /// right after the second.
    pub moves: Vec<(i64, i64)>,
}

/// The measured user through the app, then the other 999 users and every
/// task inserted directly, as the starting state.
pub async fn data_set(app: &TestApp, tasks: i64) -> anyhow::Result<Seeded> {
    let token = measured_user(app).await?;
    let db = app.db.connect().await;
    other_users(&db).await?;
    db.batch_execute(&tasks_sql(MEASURED, 1..=tasks)).await?;
    let others = format!("SELECT id FROM users WHERE email <> '{EMAIL}'");
    db.batch_execute(&tasks_sql(&others, 1..=50)).await?;
    let project = organise(&db).await?;
    db.batch_execute("VACUUM ANALYZE users, tasks, api_tokens, projects, sections")
        .await?;
    let siblings: Vec<i64> = db
        .query(
            "SELECT id FROM tasks WHERE project_id = $1 AND section_id IS NULL AND parent_id IS NULL
             ORDER BY position, id LIMIT 200",
            &[&project],
        )
        .await?
        .iter()
        .map(|row| row.get(0))
        .collect();
    let moves = siblings
        .chunks_exact(2)
        .map(|pair| (pair[0], pair[1]))
        .collect();
    Ok(Seeded {
        token,
        project,
        moves,
    })
}

/// Signs up the measured user through the app and gives them a personal
/// access token (hashed exactly as the app does); returns the token.
pub async fn measured_user(app: &TestApp) -> anyhow::Result<String> {
    let client = app.sign_up(EMAIL).await;
    let created: serde_json::Value = client
        .post(app.url("/api/auth/tokens"))
        .json(&serde_json::json!({"name": "bench"}))
        .send()
        .await?
        .json()
        .await?;
    Ok(created["token"]
        .as_str()
        .ok_or_else(|| anyhow::anyhow!("no token in {created}"))?
        .to_owned())
}

/// The 999 other users, who sign in by token only.
pub async fn other_users(db: &tokio_postgres::Client) -> anyhow::Result<()> {
    db.execute(
        "INSERT INTO users (email, display_name, password_hash, time_zone)
         SELECT 'user' || n || '@example.org', 'User ' || n, 'not a hash: signs in by token only',
                (ARRAY['UTC', 'Europe/Berlin', 'America/New_York', 'Asia/Tokyo'])[1 + n % 4]
         FROM generate_series(1, 999) AS n",
        &[],
    )
    .await?;
    Ok(())
}

/// Puts the measured user's tasks into projects, sections and subtasks;
/// returns the big project's id.
async fn organise(db: &tokio_postgres::Client) -> anyhow::Result<i64> {
    let user = format!("(SELECT id FROM users WHERE email = '{EMAIL}')");
    db.batch_execute(&format!(
        "INSERT INTO projects (user_id, name, color)
         SELECT {user}, CASE n WHEN 1 THEN 'Launch' ELSE 'Project ' || n END,
                (ARRAY['red', 'blue', 'green', 'purple'])[1 + n % 4]
         FROM generate_series(1, 19) AS n;
         INSERT INTO sections (project_id, name)
         SELECT p.id, s.name FROM projects p, (VALUES ('Backlog'), ('Doing'), ('Review'), ('Done')) AS s(name)
         WHERE p.user_id = {user} AND p.name = 'Launch';
         WITH numbered AS (
             SELECT id, row_number() OVER (ORDER BY id) AS n FROM tasks WHERE user_id = {user}
         ), projects_in_order AS (
             SELECT id, row_number() OVER (ORDER BY inbox DESC, id) - 1 AS k FROM projects WHERE user_id = {user}
         )
         UPDATE tasks t SET project_id = p.id
         FROM numbered, projects_in_order p
         WHERE t.id = numbered.id AND p.k = CASE WHEN numbered.n <= 2000 THEN 1
                                                 ELSE CASE WHEN numbered.n % 19 = 1 THEN 0 ELSE numbered.n % 19 END END;
         WITH launch AS (SELECT id FROM projects WHERE user_id = {user} AND name = 'Launch'),
              numbered AS (
                  SELECT t.id, row_number() OVER (ORDER BY t.id) AS n FROM tasks t, launch WHERE t.project_id = launch.id
              ), sections_in_order AS (
                  SELECT s.id, row_number() OVER (ORDER BY s.position) AS k FROM sections s, launch WHERE s.project_id = launch.id
              )
         UPDATE tasks t SET section_id = s.id
         FROM numbered, sections_in_order s
         WHERE t.id = numbered.id AND s.k = numbered.n % 5;
         -- Chains of three: every 10 tasks, the 2nd and 3rd are subtasks of the one before.
         UPDATE tasks c SET parent_id = c.id - 1, section_id = p.section_id
         FROM tasks p
         WHERE p.id = c.id - 1 AND p.project_id = c.project_id
           AND c.project_id = (SELECT id FROM projects WHERE user_id = {user} AND name = 'Launch')
           AND c.id % 10 IN (2, 3);"
    ))
    .await?;
    let row = db
        .query_one(
            &format!("SELECT id FROM projects WHERE user_id = {user} AND name = 'Launch'"),
            &[],
        )
        .await?;
    Ok(row.get(0))
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
