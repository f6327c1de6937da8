//! `/api/imports/...`: a file from another task manager (or a Taskspin
//! export) is uploaded as the request body, read at once for its preview,
//! and imported by a job once the person confirms it.

use chrono::Utc;
use spin_sdk::http::{Params, Request, Response};
use spin_sdk::http_component;
use taskspin_accounts::signed_in;
use taskspin_http::{ApiResult, Problem, Routes, json};
use taskspin_imports::store::{self, Change, ImportList, Stored};
use taskspin_imports::{Context, Format, MAX_FILE_BYTES, Unreadable};

#[http_component]
fn handle(request: taskspin_http::Incoming<MAX_FILE_BYTES>) -> Response {
    taskspin_http::serve("imports", request, |request| {
        let mut router = Routes::new();
        router.get("/api/imports", list);
        router.post("/api/imports", upload);
        router.get("/api/imports/:id", show);
        router.post("/api/imports/:id/confirm", confirm);
        router.delete("/api/imports/:id", discard);
        router.handle(request)
    })
}

fn not_found() -> Problem {
    Problem::new(404, "No such import.")
}

fn unreadable(problem: Unreadable) -> taskspin_http::ApiError {
    let mut answer = Problem::new(problem.status, problem.message);
    if let Some(line) = problem.line {
        answer = answer.with_extension("line", line);
    }
    if let Some(component) = problem.component {
        answer = answer.with_extension("component", component);
    }
    answer.into()
}

/// `?name=` (the file's name, for the project Todoist names after it) and
/// `?format=` (else read from the content).
fn upload_query(request: &Request) -> ApiResult<(String, Option<Format>)> {
    let mut name = String::new();
    let mut format = None;
    for (key, value) in form_urlencoded::parse(request.query().as_bytes()) {
        match &*key {
            "name" => name = value.chars().filter(|c| !c.is_control()).take(255).collect(),
            "format" => {
                format = Some(Format::parse(&value).ok_or_else(|| {
                    Problem::new(
                        400,
                        "format must be todoist, ticktick, ical or taskspin (or left out to be read from the file).",
                    )
                })?)
            }
            _ => {}
        }
    }
    Ok((name, format))
}

fn upload(request: Request, _: Params) -> ApiResult {
    signed_in(&request, |db, auth| {
        let (file_name, format) = upload_query(&request)?;
        if request.body().is_empty() {
            return Err(Problem::new(400, "Send the file as the request body.").into());
        }
        let now = Utc::now();
        let context = Context {
            now,
            zone: auth.user.time_zone(),
            week_start: auth.user.week_start(),
            file_name: file_name.clone(),
        };
        let (format, plan) =
            taskspin_imports::read(request.body(), format, &context).map_err(unreadable)?;
        let preview = plan.preview();
        match store::create(
            db,
            &auth.user.id,
            format,
            &file_name,
            request.body(),
            &preview,
            now,
        )? {
            Stored::Created(import) => json(201, &import),
            Stored::TooMany => Err(Problem::new(
                409,
                format!(
                    "{} imports are waiting already: import or discard one first.",
                    store::MAX_WAITING
                ),
            )
            .into()),
        }
    })
}

fn list(request: Request, _: Params) -> ApiResult {
    signed_in(&request, |db, auth| {
        json(
            200,
            &ImportList {
                imports: store::list(db, &auth.user.id)?,
            },
        )
    })
}

fn show(request: Request, params: Params) -> ApiResult {
    signed_in(&request, |db, auth| {
        let id = params.get("id").unwrap_or_default();
        let import = store::get(db, &auth.user.id, id)?.ok_or_else(not_found)?;
        json(200, &import)
    })
}

fn confirm(request: Request, params: Params) -> ApiResult {
    signed_in(&request, |db, auth| {
        match store::confirm(db, &auth.user.id, params.get("id").unwrap_or_default())? {
            Change::Done(import) => json(202, &import),
            Change::NotFound => Err(not_found().into()),
            Change::Conflict(_) => {
                Err(Problem::new(409, "This import failed: upload the file again.").into())
            }
        }
    })
}

fn discard(request: Request, params: Params) -> ApiResult {
    signed_in(&request, |db, auth| {
        match store::discard(db, &auth.user.id, params.get("id").unwrap_or_default())? {
            Change::Done(()) => Ok(Response::new(204, ())),
            Change::NotFound => Err(not_found().into()),
            Change::Conflict(import) => Err(Problem::new(
                409,
                format!(
                    "The import is {}: it can be discarded once it ends.",
                    import.status.as_str()
                ),
            )
            .into()),
        }
    })
}
