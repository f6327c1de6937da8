//! The `migrate` command component, run through the host.

use taskspin_migrations::{LATEST_VERSION, MIGRATIONS};
use taskspin_testkit::{TestDb, describe};

async fn recorded_versions(db: &TestDb) -> Vec<i64> {
    db.connect()
        .await
        .query(
            "SELECT version FROM schema_migrations ORDER BY version",
            &[],
        )
        .await
        .unwrap()
        .iter()
        .map(|row| row.get(0))
        .collect()
}

fn report(output: &std::process::Output) -> serde_json::Value {
    let stdout = String::from_utf8_lossy(&output.stdout);
    let line = stdout
        .lines()
        .last()
        .unwrap_or_else(|| panic!("no log line: {}", describe(output)));
    serde_json::from_str(line).expect("the run's report is one JSON line")
}

#[tokio::test]
async fn a_second_run_applies_nothing() {
    let db = TestDb::create().await;
    let first = db.migrate().await;
    assert!(first.status.success(), "{}", describe(&first));
    let all: Vec<i64> = MIGRATIONS.iter().map(|m| m.version).collect();
    assert_eq!(report(&first)["applied"], format!("{all:?}"));

    let second = db.migrate().await;
    assert!(second.status.success(), "{}", describe(&second));
    assert_eq!(report(&second)["applied"], "[]");
    assert_eq!(report(&second)["already_applied"], MIGRATIONS.len());
    assert_eq!(recorded_versions(&db).await, all);
}

#[tokio::test]
async fn two_runs_started_at_once_apply_each_file_exactly_once() {
    let db = TestDb::create().await;
    let (a, b) = tokio::join!(db.run_migrate().output(), db.run_migrate().output());
    let (a, b) = (a.unwrap(), b.unwrap());
    assert!(a.status.success(), "{}", describe(&a));
    assert!(b.status.success(), "{}", describe(&b));
    let applied = [report(&a)["applied"].clone(), report(&b)["applied"].clone()];
    assert!(
        applied.contains(&serde_json::json!("[]")),
        "one run found nothing left to do: {applied:?}"
    );
    assert_eq!(
        recorded_versions(&db).await,
        (1..=LATEST_VERSION).collect::<Vec<_>>()
    );
}

#[tokio::test]
async fn a_changed_file_stops_the_run_with_a_clear_error() {
    let db = TestDb::create().await;
    assert!(db.migrate().await.status.success());
    db.connect()
        .await
        .execute(
            "UPDATE schema_migrations SET checksum = 'edited' WHERE version = 1",
            &[],
        )
        .await
        .unwrap();

    let rerun = db.migrate().await;
    assert!(!rerun.status.success(), "{}", describe(&rerun));
    let error = report(&rerun)["error"].as_str().unwrap().to_owned();
    assert!(
        error.contains("was changed after it was applied"),
        "{error}"
    );
}

#[tokio::test]
async fn each_file_applies_in_one_transaction() {
    let db = TestDb::create().await;
    // A table the first migration creates already exists: the file fails midway
    // and none of its statements may stay applied.
    db.connect()
        .await
        .batch_execute("CREATE TABLE tasks (id int)")
        .await
        .unwrap();
    let failed = db.migrate().await;
    assert!(!failed.status.success());
    let client = db.connect().await;
    let users = client
        .query_opt("SELECT to_regclass('users')::text", &[])
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        users.get::<_, Option<String>>(0),
        None,
        "users was rolled back with the failed file"
    );
    assert!(recorded_versions(&db).await.is_empty());
}

/// Applies the first `count` files as the runner would, without the runner.
async fn apply_first(client: &tokio_postgres::Client, count: usize) {
    client
        .batch_execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations (
                version bigint PRIMARY KEY, name text NOT NULL, checksum text NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now())",
        )
        .await
        .unwrap();
    apply_first_from(client, 0, count).await;
}

const PROJECTS_MIGRATION: usize = 7;

#[tokio::test]
async fn existing_tasks_move_to_their_owners_inbox_keeping_versions_and_order() {
    let db = TestDb::create().await;
    let client = db.connect().await;
    apply_first(&client, PROJECTS_MIGRATION - 1).await;
    // Data under the previous schema: two users, tasks with versions and dues.
    client
        .batch_execute(
            "INSERT INTO users (email, display_name, password_hash) VALUES
                 ('ann@example.org', 'Ann', 'x'), ('bob@example.org', 'Bob', 'x');
             INSERT INTO tasks (user_id, title, due_date, version)
             SELECT u.id, u.display_name || ' ' || t.title, t.due, t.version
             FROM users u, (VALUES ('later', DATE '2030-01-02', 4), ('sooner', DATE '2030-01-01', 1),
                                   ('undated', NULL, 7)) AS t(title, due, version);",
        )
        .await
        .unwrap();
    // 0007 alone, as when the previous app still serves during the upgrade:
    // its INSERTs name no project and land in the owner's Inbox.
    apply_first_from(&client, PROJECTS_MIGRATION - 1, PROJECTS_MIGRATION).await;
    client
        .batch_execute(
            "INSERT INTO tasks (user_id, title) SELECT id, 'during the upgrade' FROM users WHERE email = 'ann@example.org'",
        )
        .await
        .unwrap();

    let run = db.migrate().await;
    assert!(run.status.success(), "{}", describe(&run));
    let rows = client
        .query(
            "SELECT u.email, t.title, t.version, p.name, p.inbox, p.user_id = t.user_id AS own
             FROM tasks t JOIN users u ON u.id = t.user_id JOIN projects p ON p.id = t.project_id
             ORDER BY u.email, t.position",
            &[],
        )
        .await
        .unwrap();
    let seen: Vec<(String, String, i32)> = rows
        .iter()
        .map(|row| {
            assert!(row.get::<_, bool>("own") && row.get::<_, bool>("inbox"));
            assert_eq!(row.get::<_, String>("name"), "Inbox");
            (row.get("email"), row.get("title"), row.get("version"))
        })
        .collect();
    let expected = [
        ("ann@example.org", "Ann sooner", 1),
        ("ann@example.org", "Ann later", 4),
        ("ann@example.org", "Ann undated", 7),
        ("ann@example.org", "during the upgrade", 1),
        ("bob@example.org", "Bob sooner", 1),
        ("bob@example.org", "Bob later", 4),
        ("bob@example.org", "Bob undated", 7),
    ];
    let expected: Vec<(String, String, i32)> = expected
        .iter()
        .map(|(e, t, v)| (e.to_string(), t.to_string(), *v))
        .collect();
    assert_eq!(
        seen, expected,
        "every task in its owner's Inbox, in due order, versions kept"
    );
    let inboxes: i64 = client
        .query_one("SELECT count(*) FROM projects WHERE inbox", &[])
        .await
        .unwrap()
        .get(0);
    assert_eq!(inboxes, 2, "one Inbox per account");

    // Applying it twice is harmless: the runner skips it, and its statements
    // find nothing left to do when run again by hand.
    let placement = || async {
        client
            .query(
                "SELECT id, project_id, position, version FROM tasks ORDER BY id",
                &[],
            )
            .await
            .unwrap()
            .iter()
            .map(|r| {
                (
                    r.get::<_, i64>(0),
                    r.get::<_, i64>(1),
                    r.get::<_, i64>(2),
                    r.get::<_, i32>(3),
                )
            })
            .collect::<Vec<_>>()
    };
    let before = placement().await;
    let again = db.migrate().await;
    assert_eq!(report(&again)["applied"], "[]");
    client
        .batch_execute(&format!(
            "BEGIN; {} COMMIT;",
            MIGRATIONS[PROJECTS_MIGRATION].sql
        ))
        .await
        .expect("the backfill runs again");
    assert_eq!(placement().await, before);
}

/// Applies files `from..to` (0-based) as the runner would.
async fn apply_first_from(client: &tokio_postgres::Client, from: usize, to: usize) {
    for migration in &MIGRATIONS[from..to] {
        client
            .batch_execute(&format!("BEGIN; {} COMMIT;", migration.sql))
            .await
            .unwrap_or_else(|e| panic!("{}: {e}", migration.name));
        client
            .execute(
                "INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)",
                &[&migration.version, &migration.name, &migration.checksum],
            )
            .await
            .unwrap();
    }
}
