//! Every filter and sort of the task listing, and the sidebar's project
//! counts, are served by an index: with a user who owns 100,000 tasks in 200
//! projects (one of them holding 10,000, with subtasks four levels deep), no
//! plan scans the whole table.

use taskspin_db::ParameterValue;
use taskspin_tasks::{ListQuery, list_statement};
use taskspin_testkit::{Account, TestApp, clock};
use tokio_postgres::types::ToSql;

fn to_sql(value: &ParameterValue) -> Box<dyn ToSql + Sync + Send> {
    match value {
        ParameterValue::Uuid(id) => Box::new(uuid::Uuid::parse_str(id).unwrap()),
        ParameterValue::Str(text) => Box::new(text.clone()),
        ParameterValue::Int64(n) => Box::new(*n),
        ParameterValue::ArrayInt32(values) => Box::new(values.clone()),
        ParameterValue::DbNull => Box::new(None::<String>),
        other => panic!("the listing does not send {other:?}"),
    }
}

#[tokio::test]
async fn a_100k_task_listing_uses_indexes() {
    let app = TestApp::spawn().await;
    let big = Account::new(&app, "big@example.org").await;
    let user_id = big.me().await["id"].as_str().unwrap().to_owned();
    let small = Account::new(&app, "small@example.org").await;
    small
        .create_task(serde_json::json!({"title": "other"}))
        .await;

    let db = app.db.connect().await;
    db.execute(
        "INSERT INTO tasks (user_id, title, description, priority, tags, due_at, due_date, completed_at)
         SELECT $1::text::uuid,
                'task ' || n || CASE WHEN n % 50 = 0 THEN ' quarterly report' ELSE '' END,
                'generated',
                n % 5,
                CASE WHEN n % 7 = 0 THEN ARRAY['work'] ELSE ARRAY['home', 'misc'] END,
                CASE WHEN n % 3 = 0 THEN now() + (n - 50000) * interval '1 minute' END,
                CASE WHEN n % 3 = 1 THEN current_date + (n % 400 - 100) END,
                CASE WHEN n % 10 = 0 THEN now() END
         FROM generate_series(1, 100000) AS n",
        &[&user_id],
    )
    .await
    .unwrap();
    // 200 projects: the first holds tasks 1..=10,000, in chains of four
    // levels of subtasks; the rest share the others.
    db.execute(
        "INSERT INTO projects (user_id, name) SELECT $1::text::uuid, 'project ' || n FROM generate_series(1, 199) AS n",
        &[&user_id],
    )
    .await
    .unwrap();
    db.execute(
        "WITH numbered AS (
             SELECT id, row_number() OVER (ORDER BY id) AS n FROM tasks WHERE user_id = $1::text::uuid
         ), projects_in_order AS (
             SELECT id, row_number() OVER (ORDER BY inbox, id) - 1 AS k FROM projects WHERE user_id = $1::text::uuid
         )
         UPDATE tasks t SET project_id = p.id
         FROM numbered, projects_in_order p
         WHERE t.id = numbered.id
           AND p.k = CASE WHEN numbered.n <= 10000 THEN 0 ELSE 1 + numbered.n % 199 END",
        &[&user_id],
    )
    .await
    .unwrap();
    let big_project: i64 = db
        .query_one(
            "SELECT project_id FROM tasks WHERE user_id = $1::text::uuid ORDER BY id LIMIT 1",
            &[&user_id],
        )
        .await
        .unwrap()
        .get(0);
    db.execute(
        "UPDATE tasks SET parent_id = id - 1 WHERE project_id = $1 AND id % 4 <> 0
           AND id - 1 IN (SELECT id FROM tasks WHERE project_id = $1)",
        &[&big_project],
    )
    .await
    .unwrap();
    let parent: i64 = db
        .query_one(
            "SELECT parent_id FROM tasks WHERE parent_id IS NOT NULL LIMIT 1",
            &[],
        )
        .await
        .unwrap()
        .get(0);
    db.batch_execute("ANALYZE tasks; ANALYZE projects")
        .await
        .unwrap();

    let first_page = ListQuery::parse("", taskspin_domain::Zone::UTC).unwrap();
    let (_, params) = list_statement(&first_page, &user_id, taskspin_domain::Zone::UTC);
    assert!(!params.is_empty());
    let queries = [
        "",
        "status=all",
        "status=completed",
        "status=overdue",
        "sort=priority",
        "sort=created",
        "sort=updated&order=asc",
        "sort=title",
        "status=all&sort=title&order=desc",
        "priority=high,urgent",
        "tag=work",
        "q=quarterly",
        "q=quarterly&sort=title",
    ];
    // A month of due dates around today, as the data above has.
    let due_window = format!(
        "due_before={}&due_after={}",
        clock::date(0),
        clock::date(-30)
    );
    let in_projects = [
        format!("project={big_project}&sort=manual"),
        format!("project={big_project}&sort=manual&status=all&limit=200"),
        format!("project={big_project}&parent=none&sort=manual"),
        format!("project={big_project}"),
        format!("parent={parent}&sort=manual"),
        "project=inbox&sort=manual".to_owned(),
    ];
    let queries = queries
        .into_iter()
        .map(str::to_owned)
        .chain([due_window])
        .chain(in_projects);
    for query in queries {
        let query = query.as_str();
        let list = ListQuery::parse(query, taskspin_domain::Zone::UTC).unwrap();
        let (sql, params) = list_statement(&list, &user_id, taskspin_domain::Zone::UTC);
        let boxed: Vec<_> = params.iter().map(to_sql).collect();
        let refs: Vec<&(dyn ToSql + Sync)> = boxed
            .iter()
            .map(|p| p.as_ref() as &(dyn ToSql + Sync))
            .collect();
        assert_uses_indexes(&db, &format!("GET /api/tasks?{query}"), &sql, &refs).await;
    }
}

/// EXPLAINs `sql` and fails when its plan scans the tasks table.
async fn assert_uses_indexes(
    db: &tokio_postgres::Client,
    what: &str,
    sql: &str,
    params: &[&(dyn ToSql + Sync)],
) {
    let plan: Vec<String> = db
        .query(&format!("EXPLAIN {sql}"), params)
        .await
        .unwrap()
        .iter()
        .map(|row| row.get(0))
        .collect();
    let plan = plan.join("\n");
    assert!(
        !plan.contains("Seq Scan on tasks"),
        "{what} scans the table:\n{plan}"
    );
    println!("{what}\n{plan}\n");
}

/// The sidebar's listing: 200 projects with their counts.
#[tokio::test]
async fn the_sidebars_counts_for_200_projects_use_indexes() {
    let app = TestApp::spawn().await;
    let big = Account::new(&app, "big@example.org").await;
    let user_id = big.me().await["id"].as_str().unwrap().to_owned();
    let db = app.db.connect().await;
    db.batch_execute(&format!(
        "INSERT INTO projects (user_id, name) SELECT '{user_id}', 'project ' || n FROM generate_series(1, 199) AS n;
         INSERT INTO tasks (user_id, title, project_id, completed_at)
         SELECT '{user_id}', 'task ' || n, p.id, CASE WHEN n % 10 = 0 THEN now() END
         FROM generate_series(1, 100000) AS n
         JOIN (SELECT id, row_number() OVER (ORDER BY id) - 1 AS k FROM projects WHERE user_id = '{user_id}') p
           ON p.k = n % 200;
         ANALYZE tasks; ANALYZE projects;"
    ))
    .await
    .unwrap();
    let sql = taskspin_projects::list_statement(taskspin_projects::StatusFilter::Active);
    let uuid = uuid::Uuid::parse_str(&user_id).unwrap();
    assert_uses_indexes(&db, "GET /api/projects", &sql, &[&uuid]).await;
    assert_eq!(
        big.get("/api/projects").await["projects"]
            .as_array()
            .map(Vec::len),
        Some(200)
    );
}
