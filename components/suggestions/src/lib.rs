//! `/api/suggestions/...` and `/api/preferences/agents`: what the agents
//! propose, accepting or dismissing it, and which agents may propose.

use spin_sdk::http::{Params, Request, Response};
use spin_sdk::http_component;
use taskspin_accounts::{Authenticated, signed_in};
use taskspin_agents::preferences::AgentPreferences;
use taskspin_agents::suggestions::{Accepted, PendingCount, Refusal, SuggestionList, Suggestions};
use taskspin_db::Db;
use taskspin_http::{ApiResult, Problem, Routes, json, json_body};

#[http_component]
fn handle(request: taskspin_http::Incoming) -> Response {
    taskspin_http::serve("suggestions", request, |request| {
        let mut router = Routes::new();
        router.get("/api/suggestions", list);
        router.get("/api/suggestions/count", count);
        router.post("/api/suggestions/:id/accept", accept);
        router.post("/api/suggestions/:id/dismiss", dismiss);
        router.get("/api/preferences/agents", get_preferences);
        router.put("/api/preferences/agents", put_preferences);
        router.handle(request)
    })
}

fn suggestions<'a>(db: &'a Db, auth: &Authenticated) -> Suggestions<'a> {
    Suggestions::new(db, &auth.user.id, auth.user.time_zone())
}

fn list(request: Request, _: Params) -> ApiResult {
    signed_in(&request, |db, auth| {
        json(
            200,
            &SuggestionList {
                suggestions: suggestions(db, auth).pending()?,
            },
        )
    })
}

fn count(request: Request, _: Params) -> ApiResult {
    signed_in(&request, |db, auth| {
        json(
            200,
            &PendingCount {
                pending: suggestions(db, auth).count_pending()?,
            },
        )
    })
}

fn suggestion_id(params: &Params) -> ApiResult<i64> {
    params
        .get("id")
        .and_then(|id| id.parse().ok())
        .ok_or_else(|| Problem::new(404, "No such suggestion.").into())
}

fn refused(refusal: Refusal) -> taskspin_http::ApiError {
    match refusal {
        Refusal::NotFound => Problem::new(404, "No such suggestion."),
        Refusal::NotPending(status) => {
            Problem::new(409, format!("This suggestion is {status} already."))
        }
        Refusal::TaskChanged => Problem::new(
            409,
            "A task changed since this was suggested; the suggestion expired.",
        ),
    }
    .into()
}

fn accept(request: Request, params: Params) -> ApiResult {
    signed_in(&request, |db, auth| {
        match suggestions(db, auth).accept(suggestion_id(&params)?)? {
            Ok((suggestion, tasks)) => json(200, &Accepted { suggestion, tasks }),
            Err(refusal) => Err(refused(refusal)),
        }
    })
}

fn dismiss(request: Request, params: Params) -> ApiResult {
    signed_in(&request, |db, auth| {
        match suggestions(db, auth).dismiss(suggestion_id(&params)?)? {
            Ok(suggestion) => json(200, &suggestion),
            Err(refusal) => Err(refused(refusal)),
        }
    })
}

fn get_preferences(request: Request, _: Params) -> ApiResult {
    signed_in(&request, |db, auth| {
        json(200, &AgentPreferences::load(db, &auth.user.id)?)
    })
}

fn put_preferences(request: Request, _: Params) -> ApiResult {
    signed_in(&request, |db, auth| {
        let preferences: AgentPreferences = json_body(&request)?;
        json(200, &preferences.save(db, &auth.user.id)??)
    })
}
