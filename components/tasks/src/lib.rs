//! `/api/tasks/...`: the signed-in user's tasks.

use spin_sdk::http::{Params, Request, Response};
use spin_sdk::http_component;
use taskspin_accounts::{Authenticated, signed_in};
use taskspin_domain::quick_add::{self, ParseContext};
use taskspin_domain::{Errors, account};
use taskspin_http::{ApiResult, Problem, Routes, json, json_body};
use taskspin_tasks::requests::{BulkCompleted, BulkDeleted, Ids, QuickText};
use taskspin_tasks::{IfMatch, ListQuery, NewTask, Outcome, Task, TaskPatch, TaskValues, Tasks};

#[http_component]
fn handle(request: taskspin_http::Incoming) -> Response {
    taskspin_http::serve("tasks", request, |request| {
        let mut router = Routes::new();
        router.get("/api/tasks", list);
        router.post("/api/tasks", create);
        router.post("/api/tasks/quick", quick);
        router.post("/api/tasks/parse", parse);
        router.post("/api/tasks/bulk/complete", bulk_complete);
        router.post("/api/tasks/bulk/delete", bulk_delete);
        router.get("/api/tasks/:id", get);
        router.patch("/api/tasks/:id", update);
        router.delete("/api/tasks/:id", delete);
        router.post("/api/tasks/:id/complete", complete);
        router.post("/api/tasks/:id/reopen", reopen);
        router.handle(request)
    })
}

/// Authenticates, then runs `work` on the user's tasks.
fn with_tasks(
    request: &Request,
    work: impl FnOnce(&Tasks, &Authenticated) -> ApiResult,
) -> ApiResult {
    signed_in(request, |db, auth| {
        work(&Tasks::new(db, &auth.user.id, auth.user.time_zone()), auth)
    })
}

fn not_found() -> Problem {
    Problem::new(404, "No such task.")
}

fn task_id(params: &Params) -> ApiResult<i64> {
    params
        .get("id")
        .and_then(|id| id.parse().ok())
        .ok_or_else(|| not_found().into())
}

/// `If-Match`: which versions the change may apply to; 400 when malformed.
fn if_match(request: &Request) -> ApiResult<IfMatch> {
    IfMatch::parse(request.header("if-match").map(|v| v.as_bytes())).map_err(|_| {
        Problem::new(
            400,
            "If-Match must be * or a list of entity tags, such as \"3\".",
        )
        .into()
    })
}

fn task_response(status: u16, task: &Task) -> ApiResult {
    let mut response = json(status, task)?;
    response.set_header("etag", task.etag());
    Ok(response)
}

fn outcome(result: Outcome<Task>) -> ApiResult {
    match result {
        Outcome::Done(task) => task_response(200, &task),
        Outcome::NotFound => Err(not_found().into()),
        Outcome::Stale { current } => Err(stale(&current)),
    }
}

/// 412 with the version that won, so a client can show it.
fn stale(current: &Task) -> taskspin_http::ApiError {
    Problem::new(
        412,
        "The task changed since you read it; nothing was changed.",
    )
    .with_header("etag", current.etag())
    .with_extension("current", current)
    .into()
}

fn list(request: Request, _: Params) -> ApiResult {
    with_tasks(&request, |tasks, auth| {
        let query = ListQuery::parse(request.query(), auth.user.time_zone())?;
        json(200, &tasks.list(&query)?)
    })
}

fn create(request: Request, _: Params) -> ApiResult {
    with_tasks(&request, |tasks, _| {
        let values = json_body::<NewTask>(&request)?.validate()?;
        let task = tasks.create(&values)?;
        let mut response = task_response(201, &task)?;
        response.set_header("location", format!("/api/tasks/{}", task.id));
        Ok(response)
    })
}

fn parse_text(request: &Request, auth: &Authenticated) -> ApiResult<quick_add::QuickAdd> {
    let body: QuickText = json_body(request)?;
    body.validate()?;
    let context = ParseContext {
        now: chrono::Utc::now(),
        tz: auth.user.time_zone(),
        week_start: account::week_start(auth.user.week_start).unwrap_or(chrono::Weekday::Mon),
    };
    Ok(quick_add::parse(&body.text, &context))
}

/// Creates the task a line of text describes.
fn quick(request: Request, _: Params) -> ApiResult {
    with_tasks(&request, |tasks, auth| {
        let values = TaskValues::from_quick_add(&parse_text(&request, auth)?)?;
        task_response(201, &tasks.create(&values)?)
    })
}

/// What quick add would create, for a live preview; creates nothing.
fn parse(request: Request, _: Params) -> ApiResult {
    with_tasks(&request, |_, auth| json(200, &parse_text(&request, auth)?))
}

fn ids(request: &Request) -> ApiResult<Vec<i64>> {
    let body: Ids = json_body(request)?;
    let mut errors = Errors::default();
    if body.ids.is_empty() || body.ids.len() > 200 {
        errors.add("ids", "must list 1 to 200 task ids");
    }
    errors.finish(Some(body.ids)).map_err(Into::into)
}

fn bulk_complete(request: Request, _: Params) -> ApiResult {
    with_tasks(&request, |tasks, _| {
        let (tasks, not_found) = tasks.complete_many(&ids(&request)?)?;
        json(200, &BulkCompleted { tasks, not_found })
    })
}

fn bulk_delete(request: Request, _: Params) -> ApiResult {
    with_tasks(&request, |tasks, _| {
        let (deleted, not_found) = tasks.delete_many(&ids(&request)?)?;
        json(200, &BulkDeleted { deleted, not_found })
    })
}

fn get(request: Request, params: Params) -> ApiResult {
    with_tasks(&request, |tasks, _| match tasks.get(task_id(&params)?)? {
        Some(task) => task_response(200, &task),
        None => Err(not_found().into()),
    })
}

fn update(request: Request, params: Params) -> ApiResult {
    with_tasks(&request, |tasks, _| {
        let id = task_id(&params)?;
        let changes = json_body::<TaskPatch>(&request)?.validate()?;
        outcome(tasks.update(id, &changes, &if_match(&request)?)?)
    })
}

fn delete(request: Request, params: Params) -> ApiResult {
    with_tasks(&request, |tasks, _| {
        match tasks.delete(task_id(&params)?, &if_match(&request)?)? {
            Outcome::Done(()) => Ok(Response::new(204, ())),
            Outcome::NotFound => Err(not_found().into()),
            Outcome::Stale { current } => Err(stale(&current)),
        }
    })
}

fn complete(request: Request, params: Params) -> ApiResult {
    with_tasks(&request, |tasks, _| {
        outcome(tasks.complete(task_id(&params)?, &if_match(&request)?)?)
    })
}

fn reopen(request: Request, params: Params) -> ApiResult {
    with_tasks(&request, |tasks, _| {
        outcome(tasks.reopen(task_id(&params)?, &if_match(&request)?)?)
    })
}
