//! Imports and exports through the real components: each format's fixture
//! previewed, confirmed and run by the import job (the cron trigger, and the
//! Kubernetes CronJob's command), imported twice without duplicates, bad
//! files refused by their line, and the JSON export read back into a fresh
//! account field by field.

use std::collections::BTreeMap;
use std::process::Stdio;
use std::time::Duration;

use reqwest::StatusCode;
use serde_json::{Value, json};
use taskspin_testkit::clock::date;
use taskspin_testkit::{Account, TestApp, describe, json as json_body, workspace_root};
use tokio::io::AsyncWriteExt;

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(workspace_root().join("crates/imports/fixtures").join(name)).expect("fixture")
}

async fn upload(account: &Account, bytes: Vec<u8>, query: &str) -> (StatusCode, Value) {
    let response = account
        .client
        .post(account.url(&format!("/api/imports?{query}")))
        .header("content-type", "application/octet-stream")
        .body(bytes)
        .send()
        .await
        .expect("POST /api/imports");
    let status = response.status();
    (status, json_body(response).await)
}

/// Confirms an import and waits for the job to end.
async fn run(account: &Account, import: &Value) -> Value {
    let id = import["id"].as_str().expect("an id");
    let confirmed = account.post(&format!("/api/imports/{id}/confirm")).await;
    assert_eq!(confirmed.status(), 202);
    finished(account, id).await
}

async fn finished(account: &Account, id: &str) -> Value {
    for _ in 0..300 {
        let import = account.get(&format!("/api/imports/{id}")).await;
        if import["status"] == "done" || import["status"] == "failed" {
            return import;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    panic!("import {id} did not end in 60 s");
}

async fn export(account: &Account, format: &str) -> reqwest::Response {
    let response = account
        .client
        .get(account.url(&format!("/api/export?format={format}")))
        .send()
        .await
        .expect("GET /api/export");
    assert_eq!(response.status(), 200);
    response
}

async fn export_json(account: &Account) -> Value {
    let response = export(account, "json").await;
    assert!(
        response.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .starts_with("attachment")
    );
    json_body(response).await
}

/// An account's projects, sections and tasks with ids replaced by what
/// they name (project and section names, the parent's title), so that two
/// accounts can be compared field by field.
fn planning(export: &Value) -> Value {
    let projects = export["projects"].as_array().unwrap();
    let project_name: BTreeMap<i64, String> = projects
        .iter()
        .map(|p| {
            (
                p["id"].as_i64().unwrap(),
                p["name"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let section_name: BTreeMap<i64, String> = projects
        .iter()
        .flat_map(|p| p["sections"].as_array().unwrap())
        .map(|s| {
            (
                s["id"].as_i64().unwrap(),
                s["name"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let tasks = export["tasks"].as_array().unwrap();
    let title: BTreeMap<i64, String> = tasks
        .iter()
        .map(|t| {
            (
                t["id"].as_i64().unwrap(),
                t["title"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let mut tasks: Vec<Value> = tasks
        .iter()
        .map(|t| {
            json!({
                "project": project_name[&t["project_id"].as_i64().unwrap()],
                "section": t["section_id"].as_i64().map(|s| section_name[&s].clone()),
                "parent": t["parent_id"].as_i64().map(|p| title[&p].clone()),
                "title": t["title"], "description": t["description"], "priority": t["priority"],
                "tags": t["tags"], "due_at": t["due_at"], "due_date": t["due_date"],
                "recurrence": t["recurrence"], "completed_at": t["completed_at"],
                "created_at": t["created_at"], "position": t["position"],
            })
        })
        .collect();
    // Siblings in their order: positions are compared among siblings only.
    tasks.sort_by_key(|t| {
        (
            t["project"].to_string(),
            t["section"].to_string(),
            t["parent"].to_string(),
            t["position"].as_i64(),
        )
    });
    for task in &mut tasks {
        task.as_object_mut().unwrap().remove("position");
    }
    let mut projects: Vec<&Value> = projects.iter().collect();
    projects.sort_by_key(|p| p["position"].as_i64());
    let projects: Vec<Value> = projects
        .into_iter()
        .map(|p| {
            json!({
                "name": p["name"], "color": p["color"], "inbox": p["inbox"],
                "archived": !p["archived_at"].is_null(),
                "sections": p["sections"].as_array().unwrap().iter().map(|s| s["name"].clone()).collect::<Vec<_>>(),
            })
        })
        .collect();
    json!({ "projects": projects, "tasks": tasks })
}

fn titles(export: &Value) -> Vec<String> {
    let mut titles: Vec<String> = export["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["title"].as_str().unwrap().to_owned())
        .collect();
    titles.sort();
    titles
}

#[tokio::test]
async fn each_format_imports_what_its_preview_promised_and_once_only() {
    let app = TestApp::spawn().await;
    let ann = Account::new(&app, "ann@example.org").await;
    for (file, format, tasks, projects, not_understood) in [
        ("Groceries.csv", "todoist", 5, 1, 2),
        ("ticktick-backup.csv", "ticktick", 5, 2, 2),
        ("Personal.ics", "ical", 5, 1, 1),
    ] {
        let (status, preview) = upload(&ann, fixture(file), &format!("name={file}")).await;
        assert_eq!(status, 201, "{preview}");
        assert_eq!(preview["format"], format);
        assert_eq!(preview["status"], "previewed");
        assert_eq!(preview["preview"]["tasks"], tasks, "{preview}");
        assert_eq!(preview["preview"]["projects"], projects);
        assert_eq!(
            preview["preview"]["not_understood_count"], not_understood,
            "{preview}"
        );
        assert_eq!(
            preview["preview"]["not_understood"]
                .as_array()
                .unwrap()
                .len(),
            not_understood
        );
        let done = run(&ann, &preview).await;
        assert_eq!(done["status"], "done", "{done}");
        assert_eq!(done["result"]["created"]["tasks"], tasks, "{done}");
        assert_eq!(done["progress"]["processed"], tasks);

        // The same file again: everything is found, nothing is created.
        let (status, again) = upload(&ann, fixture(file), &format!("name={file}")).await;
        assert_eq!(status, 201);
        let again = run(&ann, &again).await;
        assert_eq!(
            again["result"]["created"],
            json!({"projects": 0, "sections": 0, "tasks": 0}),
            "{again}"
        );
        assert_eq!(again["result"]["already_there"]["tasks"], tasks);
    }
    let everything = export_json(&ann).await;
    assert_eq!(everything["tasks"].as_array().unwrap().len(), 15);
    let plan = planning(&everything);
    let task = |title: &str| {
        plan["tasks"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["title"] == title)
            .unwrap_or_else(|| panic!("no {title} in {plan}"))
            .clone()
    };
    let apples = task("Buy apples");
    assert_eq!(
        (apples["project"].as_str(), apples["section"].as_str()),
        (Some("Groceries"), Some("Produce"))
    );
    assert_eq!(apples["priority"], "urgent");
    assert_eq!(
        apples["recurrence"],
        json!({"kind": "on_weekdays", "days": ["mon"]})
    );
    assert_eq!(task("Pick green ones")["parent"], "Buy apples");
    assert_eq!(task("Kitchen plants")["parent"], "Water the plants");
    assert_eq!(task("Call the landlord")["project"], "Inbox");
    assert_eq!(task("Write the announcement")["section"], "Doing");
    assert!(!task("Write the announcement")["completed_at"].is_null());
    assert_eq!(task("Book a photo appointment")["parent"], "Renew passport");
    assert_eq!(task("Renew passport")["tags"], json!(["admin", "travel"]));
    assert_eq!(
        task("Book a photo appointment")["due_at"],
        "2026-12-05T09:00:00.000Z"
    );
}

#[tokio::test]
async fn the_kubernetes_command_runs_confirmed_imports() {
    let app = TestApp::spawn().await;
    let ann = Account::new(&app, "ann@example.org").await;
    let (_, preview) = upload(&ann, fixture("Personal.ics"), "name=Personal.ics").await;
    let id = preview["id"].as_str().unwrap();
    assert_eq!(
        ann.post(&format!("/api/imports/{id}/confirm"))
            .await
            .status(),
        202
    );
    let mut command = tokio::process::Command::new(taskspin_testkit::spinhost_bin());
    command
        .current_dir(workspace_root())
        .args(["run", "-f", "spin-import.toml"])
        .envs(app.db.spin_env());
    let output = command.output().await.expect("spinhost run");
    assert!(output.status.success(), "{}", describe(&output));
    // The command, or the cron trigger before it, ran it to the end.
    assert_eq!(finished(&ann, id).await["status"], "done");
}

#[tokio::test]
async fn bad_files_get_a_problem_with_their_line_and_nothing_is_kept() {
    let app = TestApp::spawn().await;
    let ann = Account::new(&app, "ann@example.org").await;
    let mut nested = String::from("BEGIN:VCALENDAR\r\n");
    nested.push_str(&"BEGIN:VTODO\r\n".repeat(100_000));
    nested.push_str(&"END:VTODO\r\n".repeat(100_000));
    nested.push_str("END:VCALENDAR\r\n");
    let mut long_line = b"TYPE,CONTENT,PRIORITY,INDENT\ntask,".to_vec();
    long_line.extend(std::iter::repeat_n(b'x', 19 << 20));
    for (what, bytes, query, status, line) in [
        (
            "binary",
            b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec(),
            "",
            422,
            Some(3),
        ),
        (
            "Latin-1",
            b"TYPE,CONTENT,PRIORITY,INDENT\ntask,Caf\xe9,4,1\n".to_vec(),
            "",
            422,
            Some(2),
        ),
        ("UTF-16", b"\xff\xfeT\0Y\0".to_vec(), "", 422, Some(1)),
        (
            "missing columns",
            b"TYPE,CONTENT\ntask,Milk\n".to_vec(),
            "format=todoist",
            422,
            Some(1),
        ),
        ("not a task file", b"hello, world\n".to_vec(), "", 415, None),
        ("unknown format", b"x".to_vec(), "format=trello", 400, None),
        ("nested", nested.into_bytes(), "", 422, Some(9)),
        ("a 19 MB line", long_line, "", 422, Some(2)),
        ("empty", Vec::new(), "", 400, None),
        (
            "bad JSON",
            b"{\"format\": \"taskspin-export\",\n \"version\": ".to_vec(),
            "",
            422,
            Some(2),
        ),
    ] {
        let (got, problem) = upload(&ann, bytes, query).await;
        assert_eq!(got, status, "{what}: {problem}");
        assert_eq!(problem["status"], status, "{what}: {problem}");
        assert_eq!(
            problem["line"].as_u64(),
            line.map(|l: u64| l),
            "{what}: {problem}"
        );
    }
    // Over 20 MB: refused before it is read (the server may answer and
    // close before the client finished sending).
    let over = ann
        .client
        .post(ann.url("/api/imports"))
        .body(vec![b'a'; (20 << 20) + 1])
        .send()
        .await;
    if let Ok(response) = over {
        assert_eq!(response.status(), 413);
    }
    assert_eq!(
        ann.get("/api/imports").await["imports"],
        json!([]),
        "nothing was kept"
    );
    assert_eq!(ann.list_tasks("status=all").await["tasks"], json!([]));
}

#[tokio::test]
async fn imports_and_exports_are_their_owners_alone() {
    let app = TestApp::spawn().await;
    let ann = Account::new(&app, "ann@example.org").await;
    let bob = Account::new(&app, "bob@example.org").await;
    ann.create_task(json!({"title": "Ann's secret"})).await;
    let (_, import) = upload(&ann, fixture("Groceries.csv"), "name=Groceries.csv").await;
    let id = import["id"].as_str().unwrap();
    for (method, path) in [
        (reqwest::Method::GET, format!("/api/imports/{id}")),
        (reqwest::Method::POST, format!("/api/imports/{id}/confirm")),
        (reqwest::Method::DELETE, format!("/api/imports/{id}")),
        (reqwest::Method::GET, "/api/imports/not-a-uuid".to_owned()),
    ] {
        let response = bob
            .client
            .request(method.clone(), bob.url(&path))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 404, "{method} {path}");
    }
    assert_eq!(bob.get("/api/imports").await["imports"], json!([]));
    assert_eq!(
        ann.get(&format!("/api/imports/{id}")).await["status"],
        "previewed",
        "Bob changed nothing"
    );
    let bobs = export_json(&bob).await;
    assert_eq!(bobs["tasks"], json!([]));
    assert!(!bobs.to_string().contains("secret"));
    let anonymous = taskspin_testkit::client()
        .get(app.url("/api/export"))
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status(), 401);
    // A discarded preview is gone.
    let discarded = ann
        .client
        .delete(ann.url(&format!("/api/imports/{id}")))
        .send()
        .await
        .unwrap();
    assert_eq!(discarded.status(), 204);
    assert_eq!(ann.get("/api/imports").await["imports"], json!([]));
}

/// Validates a document against the published JSON Schema with the
/// `jsonschema` package from PyPI (installed with the project's tools).
async fn validate(document: &Value, schema: &str) {
    let script = "import json, sys, jsonschema\n\
        schema = json.loads(sys.argv[1])\n\
        jsonschema.Draft202012Validator.check_schema(schema)\n\
        jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker()).validate(json.load(sys.stdin))\n";
    let mut child = tokio::process::Command::new(workspace_root().join(".venv/bin/python"))
        .args(["-c", script, schema])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("python (make tools)");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(document.to_string().as_bytes())
        .await
        .unwrap();
    let output = child.wait_with_output().await.unwrap();
    assert!(
        output.status.success(),
        "the export does not match its schema: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[tokio::test]
async fn the_json_export_follows_its_schema_and_round_trips_into_a_fresh_account() {
    let app = TestApp::spawn().await;
    let ann = Account::new(&app, "ann@example.org").await;
    let created = ann
        .post_json(
            "/api/projects",
            &json!({"name": "Garden", "color": "green"}),
        )
        .await;
    let garden = json_body(created).await["id"].clone();
    let section = json_body(
        ann.post_json(
            &format!("/api/projects/{garden}/sections"),
            &json!({"name": "Spring"}),
        )
        .await,
    )
    .await["id"]
        .clone();
    let parent = ann
        .create_task(json!({
            "title": "Plant tulips", "project_id": garden, "section_id": section,
            "priority": "high", "tags": ["outside", "bulbs"], "due_date": date(5),
            "description": "Red ones, **deep** enough",
        }))
        .await;
    ann.create_task(
        json!({"title": "Buy bulbs", "parent_id": parent["id"], "due_at": "2027-03-01T08:30:00Z"}),
    )
    .await;
    ann.create_task(
        json!({"title": "Water", "project_id": garden, "due_date": date(1),
        "recurrence": {"kind": "on_weekdays", "days": ["mon", "thu"]}}),
    )
    .await;
    let done = ann
        .create_task(json!({"title": "Rake leaves", "project_id": garden}))
        .await;
    assert_eq!(
        ann.post(&format!("/api/tasks/{}/complete", done["id"]))
            .await
            .status(),
        200
    );
    ann.create_task(json!({"title": "Inbox thought", "priority": "urgent"}))
        .await;
    let old = json_body(
        ann.post_json("/api/projects", &json!({"name": "Old"}))
            .await,
    )
    .await;
    assert_eq!(
        ann.post(&format!("/api/projects/{}/archive", old["id"]))
            .await
            .status(),
        200
    );
    ann.token("laptop").await;

    let exported = export_json(&ann).await;
    let schema = ann
        .client
        .get(ann.url("/api/export/schema.json"))
        .send()
        .await
        .unwrap();
    assert_eq!(schema.status(), 200);
    let schema = schema.text().await.unwrap();
    validate(&exported, &schema).await;
    assert_eq!(exported["format"], "taskspin-export");
    assert_eq!(exported["version"], 1);
    assert_eq!(exported["tokens"][0]["name"], "laptop");
    assert!(
        !exported.to_string().contains("token_hash"),
        "no secret leaves"
    );

    let bob = Account::new(&app, "bob@example.org").await;
    let bytes = serde_json::to_vec(&exported).unwrap();
    let (status, preview) = upload(&bob, bytes.clone(), "name=taskspin-export.json").await;
    assert_eq!(status, 201, "{preview}");
    assert_eq!(preview["format"], "taskspin");
    assert_eq!(preview["preview"]["not_understood_count"], 0, "{preview}");
    let done = run(&bob, &preview).await;
    assert_eq!(done["status"], "done", "{done}");
    let round_trip = export_json(&bob).await;
    assert_eq!(
        planning(&round_trip),
        planning(&exported),
        "the same data, field by field"
    );

    // Into the account it came from: everything is there already.
    let (_, own) = upload(&ann, bytes, "name=taskspin-export.json").await;
    let own = run(&ann, &own).await;
    assert_eq!(
        own["result"]["created"],
        json!({"projects": 0, "sections": 0, "tasks": 0}),
        "{own}"
    );
    assert_eq!(planning(&export_json(&ann).await), planning(&exported));
}

#[tokio::test]
async fn csv_and_icalendar_exports_hold_every_task() {
    let app = TestApp::spawn().await;
    let ann = Account::new(&app, "ann@example.org").await;
    let parent = ann
        .create_task(
            json!({"title": "=cmd|calc", "tags": ["a"], "due_date": date(2),
        "recurrence": {"kind": "every", "interval": 2, "unit": "week"}}),
        )
        .await;
    ann.create_task(json!({"title": "Child, with a comma", "parent_id": parent["id"]}))
        .await;

    let csv = export(&ann, "csv").await.text().await.unwrap();
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_owned)
        .collect();
    assert_eq!(
        header[..5],
        ["id", "project", "section", "parent_id", "title"]
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 2);
    assert_eq!(
        &rows[0][4], "'=cmd|calc",
        "a formula is not run by a spreadsheet"
    );
    assert_eq!(&rows[0][10], "every 2 weeks");
    assert_eq!(&rows[1][4], "Child, with a comma");
    assert_eq!(&rows[1][3], parent["id"].to_string());

    let ics = export(&ann, "ics").await.bytes().await.unwrap().to_vec();
    let bob = Account::new(&app, "bob@example.org").await;
    let (status, preview) = upload(&bob, ics, "name=taskspin-tasks.ics").await;
    assert_eq!(status, 201, "{preview}");
    assert_eq!(preview["preview"]["subtasks"], 1);
    assert_eq!(preview["preview"]["recurring"], 1, "{preview}");
    run(&bob, &preview).await;
    let bobs = export_json(&bob).await;
    assert_eq!(titles(&bobs), ["=cmd|calc", "Child, with a comma"]);
    let plan = planning(&bobs);
    let task = |title: &str| {
        plan["tasks"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["title"] == title)
            .unwrap()
            .clone()
    };
    assert_eq!(task("Child, with a comma")["parent"], "=cmd|calc");
    assert_eq!(
        task("=cmd|calc")["recurrence"],
        json!({"kind": "every", "interval": 2, "unit": "week"})
    );
}
