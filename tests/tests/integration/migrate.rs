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
