//! `/mcp` through the host and real PostgreSQL: the official MCP Python SDK
//! as the client, then the JSON-RPC edges by hand.

use serde_json::{Value, json};
use taskspin_testkit::{Account, TestApp, describe, json as json_body, workspace_root};
use tokio::process::Command;

/// Runs `tests/mcp/client.py` with the project's virtualenv (`make tools`).
async fn sdk_client(url: &str, token: Option<&str>) -> Value {
    let python = workspace_root().join(".venv/bin/python");
    assert!(
        python.exists(),
        "{} is missing: run `make tools`",
        python.display()
    );
    let mut command = Command::new(python);
    command
        .arg(workspace_root().join("tests/mcp/client.py"))
        .arg(url);
    if let Some(token) = token {
        command.arg(token);
    }
    let output = command.output().await.expect("run the MCP client");
    assert!(output.status.success(), "{}", describe(&output));
    let stdout = String::from_utf8_lossy(&output.stdout);
    serde_json::from_str(stdout.lines().last().unwrap_or_default())
        .unwrap_or_else(|_| panic!("{}", describe(&output)))
}

#[tokio::test]
async fn the_official_sdk_manages_tasks_with_a_token_and_is_refused_without() {
    let app = TestApp::spawn().await;
    let ann = Account::new(&app, "ann@example.org").await;
    let token = ann.token("mcp client").await;

    let seen = sdk_client(&app.url("/mcp"), Some(&token)).await;
    let tools: Vec<&str> = seen["tools"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t.as_str().unwrap())
        .collect();
    for expected in [
        "add_task",
        "list_tasks",
        "complete_task",
        "delete_task",
        "update_task",
        "list_suggestions",
        "accept_suggestion",
        "dismiss_suggestion",
    ] {
        assert!(tools.contains(&expected), "{tools:?}");
    }
    assert_eq!(seen["added"]["status"], "created");
    assert_eq!(seen["added"]["title"], "Written over MCP");
    assert_eq!(seen["listed"], json!(["Written over MCP"]));
    assert_eq!(seen["completed"]["status"], "completed");
    assert_eq!(seen["missing_is_error"], true);
    let task = ann
        .get(&format!("/api/tasks/{}", seen["added"]["task_id"]))
        .await;
    assert_eq!(
        (task["completed"].as_bool(), task["priority"].as_str()),
        (Some(true), Some("high"))
    );

    let answered = |status: u64| {
        app.host
            .log_records()
            .iter()
            .filter(|r| r["path"] == "/mcp" && r["status"].as_u64() == Some(status))
            .count()
    };
    let (served, refused_before) = (answered(200), answered(401));
    let refused = sdk_client(&app.url("/mcp"), None).await;
    assert!(refused["refused"].is_string(), "{refused}");
    // The SDK reports the 401 as a generic error: the host's log shows it.
    assert_eq!(answered(200), served, "served without a token");
    assert!(answered(401) > refused_before);
}

struct Rpc {
    http: reqwest::Client,
    url: String,
    token: String,
}

impl Rpc {
    async fn post(&self, body: &str) -> (u16, Option<Value>) {
        let response = self
            .http
            .post(&self.url)
            .bearer_auth(&self.token)
            .header("content-type", "application/json")
            .header("accept", "application/json, text/event-stream")
            .body(body.to_owned())
            .send()
            .await
            .unwrap();
        let status = response.status().as_u16();
        let text = response.text().await.unwrap();
        (status, serde_json::from_str(&text).ok())
    }

    async fn call(&self, method: &str, params: Value) -> Value {
        let body = json!({"jsonrpc": "2.0", "id": 7, "method": method, "params": params});
        let (status, answer) = self.post(&body.to_string()).await;
        assert_eq!(status, 200, "{method}");
        let answer = answer.expect("a JSON-RPC response");
        assert_eq!(
            (answer["jsonrpc"].as_str(), answer["id"].as_i64()),
            (Some("2.0"), Some(7))
        );
        answer
    }
}

#[tokio::test]
async fn json_rpc_errors_are_json_rpc_and_other_users_stay_out_of_reach() {
    let app = TestApp::spawn().await;
    let ann = Account::new(&app, "ann@example.org").await;
    let bob = Account::new(&app, "bob@example.org").await;
    let bobs = bob.create_task(json!({"title": "Bob's secret"})).await;
    let rpc = Rpc {
        http: reqwest::Client::new(),
        url: app.url("/mcp"),
        token: ann.token("rpc").await,
    };

    let init = rpc
        .call("initialize", json!({"protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "test", "version": "1"}}))
        .await;
    assert_eq!(init["result"]["protocolVersion"], "2025-06-18");
    assert_eq!(init["result"]["serverInfo"]["name"], "taskspin");
    assert_eq!(rpc.call("ping", json!({})).await["result"], json!({}));

    let unknown = rpc.call("resources/list", json!({})).await;
    assert_eq!(unknown["error"]["code"], -32601);
    let no_tool = rpc
        .call("tools/call", json!({"name": "drop_database"}))
        .await;
    assert_eq!(no_tool["error"]["code"], -32602);
    let bad_arguments = rpc
        .call(
            "tools/call",
            json!({"name": "add_task", "arguments": "buy milk"}),
        )
        .await;
    assert_eq!(bad_arguments["error"]["code"], -32602);
    let invalid = rpc
        .call(
            "tools/call",
            json!({"name": "add_task", "arguments": {"title": ""}}),
        )
        .await;
    assert_eq!(invalid["result"]["isError"], true);

    // Bob's task, by id, through every tool that takes one: not found, untouched.
    for (tool, arguments) in [
        ("complete_task", json!({"task_id": bobs["id"]})),
        ("delete_task", json!({"task_id": bobs["id"]})),
        (
            "update_task",
            json!({"task_id": bobs["id"], "title": "mine now"}),
        ),
        ("reopen_task", json!({"task_id": bobs["id"]})),
    ] {
        let answer = rpc
            .call("tools/call", json!({"name": tool, "arguments": arguments}))
            .await;
        assert_eq!(answer["result"]["isError"], true, "{tool}");
        let text = answer["result"]["content"][0]["text"].as_str().unwrap();
        assert!(!text.contains("Bob's secret"), "{tool}: {text}");
    }
    let listed = rpc
        .call(
            "tools/call",
            json!({"name": "list_tasks", "arguments": {"status": "all"}}),
        )
        .await;
    assert_eq!(listed["result"]["structuredContent"]["tasks"], json!([]));
    let untouched = bob.get(&format!("/api/tasks/{}", bobs["id"])).await;
    assert_eq!(
        (
            untouched["title"].as_str(),
            untouched["completed"].as_bool()
        ),
        (Some("Bob's secret"), Some(false))
    );

    // Transport edges.
    let (status, answer) = rpc.post("{not json").await;
    assert_eq!(
        (status, answer.unwrap()["error"]["code"].as_i64()),
        (400, Some(-32700))
    );
    let (status, answer) = rpc.post(r#"{"id": 1, "method": "ping"}"#).await;
    assert_eq!(
        (status, answer.unwrap()["error"]["code"].as_i64()),
        (400, Some(-32600))
    );
    let (status, answer) = rpc
        .post(r#"{"jsonrpc": "2.0", "method": "notifications/initialized"}"#)
        .await;
    assert_eq!((status, answer), (202, None));
    let (status, answer) = rpc
        .post(r#"[{"jsonrpc": "2.0", "id": 1, "method": "ping"}, {"jsonrpc": "2.0", "id": 2, "method": "tools/list"}]"#)
        .await;
    assert_eq!(status, 200);
    assert_eq!(answer.unwrap().as_array().map(Vec::len), Some(2));

    let get = reqwest::Client::new()
        .get(app.url("/mcp"))
        .bearer_auth(&rpc.token)
        .send()
        .await
        .unwrap();
    assert_eq!(get.status(), 405);
    // A browser session is not an MCP credential.
    let by_cookie = ann
        .client
        .post(app.url("/mcp"))
        .json(&json!({"jsonrpc": "2.0", "id": 1, "method": "ping"}))
        .send()
        .await
        .unwrap();
    assert_eq!(by_cookie.status(), 401);
    let anonymous = reqwest::Client::new()
        .post(app.url("/mcp"))
        .json(&json!({"jsonrpc": "2.0", "id": 1, "method": "ping"}))
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status(), 401);
    assert_eq!(anonymous.headers()["www-authenticate"], "Bearer");
}

#[tokio::test]
async fn project_tools_create_place_move_and_list_within_the_users_own_projects() {
    let app = TestApp::spawn().await;
    let ann = Account::new(&app, "ann@example.org").await;
    let bob = Account::new(&app, "bob@example.org").await;
    let bobs_project = json_body(
        bob.post_json("/api/projects", &json!({"name": "Bob's secret project"}))
            .await,
    )
    .await;
    let rpc = Rpc {
        http: reqwest::Client::new(),
        url: app.url("/mcp"),
        token: ann.token("rpc").await,
    };
    let tool = |name: &'static str, arguments: Value| {
        let rpc = &rpc;
        async move {
            rpc.call("tools/call", json!({"name": name, "arguments": arguments}))
                .await["result"]
                .clone()
        }
    };
    let created = tool(
        "create_project",
        json!({"name": "Groceries", "color": "green"}),
    )
    .await;
    assert_eq!(created["isError"], false, "{created}");
    let groceries = created["structuredContent"]["project_id"].as_i64().unwrap();
    let added = tool(
        "add_task",
        json!({"title": "Milk", "project_id": groceries}),
    )
    .await;
    let milk = added["structuredContent"]["task_id"].as_i64().unwrap();
    let subtask = tool("add_task", json!({"title": "Oat milk", "parent_id": milk})).await;
    assert_eq!(
        subtask["structuredContent"]["task"]["project_id"],
        groceries
    );
    let listed = tool("list_projects", json!({})).await;
    let names: Vec<&str> = listed["structuredContent"]["projects"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Inbox", "Groceries"]);
    assert_eq!(listed["structuredContent"]["projects"][1]["open_tasks"], 2);
    let in_project = tool(
        "list_tasks",
        json!({"project": groceries, "parent": "none"}),
    )
    .await;
    assert_eq!(
        in_project["structuredContent"]["tasks"][0]["subtask_counts"]["total"],
        1
    );
    let to_inbox =
        tool("list_projects", json!({})).await["structuredContent"]["projects"][0]["project_id"]
            .clone();
    let moved = tool(
        "move_task",
        json!({"task_id": milk, "project_id": to_inbox}),
    )
    .await;
    assert_eq!(moved["structuredContent"]["status"], "moved");

    // Bob's project is no place for Ann's tasks, and says nothing about itself.
    for (name, arguments) in [
        (
            "add_task",
            json!({"title": "x", "project_id": bobs_project["id"]}),
        ),
        (
            "move_task",
            json!({"task_id": milk, "project_id": bobs_project["id"]}),
        ),
        ("list_tasks", json!({"project": bobs_project["id"]})),
    ] {
        let answer = tool(name, arguments).await;
        let text = answer["content"][0]["text"].as_str().unwrap().to_owned();
        assert!(!text.contains("secret"), "{name}: {text}");
        if name == "list_tasks" {
            assert_eq!(answer["structuredContent"]["tasks"], json!([]));
        } else {
            assert_eq!(answer["isError"], true, "{name}");
        }
    }
}
