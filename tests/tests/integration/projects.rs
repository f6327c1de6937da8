//! Projects, sections, subtasks and manual order through the host against
//! real PostgreSQL.

use serde_json::{Value, json};
use taskspin_testkit::clock::date;
use taskspin_testkit::{Account, TestApp, json as body, problem_fields as fields};

async fn send(
    account: &Account,
    method: reqwest::Method,
    path: &str,
    payload: Option<Value>,
) -> reqwest::Response {
    let mut request = account.client.request(method, account.url(path));
    if let Some(payload) = payload {
        request = request.json(&payload);
    }
    request.send().await.expect("request")
}

async fn ok(
    account: &Account,
    method: reqwest::Method,
    path: &str,
    payload: Option<Value>,
) -> Value {
    let response = send(account, method.clone(), path, payload).await;
    let status = response.status();
    let answer = body(response).await;
    assert!(status.is_success(), "{method} {path}: {status} {answer}");
    answer
}

async fn create_project(account: &Account, name: &str) -> Value {
    ok(
        account,
        reqwest::Method::POST,
        "/api/projects",
        Some(json!({"name": name})),
    )
    .await
}

async fn create_section(account: &Account, project: i64, name: &str) -> Value {
    ok(
        account,
        reqwest::Method::POST,
        &format!("/api/projects/{project}/sections"),
        Some(json!({"name": name})),
    )
    .await
}

async fn move_task(account: &Account, id: i64, to: Value) -> reqwest::Response {
    send(
        account,
        reqwest::Method::POST,
        &format!("/api/tasks/{id}/move"),
        Some(to),
    )
    .await
}

async fn section_names(account: &Account, project: i64) -> Vec<String> {
    let sections = account
        .get(&format!("/api/projects/{project}/sections"))
        .await;
    names(&sections, "sections", "name")
}

async fn manual_order(account: &Account, project: i64) -> Vec<String> {
    account
        .task_titles(&format!("project={project}&sort=manual&limit=200"))
        .await
}

fn id(value: &Value) -> i64 {
    value["id"].as_i64().expect("an id")
}

fn names(list: &Value, key: &str, field: &str) -> Vec<String> {
    list[key]
        .as_array()
        .expect("a list")
        .iter()
        .map(|item| item[field].as_str().unwrap_or_default().to_owned())
        .collect()
}

#[tokio::test]
async fn projects_have_an_inbox_and_can_be_renamed_archived_restored_and_deleted() {
    let app = TestApp::spawn().await;
    let ann = Account::new(&app, "ann@example.org").await;
    use reqwest::Method as M;

    let listed = ann.get("/api/projects").await;
    assert_eq!(
        names(&listed, "projects", "name"),
        ["Inbox"],
        "every account starts with an Inbox"
    );
    let inbox = listed["projects"][0].clone();
    assert_eq!(inbox["inbox"], true);
    for (method, path, payload) in [
        (
            M::PATCH,
            format!("/api/projects/{}", id(&inbox)),
            Some(json!({"name": "Mine"})),
        ),
        (M::DELETE, format!("/api/projects/{}", id(&inbox)), None),
        (
            M::POST,
            format!("/api/projects/{}/archive", id(&inbox)),
            None,
        ),
        (
            M::POST,
            format!("/api/projects/{}/move", id(&inbox)),
            Some(json!({})),
        ),
    ] {
        let response = send(&ann, method.clone(), &path, payload).await;
        assert_eq!(
            response.status(),
            409,
            "{method} {path}: the Inbox is fixed"
        );
    }
    let recoloured = ok(
        &ann,
        M::PATCH,
        &format!("/api/projects/{}", id(&inbox)),
        Some(json!({"color": "blue"})),
    )
    .await;
    assert_eq!(
        (recoloured["name"].as_str(), recoloured["color"].as_str()),
        (Some("Inbox"), Some("blue"))
    );

    let created = send(
        &ann,
        M::POST,
        "/api/projects",
        Some(json!({"name": "  Work ", "color": "red"})),
    )
    .await;
    assert_eq!(created.status(), 201);
    assert_eq!(created.headers()["etag"], "\"1\"");
    let location = created.headers()["location"].to_str().unwrap().to_owned();
    let work = body(created).await;
    assert_eq!(location, format!("/api/projects/{}", id(&work)));
    assert_eq!(
        (work["name"].as_str(), work["color"].as_str()),
        (Some("Work"), Some("red"))
    );
    let home = create_project(&ann, "Home").await;
    assert_eq!(
        names(&ann.get("/api/projects").await, "projects", "name"),
        ["Inbox", "Work", "Home"]
    );

    // Bad input is a 422 naming the field.
    for bad in [
        json!({"name": ""}),
        json!({"name": "a\nb"}),
        json!({"name": "x".repeat(101)}),
        json!({"name": "Ok", "color": "mauve"}),
        json!({"name": "Ok", "owner": 1}),
    ] {
        let response = send(&ann, M::POST, "/api/projects", Some(bad.clone())).await;
        assert!(
            matches!(response.status().as_u16(), 400 | 422),
            "{bad}: {}",
            response.status()
        );
    }

    // Counts: open tasks and all tasks, subtasks included.
    let task = ann
        .create_task(json!({"title": "Report", "project_id": id(&work)}))
        .await;
    ann.create_task(json!({"title": "Outline", "parent_id": id(&task)}))
        .await;
    let done = ann
        .create_task(json!({"title": "Book room", "project_id": id(&work)}))
        .await;
    ok(
        &ann,
        M::POST,
        &format!("/api/tasks/{}/complete", id(&done)),
        None,
    )
    .await;
    let work_now = ann.get(&format!("/api/projects/{}", id(&work))).await;
    assert_eq!(
        (work_now["open_tasks"].as_i64(), work_now["tasks"].as_i64()),
        (Some(2), Some(3))
    );

    // Renaming needs the current version when one is named.
    let stale = ann
        .client
        .patch(ann.url(&format!("/api/projects/{}", id(&work))))
        .header("if-match", "\"1\"")
        .json(&json!({"name": "Job"}))
        .send()
        .await
        .unwrap();
    assert_eq!(stale.status(), 200);
    let stale = ann
        .client
        .patch(ann.url(&format!("/api/projects/{}", id(&work))))
        .header("if-match", "\"1\"")
        .json(&json!({"name": "Career"}))
        .send()
        .await
        .unwrap();
    assert_eq!(stale.status(), 412);
    assert_eq!(body(stale).await["current"]["name"], "Job");

    // Archiving takes the project and its tasks out of the other views.
    let archived = ok(
        &ann,
        M::POST,
        &format!("/api/projects/{}/archive", id(&work)),
        None,
    )
    .await;
    assert_eq!(archived["archived"], true);
    assert!(archived["archived_at"].is_string());
    assert_eq!(
        names(&ann.get("/api/projects").await, "projects", "name"),
        ["Inbox", "Home"]
    );
    assert_eq!(
        names(
            &ann.get("/api/projects?status=archived").await,
            "projects",
            "name"
        ),
        ["Job"]
    );
    assert!(
        ann.task_titles("status=all").await.is_empty(),
        "archived tasks leave the listing"
    );
    assert_eq!(
        ann.task_titles(&format!("project={}&status=all&sort=title", id(&work)))
            .await,
        ["Book room", "Outline", "Report"]
    );
    let again = ok(
        &ann,
        M::POST,
        &format!("/api/projects/{}/archive", id(&work)),
        None,
    )
    .await;
    assert_eq!(
        again["version"], archived["version"],
        "archiving twice changes nothing"
    );
    let restored = ok(
        &ann,
        M::POST,
        &format!("/api/projects/{}/restore", id(&work)),
        None,
    )
    .await;
    assert_eq!(restored["archived"], false);
    assert_eq!(
        ann.task_titles("status=all&sort=title").await,
        ["Book room", "Outline", "Report"]
    );

    // Reordering: Home first, then after Job.
    ok(
        &ann,
        M::POST,
        &format!("/api/projects/{}/move", id(&home)),
        Some(json!({"after": null})),
    )
    .await;
    assert_eq!(
        names(&ann.get("/api/projects").await, "projects", "name"),
        ["Inbox", "Home", "Job"]
    );
    ok(
        &ann,
        M::POST,
        &format!("/api/projects/{}/move", id(&home)),
        Some(json!({"after": id(&work)})),
    )
    .await;
    assert_eq!(
        names(&ann.get("/api/projects").await, "projects", "name"),
        ["Inbox", "Job", "Home"]
    );
    let beside_inbox = send(
        &ann,
        M::POST,
        &format!("/api/projects/{}/move", id(&home)),
        Some(json!({"after": id(&inbox)})),
    )
    .await;
    assert_eq!(beside_inbox.status(), 422);
    assert_eq!(fields(&body(beside_inbox).await), ["after"]);

    // Deleting takes the tasks along.
    let deleted = send(
        &ann,
        M::DELETE,
        &format!("/api/projects/{}", id(&work)),
        None,
    )
    .await;
    assert_eq!(deleted.status(), 204);
    assert!(ann.task_titles("status=all").await.is_empty());
    assert_eq!(
        send(&ann, M::GET, &format!("/api/projects/{}", id(&work)), None)
            .await
            .status(),
        404
    );
}

#[tokio::test]
async fn sections_order_rename_and_release_their_tasks_when_deleted() {
    let app = TestApp::spawn().await;
    let ann = Account::new(&app, "ann@example.org").await;
    use reqwest::Method as M;
    let project = id(&create_project(&ann, "Garden").await);
    let spring = create_section(&ann, project, "Spring").await;
    let autumn = create_section(&ann, project, "Autumn").await;
    assert_eq!(spring["project_id"], project);
    assert_eq!(section_names(&ann, project).await, ["Spring", "Autumn"]);
    ok(
        &ann,
        M::POST,
        &format!("/api/projects/{project}/sections/{}/move", id(&autumn)),
        Some(json!({"after": null})),
    )
    .await;
    assert_eq!(section_names(&ann, project).await, ["Autumn", "Spring"]);
    ok(
        &ann,
        M::PATCH,
        &format!("/api/projects/{project}/sections/{}", id(&spring)),
        Some(json!({"name": "Early spring"})),
    )
    .await;
    assert_eq!(
        section_names(&ann, project).await,
        ["Autumn", "Early spring"]
    );

    let bulbs = ann
        .create_task(
            json!({"title": "Plant bulbs", "project_id": project, "section_id": id(&autumn)}),
        )
        .await;
    assert_eq!(bulbs["section_id"], id(&autumn));
    let child = ann
        .create_task(json!({"title": "Buy bulbs", "parent_id": id(&bulbs)}))
        .await;
    assert_eq!(
        (child["project_id"].as_i64(), child["section_id"].as_i64()),
        (Some(project), Some(id(&autumn))),
        "a subtask lives where its parent does"
    );
    assert_eq!(
        ann.task_titles(&format!("section={}&sort=title", id(&autumn)))
            .await,
        ["Buy bulbs", "Plant bulbs"]
    );

    // A section of another project, or of the Inbox when none is named, is refused.
    let other = id(&create_project(&ann, "Other").await);
    let elsewhere = send(
        &ann,
        M::POST,
        "/api/tasks",
        Some(json!({"title": "x", "project_id": other, "section_id": id(&autumn)})),
    )
    .await;
    assert_eq!(elsewhere.status(), 422);
    assert_eq!(fields(&body(elsewhere).await), ["section_id"]);
    let in_inbox = send(
        &ann,
        M::POST,
        "/api/tasks",
        Some(json!({"title": "x", "section_id": id(&autumn)})),
    )
    .await;
    assert_eq!(in_inbox.status(), 422);

    let deleted = send(
        &ann,
        M::DELETE,
        &format!("/api/projects/{project}/sections/{}", id(&autumn)),
        None,
    )
    .await;
    assert_eq!(deleted.status(), 204);
    let bulbs = ann.get(&format!("/api/tasks/{}", id(&bulbs))).await;
    assert_eq!(
        (bulbs["project_id"].as_i64(), bulbs["section_id"].as_i64()),
        (Some(project), None),
        "its tasks stay in the project"
    );
    assert_eq!(section_names(&ann, project).await, ["Early spring"]);
    assert_eq!(
        send(
            &ann,
            M::DELETE,
            &format!("/api/projects/{project}/sections/{}", id(&autumn)),
            None
        )
        .await
        .status(),
        404
    );
    assert_eq!(
        send(
            &ann,
            M::PATCH,
            &format!("/api/projects/{other}/sections/{}", id(&spring)),
            Some(json!({"name": "x"}))
        )
        .await
        .status(),
        404,
        "a section is reached through its own project"
    );
}

#[tokio::test]
async fn subtasks_nest_four_levels_complete_reopen_move_and_delete_as_a_tree() {
    let app = TestApp::spawn().await;
    let ann = Account::new(&app, "ann@example.org").await;
    use reqwest::Method as M;
    let work = id(&create_project(&ann, "Work").await);
    let home = id(&create_project(&ann, "Home").await);

    let root = ann
        .create_task(json!({"title": "Launch", "project_id": work}))
        .await;
    let a = ann
        .create_task(json!({"title": "A", "parent_id": id(&root)}))
        .await;
    let b = ann
        .create_task(json!({"title": "B", "parent_id": id(&root)}))
        .await;
    let a1 = ann
        .create_task(json!({"title": "A1", "parent_id": id(&a)}))
        .await;
    let a1x = ann
        .create_task(json!({"title": "A1x", "parent_id": id(&a1)}))
        .await;
    let too_deep = send(
        &ann,
        M::POST,
        "/api/tasks",
        Some(json!({"title": "A1x-", "parent_id": id(&a1x)})),
    )
    .await;
    assert_eq!(too_deep.status(), 422, "four levels at most");
    assert_eq!(fields(&body(too_deep).await), ["parent_id"]);
    assert_eq!(
        ann.get(&format!("/api/tasks/{}", id(&root))).await["subtask_counts"],
        json!({"total": 2, "completed": 0})
    );

    ok(
        &ann,
        M::POST,
        &format!("/api/tasks/{}/complete", id(&b)),
        None,
    )
    .await;
    assert_eq!(
        ann.get(&format!("/api/tasks/{}", id(&root))).await["subtask_counts"],
        json!({"total": 2, "completed": 1})
    );

    // Completing the parent completes its open subtasks, at every level.
    let completed = ok(
        &ann,
        M::POST,
        &format!("/api/tasks/{}/complete", id(&root)),
        None,
    )
    .await;
    assert_eq!(
        completed["subtask_counts"],
        json!({"total": 2, "completed": 2})
    );
    for task in [&a, &a1, &a1x] {
        assert_eq!(
            ann.get(&format!("/api/tasks/{}", id(task))).await["completed"],
            true,
            "{}",
            task["title"]
        );
    }
    // Reopening the deepest reopens its completed ancestors, not its siblings.
    ok(
        &ann,
        M::POST,
        &format!("/api/tasks/{}/reopen", id(&a1x)),
        None,
    )
    .await;
    for (task, open) in [(&a1, true), (&a, true), (&root, true), (&b, false)] {
        assert_eq!(
            ann.get(&format!("/api/tasks/{}", id(task))).await["completed"],
            !open,
            "{}",
            task["title"]
        );
    }

    // Cycles and depth are refused on a move.
    for (to, field) in [
        (json!({"parent_id": id(&a1)}), "parent_id"),
        (json!({"parent_id": id(&a)}), "parent_id"),
    ] {
        let response = move_task(&ann, id(&a), to.clone()).await;
        assert_eq!(response.status(), 422, "{to}");
        assert_eq!(fields(&body(response).await), [field]);
    }
    let too_deep = move_task(&ann, id(&a), json!({"parent_id": id(&b)})).await;
    assert_eq!(
        too_deep.status(),
        422,
        "A's subtree under B would go five levels deep"
    );

    // Moving the parent to another project moves its subtree.
    let moved = move_task(&ann, id(&root), json!({"project_id": home})).await;
    assert_eq!(moved.status(), 200);
    for task in [&root, &a, &b, &a1, &a1x] {
        assert_eq!(
            ann.get(&format!("/api/tasks/{}", id(task))).await["project_id"],
            home,
            "{}",
            task["title"]
        );
    }
    // A subtask moved to a project becomes top level there.
    let out = body(move_task(&ann, id(&a1), json!({"project_id": work})).await).await;
    assert_eq!(
        (out["parent_id"].as_i64(), out["project_id"].as_i64()),
        (None, Some(work))
    );
    assert_eq!(
        ann.get(&format!("/api/tasks/{}", id(&a1x))).await["project_id"],
        work
    );
    assert_eq!(
        ann.task_titles(&format!("project={work}&parent=none"))
            .await,
        ["A1"]
    );
    assert_eq!(
        ann.task_titles(&format!("parent={}&sort=title&status=all", id(&root)))
            .await,
        ["A", "B"]
    );

    // Deleting a parent deletes its subtree.
    let deleted = send(&ann, M::DELETE, &format!("/api/tasks/{}", id(&root)), None).await;
    assert_eq!(deleted.status(), 204);
    for task in [&a, &b] {
        assert_eq!(
            send(&ann, M::GET, &format!("/api/tasks/{}", id(task)), None)
                .await
                .status(),
            404
        );
    }
    assert_eq!(
        ann.task_titles(&format!("project={work}&sort=title")).await,
        ["A1", "A1x"]
    );
}

#[tokio::test]
async fn a_recurring_parents_next_occurrence_copies_its_subtasks_reopened() {
    let app = TestApp::spawn().await;
    let ann = Account::new(&app, "ann@example.org").await;
    use reqwest::Method as M;
    let home = id(&create_project(&ann, "Home").await);
    let parent = ann
        .create_task(
            json!({"title": "Weekly clean", "project_id": home, "due_date": date(0),
                            "recurrence": {"kind": "every", "interval": 1, "unit": "week"}}),
        )
        .await;
    let kitchen = ann
        .create_task(json!({"title": "Kitchen", "parent_id": id(&parent)}))
        .await;
    ann.create_task(json!({"title": "Oven", "parent_id": id(&kitchen)}))
        .await;
    ann.create_task(json!({"title": "Bath", "parent_id": id(&parent)}))
        .await;
    ok(
        &ann,
        M::POST,
        &format!("/api/tasks/{}/complete", id(&parent)),
        None,
    )
    .await;

    let pending = ann.list_tasks(&format!("project={home}&parent=none")).await;
    let next = &pending["tasks"][0];
    assert_eq!(next["title"], "Weekly clean");
    assert_eq!(next["due_date"], date(7));
    assert_eq!(next["subtask_counts"], json!({"total": 2, "completed": 0}));
    assert_eq!(
        ann.task_titles(&format!("parent={}&sort=manual", id(next)))
            .await,
        ["Kitchen", "Bath"]
    );
    let kitchen_copy = ann
        .list_tasks(&format!("parent={}&sort=manual", id(next)))
        .await["tasks"][0]
        .clone();
    assert_eq!(
        ann.task_titles(&format!("parent={}", id(&kitchen_copy)))
            .await,
        ["Oven"]
    );
    assert_eq!(
        ann.task_titles(&format!(
            "parent={}&status=completed&sort=title",
            id(&parent)
        ))
        .await,
        ["Bath", "Kitchen"],
        "the old ones stay completed"
    );
}

#[tokio::test]
async fn manual_order_moves_one_row_and_survives_crowding_and_concurrent_moves() {
    let app = TestApp::spawn().await;
    let ann = Account::new(&app, "ann@example.org").await;
    let project = id(&create_project(&ann, "Errands").await);
    let mut ids = Vec::new();
    for title in ["one", "two", "three", "four"] {
        ids.push(id(&ann
            .create_task(json!({"title": title, "project_id": project}))
            .await));
    }
    assert_eq!(
        manual_order(&ann, project).await,
        ["one", "two", "three", "four"],
        "new tasks go last"
    );
    assert_eq!(
        move_task(&ann, ids[3], json!({"after": null}))
            .await
            .status(),
        200
    );
    assert_eq!(
        move_task(&ann, ids[0], json!({"after": ids[2]}))
            .await
            .status(),
        200
    );
    assert_eq!(
        manual_order(&ann, project).await,
        ["four", "two", "three", "one"]
    );
    assert_eq!(
        move_task(&ann, ids[3], json!({})).await.status(),
        200,
        "no after: last"
    );
    assert_eq!(
        manual_order(&ann, project).await,
        ["two", "three", "one", "four"]
    );

    // Bisecting the same gap again and again runs out of room, then respaces.
    for round in 0..40 {
        let (moving, after) = if round % 2 == 0 {
            (ids[2], ids[1])
        } else {
            (ids[1], ids[2])
        };
        assert_eq!(
            move_task(&ann, moving, json!({"after": after}))
                .await
                .status(),
            200
        );
        assert_eq!(
            move_task(&ann, ids[0], json!({"after": moving}))
                .await
                .status(),
            200
        );
    }
    let titles = manual_order(&ann, project).await;
    assert_eq!(
        titles,
        ["three", "two", "one", "four"],
        "no task lost or doubled"
    );

    // Pages in manual order continue where they stopped.
    let first = ann
        .list_tasks(&format!("project={project}&sort=manual&limit=2"))
        .await;
    let cursor = first["next_cursor"].as_str().unwrap();
    let rest = ann
        .list_tasks(&format!(
            "project={project}&sort=manual&limit=2&cursor={cursor}"
        ))
        .await;
    let paged: Vec<_> = names(&first, "tasks", "title")
        .into_iter()
        .chain(names(&rest, "tasks", "title"))
        .collect();
    assert_eq!(paged, titles);

    // `after` must be a sibling in the destination.
    let other = id(&ann.create_task(json!({"title": "elsewhere"})).await);
    let refused = move_task(&ann, ids[0], json!({"after": other})).await;
    assert_eq!(refused.status(), 422);
    assert_eq!(fields(&body(refused).await), ["after"]);
    assert_eq!(
        move_task(&ann, ids[0], json!({"after": ids[0]}))
            .await
            .status(),
        422,
        "not after itself"
    );

    // Two tabs move the same task from the same version: one wins, one gets 412.
    let version = ann.get(&format!("/api/tasks/{}", ids[1])).await["version"]
        .as_i64()
        .unwrap();
    let tab = |after: i64| {
        ann.client
            .post(ann.url(&format!("/api/tasks/{}/move", ids[1])))
            .header("if-match", format!("\"{version}\""))
            .json(&json!({"after": after}))
            .send()
    };
    let (left, right) = tokio::join!(tab(ids[3]), tab(ids[0]));
    let mut statuses = [
        left.unwrap().status().as_u16(),
        right.unwrap().status().as_u16(),
    ];
    statuses.sort();
    assert_eq!(statuses, [200, 412]);
    assert_eq!(manual_order(&ann, project).await.len(), 4);
}

#[tokio::test]
async fn quick_add_places_tasks_with_plus_project_and_slash_section() {
    let app = TestApp::spawn().await;
    let ann = Account::new(&app, "ann@example.org").await;
    let project = create_project(&ann, "Home office").await;
    let section = create_section(&ann, id(&project), "Next week").await;

    let preview = body(
        ann.post_json(
            "/api/tasks/parse",
            &json!({"text": "Order desk +homeoffice /nextweek tomorrow"}),
        )
        .await,
    )
    .await;
    assert_eq!(preview["title"], "Order desk");
    assert_eq!(preview["due_date"], date(1));
    assert_eq!(
        preview["project"],
        json!({"name": "Home office", "id": id(&project)})
    );
    assert_eq!(
        preview["section"],
        json!({"name": "Next week", "id": id(&section)})
    );
    let task = body(
        ann.post_json(
            "/api/tasks/quick",
            &json!({"text": "Order desk +HomeOffice /Next-week"}),
        )
        .await,
    )
    .await;
    assert_eq!(
        (task["project_id"].as_i64(), task["section_id"].as_i64()),
        (Some(id(&project)), None),
        "/Next-week is not /Next week"
    );
    let task = body(
        ann.post_json(
            "/api/tasks/quick",
            &json!({"text": "Order chair +homeoffice /NEXTWEEK"}),
        )
        .await,
    )
    .await;
    assert_eq!(
        (task["project_id"].as_i64(), task["section_id"].as_i64()),
        (Some(id(&project)), Some(id(&section)))
    );

    // An unknown project: the preview says so and the task goes to the Inbox.
    let inbox = ann.get("/api/projects").await["projects"][0]["id"]
        .as_i64()
        .unwrap();
    let preview = body(
        ann.post_json("/api/tasks/parse", &json!({"text": "Call Bo +Nowhere"}))
            .await,
    )
    .await;
    assert_eq!(preview["project"], json!({"name": "Nowhere", "id": null}));
    let task = body(
        ann.post_json("/api/tasks/quick", &json!({"text": "Call Bo +Nowhere"}))
            .await,
    )
    .await;
    assert_eq!(
        (task["title"].as_str(), task["project_id"].as_i64()),
        (Some("Call Bo"), Some(inbox))
    );

    // The project being viewed is the default; the text's own wins.
    let task = body(
        ann.post_json(
            "/api/tasks/quick",
            &json!({"text": "Lamp /nextweek", "project_id": id(&project)}),
        )
        .await,
    )
    .await;
    assert_eq!(
        (task["project_id"].as_i64(), task["section_id"].as_i64()),
        (Some(id(&project)), Some(id(&section)))
    );
    let task = body(
        ann.post_json(
            "/api/tasks/quick",
            &json!({"text": "Milk +inbox", "project_id": id(&project)}),
        )
        .await,
    )
    .await;
    assert_eq!(task["project_id"], inbox);
    let preview = body(
        ann.post_json(
            "/api/tasks/parse",
            &json!({"text": "Lamp", "project_id": id(&project)}),
        )
        .await,
    )
    .await;
    assert_eq!(
        preview["project"],
        json!({"name": "Home office", "id": id(&project)})
    );
    assert_eq!(preview["section"], Value::Null);
}

#[tokio::test]
async fn ids_in_a_body_that_are_another_users_are_refused_and_reveal_nothing() {
    let app = TestApp::spawn().await;
    let ann = Account::new(&app, "ann@example.org").await;
    let bob = Account::new(&app, "bob@example.org").await;
    let secret = create_project(&ann, "Ann's secret plans").await;
    let section = create_section(&ann, id(&secret), "Ann's secret section").await;
    let task = ann
        .create_task(json!({"title": "Ann's secret task", "project_id": id(&secret)}))
        .await;
    let bobs = bob.create_task(json!({"title": "Bob's"})).await;
    let bobs_project = id(&create_project(&bob, "Bob's project").await);
    let attempts = [
        (
            "/api/tasks",
            json!({"title": "x", "project_id": id(&secret)}),
        ),
        ("/api/tasks", json!({"title": "x", "parent_id": id(&task)})),
        (
            "/api/tasks",
            json!({"title": "x", "project_id": bobs_project, "section_id": id(&section)}),
        ),
        (
            "/api/tasks/quick",
            json!({"text": "x", "project_id": id(&secret)}),
        ),
        (
            "/api/tasks/parse",
            json!({"text": "x", "project_id": id(&secret)}),
        ),
    ];
    for (path, attempt) in attempts {
        let response = bob.post_json(path, &attempt).await;
        assert_eq!(response.status(), 422, "{path} {attempt}");
        let problem = body(response).await.to_string();
        assert!(!problem.contains("secret"), "{problem}");
    }
    for to in [
        json!({"project_id": id(&secret)}),
        json!({"parent_id": id(&task)}),
        json!({"section_id": id(&section)}),
        json!({"after": id(&task)}),
    ] {
        let response = move_task(&bob, id(&bobs), to.clone()).await;
        assert_eq!(response.status(), 422, "{to}");
        assert!(!body(response).await.to_string().contains("secret"));
    }
    // The quick-add names of another user's projects are unknown.
    let preview = body(
        bob.post_json("/api/tasks/parse", &json!({"text": "x +Ann's"}))
            .await,
    )
    .await;
    assert_eq!(
        preview["project"],
        Value::Null,
        "+Ann's is not a project word"
    );
    let preview = body(
        bob.post_json("/api/tasks/parse", &json!({"text": "x +AnnsSecretPlans"}))
            .await,
    )
    .await;
    assert_eq!(preview["project"]["id"], Value::Null);
    assert_eq!(
        bob.task_titles(&format!("project={}", id(&secret))).await,
        Vec::<String>::new()
    );
    // Ann's things are as they were.
    assert_eq!(
        ann.get(&format!("/api/tasks/{}", id(&task))).await["version"],
        1
    );
    assert_eq!(
        ann.get(&format!("/api/projects/{}", id(&secret))).await["tasks"],
        1
    );
}
