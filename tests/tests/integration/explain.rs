//! Every filter and sort of the task listing is served by an index: with a
//! user who owns 100,000 tasks, no plan scans the whole table.

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
    db.batch_execute("ANALYZE tasks").await.unwrap();

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
    for query in queries.into_iter().chain([due_window.as_str()]) {
        let list = ListQuery::parse(query, taskspin_domain::Zone::UTC).unwrap();
        let (sql, params) = list_statement(&list, &user_id, taskspin_domain::Zone::UTC);
        let boxed: Vec<_> = params.iter().map(to_sql).collect();
        let refs: Vec<&(dyn ToSql + Sync)> = boxed
            .iter()
            .map(|p| p.as_ref() as &(dyn ToSql + Sync))
            .collect();
        let plan: Vec<String> = db
            .query(&format!("EXPLAIN {sql}"), &refs)
            .await
            .unwrap()
            .iter()
            .map(|row| row.get(0))
            .collect();
        let plan = plan.join("\n");
        assert!(
            !plan.contains("Seq Scan on tasks"),
            "`{query}` scans the table:\n{plan}"
        );
        println!("GET /api/tasks?{query}\n{plan}\n");
    }
}
