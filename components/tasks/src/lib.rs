//! `/api/tasks/...`: the signed-in user's tasks.

use serde::Serialize;
use spin_sdk::http::{Params, Request, Response};
use spin_sdk::http_component;
use taskspin_accounts::{Authenticated, signed_in};
use taskspin_domain::quick_add::{self, ParseContext, QuickAdd};
use taskspin_domain::{Errors, FieldError};
use taskspin_http::{ApiResult, Problem, Routes, if_match, json, json_body};
use taskspin_projects::{Mention, Projects};
use taskspin_tasks::requests::{BulkCompleted, BulkDeleted, Ids, QuickText};
use taskspin_tasks::{
    ListQuery, MoveTask, NewTask, Outcome, Placement, Task, TaskPatch, TaskValues, Tasks,
};

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
        router.post("/api/tasks/:id/move", move_task);
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
        Outcome::Invalid(errors) => Err(errors.into()),
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
        let task = tasks.create(&values)??;
        let mut response = task_response(201, &task)?;
        response.set_header("location", format!("/api/tasks/{}", task.id));
        Ok(response)
    })
}

/// What a line of quick-add text means, and where the task goes.
struct Parsed {
    quick_add: QuickAdd,
    project: Option<Mention>,
    section: Option<Mention>,
}

fn parse_text(request: &Request, tasks: &Tasks, auth: &Authenticated) -> ApiResult<Parsed> {
    let body: QuickText = json_body(request)?;
    body.validate()?;
    let context = ParseContext {
        now: chrono::Utc::now(),
        tz: auth.user.time_zone(),
        week_start: auth.user.week_start(),
    };
    let quick_add = quick_add::parse(&body.text, &context);
    let projects = Projects::new(tasks.db(), &auth.user.id);
    let default_project = match body.project_id {
        Some(id) => Some(projects.get(id)?.ok_or_else(|| {
            taskspin_http::ApiError::from(vec![FieldError {
                field: "project_id".into(),
                message: "is not one of your projects".into(),
            }])
        })?),
        None => None,
    };
    let (project, section) = projects.mentions(
        quick_add.project.as_deref(),
        quick_add.section.as_deref(),
        default_project.as_ref(),
    )?;
    Ok(Parsed {
        quick_add,
        project,
        section,
    })
}

/// Creates the task a line of text describes.
fn quick(request: Request, _: Params) -> ApiResult {
    with_tasks(&request, |tasks, auth| {
        let parsed = parse_text(&request, tasks, auth)?;
        let mut values = TaskValues::from_quick_add(&parsed.quick_add)?;
        values.placement = Placement {
            project: parsed.project.and_then(|p| p.id),
            section: parsed.section.and_then(|s| s.id),
            parent: None,
        };
        task_response(201, &tasks.create(&values)??)
    })
}

/// `POST /api/tasks/parse`: the parsed fields, with the project and section.
#[derive(Serialize)]
struct Preview {
    #[serde(flatten)]
    quick_add: QuickAdd,
    project: Option<Mention>,
    section: Option<Mention>,
}

/// What quick add would create, for a live preview; creates nothing.
fn parse(request: Request, _: Params) -> ApiResult {
    with_tasks(&request, |tasks, auth| {
        let Parsed {
            quick_add,
            project,
            section,
        } = parse_text(&request, tasks, auth)?;
        json(
            200,
            &Preview {
                quick_add,
                project,
                section,
            },
        )
    })
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
            Outcome::Invalid(errors) => Err(errors.into()),
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

/// Moves a task (with its subtasks) to another project, section, parent or
/// place among its siblings.
fn move_task(request: Request, params: Params) -> ApiResult {
    with_tasks(&request, |tasks, _| {
        let id = task_id(&params)?;
        let to = json_body::<MoveTask>(&request)?;
        outcome(tasks.move_task(id, &to, &if_match(&request)?)?)
    })
}
