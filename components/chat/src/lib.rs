//! `/api/chat` and `/api/conversations/...`: the assistant in the app.

use spin_sdk::http::{Params, Request, Response};
use spin_sdk::http_component;
use taskspin_accounts::signed_in;
use taskspin_assistant::conversations::{ConversationList, Conversations};
use taskspin_assistant::{ChatError, ChatRequest, Person, Provider, chat};
use taskspin_domain::account;
use taskspin_domain::quick_add::ParseContext;
use taskspin_http::{ApiError, ApiResult, Problem, Routes, json, json_body};
use taskspin_llm::transport;

#[http_component]
fn handle(request: taskspin_http::Incoming) -> Response {
    taskspin_http::serve("chat", request, |request| {
        let mut router = Routes::new();
        router.post("/api/chat", send);
        router.get("/api/conversations", list);
        router.get("/api/conversations/:id", get);
        router.delete("/api/conversations/:id", delete);
        router.handle(request)
    })
}

fn provider() -> ApiResult<Provider> {
    Provider::from_variables().map_err(|reason| {
        tracing::error!(reason, "assistant misconfigured");
        Problem::new(503, "The assistant is misconfigured; see the server's log.")
            .with_header("retry-after", "60")
            .into()
    })
}

fn refused(error: ChatError) -> ApiError {
    match error {
        ChatError::Invalid(errors) => errors.into(),
        ChatError::ConversationNotFound => not_found(),
        ChatError::Database(error) => error.into(),
        ChatError::Model {
            conversation_id,
            error,
            tool_calls,
        } => {
            tracing::warn!(error = %error, conversation_id, "language model failed");
            Problem::new(
                502,
                format!(
                    "{error}. Your message is kept in the conversation; try again in a moment."
                ),
            )
            .with_header("retry-after", "10")
            .with_extension("conversation_id", conversation_id)
            .with_extension("tool_calls", tool_calls)
            .into()
        }
    }
}

fn not_found() -> ApiError {
    Problem::new(404, "No such conversation.").into()
}

fn send(request: Request, _: Params) -> ApiResult {
    signed_in(&request, |db, auth| {
        let body: ChatRequest = json_body(&request)?;
        let provider = provider()?;
        let person = Person {
            id: &auth.user.id,
            context: ParseContext {
                now: chrono::Utc::now(),
                tz: auth.user.time_zone(),
                week_start: account::week_start(auth.user.week_start)
                    .unwrap_or(chrono::Weekday::Mon),
            },
        };
        match chat(db, &person, &provider, &transport::post_json, &body) {
            Ok(reply) => json(200, &reply),
            Err(error) => Err(refused(error)),
        }
    })
}

fn list(request: Request, _: Params) -> ApiResult {
    signed_in(&request, |db, auth| {
        let conversations = Conversations::new(db, &auth.user.id).list()?;
        json(200, &ConversationList { conversations })
    })
}

fn get(request: Request, params: Params) -> ApiResult {
    signed_in(&request, |db, auth| {
        let id = params.get("id").unwrap_or_default();
        match Conversations::new(db, &auth.user.id).get(id)? {
            Some(conversation) => json(200, &conversation),
            None => Err(not_found()),
        }
    })
}

fn delete(request: Request, params: Params) -> ApiResult {
    signed_in(&request, |db, auth| {
        let id = params.get("id").unwrap_or_default();
        if Conversations::new(db, &auth.user.id).delete(id)? {
            Ok(Response::new(204, ()))
        } else {
            Err(not_found())
        }
    })
}
