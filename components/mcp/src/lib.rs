//! `/mcp`: the Model Context Protocol (Streamable HTTP, stateless) for
//! outside assistants, authenticated with a personal access token.

use spin_sdk::http::{IntoResponse, Method, Request, Response};
use spin_sdk::http_component;
use taskspin_accounts::{Credential, authenticate, csrf};
use taskspin_assistant::mcp::{self, Reply};
use taskspin_assistant::tools::Toolbox;
use taskspin_db::Db;
use taskspin_http::{ApiResult, Problem};

#[http_component]
fn handle(request: taskspin_http::Incoming) -> Response {
    taskspin_http::serve("mcp", request, |request| answer(&request).into_response())
}

fn answer(request: &Request) -> ApiResult {
    if *request.method() != Method::Post {
        // No server-initiated stream and no sessions: POST is the whole protocol here.
        return Err(Problem::new(405, "The MCP endpoint takes POST only.")
            .with_header("allow", "POST")
            .into());
    }
    // The transport's guard against DNS rebinding: a browser's request must
    // come from this server's own origin.
    if !csrf::from_own_origin(request) {
        return Err(Problem::new(403, "Requests from other web origins are refused.").into());
    }
    let db = Db::connect()?;
    let auth = authenticate(&db, request)?;
    if !matches!(auth.credential, Credential::Token { .. }) {
        return Err(Problem::new(
            401,
            "MCP clients authenticate with a personal access token: `Authorization: Bearer tsp_...`.",
        )
        .with_header("www-authenticate", "Bearer")
        .into());
    }
    let toolbox = Toolbox::new(&db, &auth.user.id, auth.user.time_zone());
    Ok(match mcp::handle(request.body(), &toolbox)? {
        Reply::Json(status, body) => Response::builder()
            .status(status)
            .header("content-type", "application/json")
            .body(body.to_string())
            .build(),
        Reply::Accepted => Response::new(202, ()),
    })
}
