//! The assistant's chat through the host and real PostgreSQL: the built-in
//! rules provider, and the `openai` provider against a local
//! OpenAI-compatible stand-in that answers in the API's own format.

use std::time::{Duration, Instant};

use reqwest::Response;
use serde_json::{Value, json};
use taskspin_testkit::{
    Account, Host, HostOptions, LlmAnswer, LlmStub, TestApp, clock, json as body,
};

async fn chat(account: &Account, conversation: Option<&str>, message: &str) -> Response {
    let mut request = json!({ "message": message });
    if let Some(id) = conversation {
        request["conversation_id"] = json!(id);
    }
    account.post_json("/api/chat", &request).await
}

/// A chat turn that must succeed.
async fn say(account: &Account, conversation: Option<&str>, message: &str) -> Value {
    let response = chat(account, conversation, message).await;
    assert_eq!(response.status(), 200, "{message}");
    body(response).await
}

fn called(reply: &Value) -> Vec<String> {
    reply["tool_calls"]
        .as_array()
        .unwrap()
        .iter()
        .map(|call| call["name"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn a_rules_conversation_manages_tasks_and_survives_a_restart() {
    let mut app = TestApp::spawn().await;
    let ann = Account::new(&app, "ann@example.org").await;

    let first = say(&ann, None, "Add a task to buy groceries").await;
    let conversation = first["conversation_id"].as_str().unwrap().to_owned();
    assert_eq!(called(&first), ["add_task"]);
    let groceries = &first["tool_calls"][0]["result"];
    assert_eq!(groceries["status"], "created");
    assert_eq!(groceries["title"], "Buy groceries");
    let groceries_id = groceries["task_id"].as_i64().unwrap();
    assert!(
        first["reply"].as_str().unwrap().contains("Buy groceries"),
        "{first}"
    );

    let bills = say(
        &ann,
        Some(&conversation),
        "I need to remember to pay bills tomorrow at 5pm",
    )
    .await;
    let bills_task = &bills["tool_calls"][0]["result"]["task"];
    assert_eq!(bills_task["title"], "Pay bills");
    // 17:00 tomorrow in the test account's zone, whatever the season.
    assert_eq!(
        bills_task["due_at"],
        clock::api_instant(clock::wall_time(1, 17, 0))
    );

    let all = say(&ann, Some(&conversation), "Show me all my tasks").await;
    let listing = all["reply"].as_str().unwrap();
    assert!(
        listing.contains("Buy groceries") && listing.contains("Pay bills"),
        "{listing}"
    );

    let done = say(
        &ann,
        Some(&conversation),
        &format!("Mark task {groceries_id} as complete"),
    )
    .await;
    assert_eq!(called(&done), ["complete_task"]);
    assert_eq!(
        ann.get(&format!("/api/tasks/{groceries_id}")).await["completed"],
        true
    );

    let completed = say(&ann, Some(&conversation), "What have I completed?").await;
    assert!(
        completed["reply"]
            .as_str()
            .unwrap()
            .contains("Buy groceries")
    );
    let pending = say(&ann, Some(&conversation), "What's pending?").await;
    let pending_reply = pending["reply"].as_str().unwrap();
    assert!(pending_reply.contains("Pay bills") && !pending_reply.contains("Buy groceries"));

    // Two meetings: the assistant asks instead of guessing, and changes nothing.
    let standup = ann.create_task(json!({"title": "Team meeting"})).await;
    let review = ann
        .create_task(json!({"title": "Meeting with the bank"}))
        .await;
    let which = say(&ann, Some(&conversation), "Delete the meeting task").await;
    assert!(called(&which).is_empty(), "{which}");
    let question = which["reply"].as_str().unwrap();
    assert!(question.contains("Which one"), "{question}");
    assert!(
        question.contains(&format!("task {}", standup["id"])),
        "{question}"
    );
    assert!(
        question.contains(&format!("task {}", review["id"])),
        "{question}"
    );
    let deleted = say(
        &ann,
        Some(&conversation),
        &format!("delete task {}", standup["id"]),
    )
    .await;
    assert_eq!(deleted["tool_calls"][0]["result"]["status"], "deleted");
    assert_eq!(
        ann.task_titles("").await,
        ["Pay bills", "Meeting with the bank"]
    );

    let renamed = say(
        &ann,
        Some(&conversation),
        &format!("Change task {} to 'Call the bank'", review["id"]),
    )
    .await;
    assert_eq!(renamed["tool_calls"][0]["result"]["title"], "Call the bank");
    let raised = say(&ann, Some(&conversation), "Make the bills high priority").await;
    assert_eq!(
        raised["tool_calls"][0]["result"]["task"]["priority"],
        "high"
    );

    // A new host on the same database: the conversation is all there and goes on.
    let host = std::mem::replace(
        &mut app.host,
        Host::start(&app.db, HostOptions::default()).await,
    );
    host.stop().await;
    let base = app.url("");
    let stored: Value = body(
        ann.client
            .get(format!("{base}/api/conversations/{conversation}"))
            .send()
            .await
            .unwrap(),
    )
    .await;
    let messages = stored["messages"].as_array().unwrap();
    assert_eq!(messages.len(), 2 * 10, "{stored}");
    assert_eq!(messages[0]["role"], "user");
    assert_eq!(messages[0]["content"], "Add a task to buy groceries");
    assert_eq!(messages[1]["tool_calls"][0]["name"], "add_task");
    let after: Value = body(
        ann.client
            .post(format!("{base}/api/chat"))
            .json(&json!({"conversation_id": conversation, "message": "What's pending?"}))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(after["conversation_id"], conversation.as_str());
    assert!(
        after["reply"].as_str().unwrap().contains("Call the bank"),
        "{after}"
    );
}

#[tokio::test]
async fn conversations_are_private_and_validated() {
    let app = TestApp::spawn().await;
    let ann = Account::new(&app, "ann@example.org").await;
    let bob = Account::new(&app, "bob@example.org").await;
    let reply = say(&ann, None, "add water the plants").await;
    let conversation = reply["conversation_id"].as_str().unwrap();

    let listed = ann.get("/api/conversations").await;
    assert_eq!(listed["conversations"][0]["id"], conversation);
    assert_eq!(listed["conversations"][0]["title"], "add water the plants");
    assert_eq!(
        bob.get("/api/conversations").await["conversations"],
        json!([])
    );
    let peek = bob
        .client
        .get(bob.url(&format!("/api/conversations/{conversation}")))
        .send()
        .await
        .unwrap();
    assert_eq!(peek.status(), 404);
    assert_eq!(
        chat(&bob, Some(conversation), "what's pending")
            .await
            .status(),
        404
    );
    let delete = bob
        .client
        .delete(bob.url(&format!("/api/conversations/{conversation}")))
        .send()
        .await
        .unwrap();
    assert_eq!(delete.status(), 404);
    // Bob's tools see only Bob's tasks.
    let bobs = say(&bob, None, "Show me all my tasks").await;
    assert!(!bobs["reply"].as_str().unwrap().contains("Water"), "{bobs}");
    let theirs = reply["tool_calls"][0]["result"]["task_id"]
        .as_i64()
        .unwrap();
    let attempt = say(&bob, None, &format!("delete task {theirs}")).await;
    assert!(called(&attempt).is_empty());
    assert_eq!(ann.task_titles("").await, ["Water the plants"]);

    for (request, status) in [
        (json!({"message": ""}), 422),
        (json!({"message": "x".repeat(4001)}), 422),
        (json!({"message": "hi", "extra": 1}), 422),
        (json!({"message": 5}), 422),
        (json!({"message": "\u{0}\u{aa}"}), 422),
        (
            json!({"conversation_id": "not-a-uuid", "message": "hi"}),
            404,
        ),
        (
            json!({"conversation_id": "6f1c2a34-93f4-4c61-9d0e-2f6f0b6d1a11", "message": "hi"}),
            404,
        ),
    ] {
        let response = ann.post_json("/api/chat", &request).await;
        assert_eq!(response.status(), status, "{request}");
        assert_eq!(
            response.headers()["content-type"],
            "application/problem+json"
        );
    }
    let malformed = ann
        .client
        .post(ann.url("/api/chat"))
        .header("content-type", "application/json")
        .body("{")
        .send()
        .await
        .unwrap();
    assert_eq!(malformed.status(), 400);
    let anonymous = reqwest::Client::new()
        .post(app.url("/api/chat"))
        .json(&json!({"message": "hi"}))
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status(), 401);

    let gone = ann
        .client
        .delete(ann.url(&format!("/api/conversations/{conversation}")))
        .send()
        .await
        .unwrap();
    assert_eq!(gone.status(), 204);
    assert_eq!(
        ann.get("/api/conversations").await["conversations"],
        json!([])
    );
}

/// The app with the `openai` provider pointed at `stub`.
async fn app_with_model(stub: &LlmStub, timeout_ms: u64) -> TestApp {
    TestApp::spawn_with(HostOptions {
        env: vec![
            ("SPIN_VARIABLE_LLM_PROVIDER".into(), "openai".into()),
            ("SPIN_VARIABLE_LLM_BASE_URL".into(), stub.base_url()),
            ("SPIN_VARIABLE_LLM_MODEL".into(), "stub-model".into()),
            ("SPIN_VARIABLE_LLM_API_KEY".into(), "sk-test".into()),
            (
                "SPIN_VARIABLE_LLM_TIMEOUT_MS".into(),
                timeout_ms.to_string(),
            ),
        ],
        ..HostOptions::default()
    })
    .await
}

fn call(name: &str, arguments: Value) -> (String, String) {
    (name.to_owned(), arguments.to_string())
}

#[tokio::test]
async fn the_model_calls_several_tools_in_one_turn_and_sees_their_results() {
    let stub = LlmStub::start().await;
    let app = app_with_model(&stub, 5_000).await;
    let ann = Account::new(&app, "ann@example.org").await;
    stub.then([
        LlmAnswer::ToolCalls(vec![
            call(
                "add_task",
                json!({"title": "Buy milk", "tags": ["errands"]}),
            ),
            call(
                "add_task",
                json!({"title": "Book flights", "priority": "high"}),
            ),
        ]),
        LlmAnswer::Text("Added both.".into()),
    ]);
    let reply = say(&ann, None, "add buy milk and book flights").await;
    assert_eq!(reply["reply"], "Added both.");
    assert_eq!(called(&reply), ["add_task", "add_task"]);
    assert_eq!(
        ann.task_titles("sort=title").await,
        ["Book flights", "Buy milk"]
    );

    let requests = stub.take_requests();
    assert_eq!(requests.len(), 2);
    let first = &requests[0];
    assert_eq!(first["model"], "stub-model");
    let system = first["messages"][0]["content"].as_str().unwrap();
    assert!(system.contains("Europe/Berlin"), "{system}");
    let today = clock::today().format("%-d %B %Y").to_string();
    assert!(system.contains(&today), "{system}");
    assert_eq!(
        first["messages"][1]["content"],
        "add buy milk and book flights"
    );
    let tools: Vec<&str> = first["tools"]
        .as_array()
        .unwrap()
        .iter()
        .map(|tool| tool["function"]["name"].as_str().unwrap())
        .collect();
    for expected in [
        "add_task",
        "list_tasks",
        "complete_task",
        "delete_task",
        "update_task",
    ] {
        assert!(tools.contains(&expected), "{tools:?}");
    }
    // The second request carries the calls and one tool message per call.
    let messages = requests[1]["messages"].as_array().unwrap();
    let tool_messages: Vec<&Value> = messages.iter().filter(|m| m["role"] == "tool").collect();
    assert_eq!(tool_messages.len(), 2);
    assert_eq!(tool_messages[0]["tool_call_id"], "call_1");
    assert_eq!(tool_messages[1]["tool_call_id"], "call_2");
    let result: Value =
        serde_json::from_str(tool_messages[1]["content"].as_str().unwrap()).unwrap();
    assert_eq!(result["status"], "created");

    // The next message sends the history back, calls included.
    stub.then([LlmAnswer::Text("You have two tasks.".into())]);
    let conversation = reply["conversation_id"].as_str().unwrap();
    say(&ann, Some(conversation), "how many tasks do I have?").await;
    let history = stub.take_requests()[0]["messages"].clone();
    let roles: Vec<&str> = history
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["role"].as_str().unwrap())
        .collect();
    assert_eq!(
        roles,
        [
            "system",
            "user",
            "assistant",
            "tool",
            "tool",
            "assistant",
            "user"
        ]
    );
    assert_eq!(
        stub.take_requests().len(),
        0,
        "one model request for a plain answer"
    );
}

#[tokio::test]
async fn a_malformed_tool_call_is_reported_to_the_model_not_applied() {
    let stub = LlmStub::start().await;
    let app = app_with_model(&stub, 5_000).await;
    let ann = Account::new(&app, "ann@example.org").await;
    stub.then([
        LlmAnswer::ToolCalls(vec![("add_task".into(), "{\"title\": \"Buy".into())]),
        LlmAnswer::ToolCalls(vec![call("delete_task", json!({"id": 3}))]),
        LlmAnswer::Text("Sorry, I could not do that.".into()),
    ]);
    let reply = say(&ann, None, "add buy milk").await;
    assert_eq!(reply["reply"], "Sorry, I could not do that.");
    let calls = reply["tool_calls"].as_array().unwrap();
    assert_eq!(calls[0]["arguments"], "{\"title\": \"Buy");
    assert!(
        calls[0]["result"]["error"]
            .as_str()
            .unwrap()
            .contains("not valid JSON")
    );
    assert!(
        calls[1]["result"]["error"]
            .as_str()
            .unwrap()
            .contains("invalid arguments")
    );
    assert!(ann.task_titles("status=all").await.is_empty());
    let requests = stub.take_requests();
    let fed_back = requests[1]["messages"]
        .as_array()
        .unwrap()
        .last()
        .unwrap()
        .clone();
    assert_eq!(fed_back["role"], "tool");
    assert!(
        fed_back["content"]
            .as_str()
            .unwrap()
            .contains("not valid JSON")
    );
}

#[tokio::test]
async fn the_tool_loop_stops_after_five_model_turns() {
    let stub = LlmStub::start().await;
    let app = app_with_model(&stub, 5_000).await;
    let ann = Account::new(&app, "ann@example.org").await;
    stub.always(LlmAnswer::ToolCalls(vec![call("list_tasks", json!({}))]));
    let reply = say(&ann, None, "keep listing").await;
    assert_eq!(stub.take_requests().len(), 5);
    assert_eq!(called(&reply).len(), 5);
    assert!(
        reply["reply"]
            .as_str()
            .unwrap()
            .contains("stopped after 5 steps"),
        "{reply}"
    );
}

#[tokio::test]
async fn a_failing_model_answers_502_keeps_the_message_and_reports_what_was_applied() {
    let stub = LlmStub::start().await;
    let app = app_with_model(&stub, 5_000).await;
    let ann = Account::new(&app, "ann@example.org").await;

    // A 500 at once: 502 with a retry hint; the question is kept.
    stub.then([LlmAnswer::Status(500)]);
    let failed = chat(&ann, None, "add buy milk").await;
    assert_eq!(failed.status(), 502);
    assert_eq!(failed.headers()["content-type"], "application/problem+json");
    assert_eq!(failed.headers()["retry-after"], "10");
    let problem = body(failed).await;
    let conversation = problem["conversation_id"].as_str().unwrap().to_owned();
    assert_eq!(problem["tool_calls"], json!([]));
    let stored = ann.get(&format!("/api/conversations/{conversation}")).await;
    assert_eq!(stored["messages"][0]["content"], "add buy milk");

    // A tool applied, then the model fails: the 502 says what was done.
    stub.then([
        LlmAnswer::ToolCalls(vec![call("add_task", json!({"title": "Buy milk"}))]),
        LlmAnswer::Status(503),
    ]);
    let half = chat(&ann, Some(&conversation), "add buy milk").await;
    assert_eq!(half.status(), 502);
    let problem = body(half).await;
    assert_eq!(problem["tool_calls"][0]["name"], "add_task");
    assert_eq!(problem["tool_calls"][0]["result"]["status"], "created");
    assert_eq!(ann.task_titles("").await, ["Buy milk"]);
    let stored = ann.get(&format!("/api/conversations/{conversation}")).await;
    let last = stored["messages"]
        .as_array()
        .unwrap()
        .last()
        .unwrap()
        .clone();
    assert_eq!(last["role"], "assistant");
    assert_eq!(last["tool_calls"][0]["name"], "add_task");

    // The conversation is still usable.
    stub.then([LlmAnswer::Text("All good now.".into())]);
    let recovered = say(&ann, Some(&conversation), "are you back?").await;
    assert_eq!(recovered["reply"], "All good now.");
}

#[tokio::test]
async fn a_slow_or_unreachable_model_answers_502_within_the_timeout() {
    let stub = LlmStub::start().await;
    let app = app_with_model(&stub, 800).await;
    let ann = Account::new(&app, "ann@example.org").await;
    stub.then([LlmAnswer::Slow(Duration::from_secs(5))]);
    let started = Instant::now();
    let slow = chat(&ann, None, "add buy milk").await;
    let waited = started.elapsed();
    assert_eq!(slow.status(), 502);
    assert!(waited < Duration::from_secs(4), "{waited:?}");
    let problem = body(slow).await;
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .contains("did not answer within 800 ms"),
        "{problem}"
    );
    // The rest of the app does not care.
    assert_eq!(ann.task_titles("").await, Vec::<String>::new());

    let closed = taskspin_testkit::free_port();
    let app = TestApp::spawn_with(HostOptions {
        env: vec![
            ("SPIN_VARIABLE_LLM_PROVIDER".into(), "openai".into()),
            (
                "SPIN_VARIABLE_LLM_BASE_URL".into(),
                format!("http://127.0.0.1:{closed}"),
            ),
        ],
        ..HostOptions::default()
    })
    .await;
    let bob = Account::new(&app, "bob@example.org").await;
    let unreachable = chat(&bob, None, "add buy milk").await;
    assert_eq!(unreachable.status(), 502);
    let problem = body(unreachable).await;
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .contains("could not be reached"),
        "{problem}"
    );
}

#[tokio::test]
async fn the_rules_provider_speaks_projects_and_subtasks() {
    let app = TestApp::spawn().await;
    let ann = Account::new(&app, "ann@example.org").await;
    let reply = |value: &Value| value["reply"].as_str().unwrap().to_owned();

    let created = say(&ann, None, "create a project called Groceries").await;
    assert_eq!(called(&created), ["create_project"]);
    assert!(reply(&created).contains("Groceries"), "{created}");
    say(&ann, None, "new project Work").await;
    let listed = say(&ann, None, "list my projects").await;
    assert!(
        reply(&listed).contains("- Inbox") && reply(&listed).contains("- Work"),
        "{listed}"
    );

    let added = say(&ann, None, "add milk to Groceries").await;
    assert_eq!(called(&added), ["add_task"]);
    let milk = added["tool_calls"][0]["result"]["task"].clone();
    let groceries = ann.get("/api/projects").await["projects"][1].clone();
    assert_eq!(
        (milk["title"].as_str(), &milk["project_id"]),
        (Some("Milk"), &groceries["id"])
    );
    // Not a project: "to the fridge" stays in the title of an Inbox task.
    let fridge = say(&ann, None, "add a note to the fridge").await;
    assert_eq!(
        fridge["tool_calls"][0]["result"]["task"]["title"],
        "Note to the fridge"
    );

    ann.create_task(json!({"title": "Quarterly report"})).await;
    let moved = say(&ann, None, "move the report to Work").await;
    assert_eq!(called(&moved), ["move_task"]);
    assert!(reply(&moved).contains("to Work"), "{moved}");
    let rescheduled = say(&ann, None, "move the report to friday").await;
    assert_eq!(
        called(&rescheduled),
        ["update_task"],
        "a date is not a project"
    );

    let subtask = say(&ann, None, "add a subtask oat milk to the milk task").await;
    assert_eq!(called(&subtask), ["add_task"]);
    assert_eq!(
        subtask["tool_calls"][0]["result"]["task"]["parent_id"],
        milk["id"]
    );

    let shown = say(&ann, None, "what's in Groceries?").await;
    assert_eq!(called(&shown), ["list_tasks"]);
    assert!(
        reply(&shown).contains("Milk") && reply(&shown).contains("Oat milk"),
        "{shown}"
    );
    assert!(!reply(&shown).contains("report"), "{shown}");
}
