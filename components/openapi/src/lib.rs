//! `GET /api/openapi.json`: the OpenAPI document, generated from the code.

use spin_sdk::http::{Params, Request, Response};
use spin_sdk::http_component;
use taskspin_http::{ApiResult, Routes, json};

#[http_component]
fn handle(request: taskspin_http::Incoming) -> Response {
    taskspin_http::serve("openapi", request, |request| {
        let mut router = Routes::new();
        router.get("/api/openapi.json", document);
        router.handle(request)
    })
}

fn document(_: Request, _: Params) -> ApiResult {
    json(200, &taskspin_openapi::document())
}
