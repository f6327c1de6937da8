//! `/api/calendar/...`: the private calendar feed. Signed in, a person
//! creates, rotates or turns off their feed; the feed's own URL is read by
//! calendar apps with the secret it holds, and answers `304` while nothing
//! it lists changed.

use spin_sdk::http::{Params, Request, Response};
use spin_sdk::http_component;
use taskspin_accounts::signed_in;
use taskspin_calendar::feeds::{self, CreatedFeed};
use taskspin_calendar::ics;
use taskspin_db::Db;
use taskspin_http::{ApiResult, Problem, Routes, json};

#[http_component]
fn handle(request: taskspin_http::Incoming) -> Response {
    taskspin_http::serve("calendar", request, |request| {
        let mut router = Routes::new();
        router.get("/api/calendar/feed", status);
        router.post("/api/calendar/feed", create);
        router.delete("/api/calendar/feed", revoke);
        router.get("/api/calendar/feed/:file", feed);
        router.handle(request)
    })
}

fn status(request: Request, _: Params) -> ApiResult {
    signed_in(&request, |db, auth| {
        json(200, &feeds::status(db, &auth.user.id)?)
    })
}

fn create(request: Request, _: Params) -> ApiResult {
    signed_in(&request, |db, auth| {
        let (secret, created_at) = feeds::create(db, &auth.user.id)?;
        let url = format!(
            "{}{}",
            taskspin_http::origin(&request),
            feeds::path(&secret)
        );
        let webcal_url = match url.split_once("://") {
            Some((_, rest)) => format!("webcal://{rest}"),
            None => url.clone(),
        };
        json(
            201,
            &CreatedFeed {
                url,
                webcal_url,
                created_at,
            },
        )
    })
}

fn revoke(request: Request, _: Params) -> ApiResult {
    signed_in(&request, |db, auth| {
        if !feeds::revoke(db, &auth.user.id)? {
            return Err(Problem::new(404, "There is no calendar feed to turn off.").into());
        }
        Ok(Response::new(204, ()))
    })
}

/// The feed itself: no session, the secret in the URL is the credential. A
/// wrong or revoked secret is a 404 like any unknown URL.
fn feed(request: Request, params: Params) -> ApiResult {
    let not_found = || Problem::new(404, "No such calendar feed.");
    let secret = params
        .get("file")
        .and_then(|file| file.strip_suffix(".ics"))
        .ok_or_else(not_found)?;
    let db = Db::connect()?;
    let opened = feeds::open(&db, secret)?.ok_or_else(not_found)?;
    let etag = opened.etag();
    let unchanged = request
        .header("if-none-match")
        .and_then(|v| v.as_str())
        .is_some_and(|tags| {
            tags.split(',')
                .any(|tag| tag.trim() == etag || tag.trim() == "*")
        });
    let builder = |status| {
        let mut builder = Response::builder();
        builder
            .status(status)
            .header("etag", etag.as_str())
            // Calendar apps may keep it, but must ask again before using it.
            .header("cache-control", "private, no-cache");
        builder
    };
    if unchanged {
        return Ok(builder(304).build());
    }
    let tasks = feeds::tasks(&db, &opened)?;
    let body = ics::render(&tasks, &taskspin_http::origin(&request), opened.zone);
    Ok(builder(200)
        .header("content-type", "text/calendar; charset=utf-8")
        .header("content-disposition", "inline; filename=\"taskspin.ics\"")
        .body(body)
        .build())
}
