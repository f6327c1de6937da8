//! `/api/export`: everything the signed-in person has, streamed as it is
//! read (`?format=json`, the default, `csv` or `ics`), and
//! `/api/export/schema.json`, the JSON Schema of the JSON document.

use spin_sdk::http::{Request, Response, ResponseOutparam};
use spin_sdk::http_component;
use taskspin_db::Db;
use taskspin_export::{Export, Format, SCHEMA};
use taskspin_http::{ApiResult, Problem, Reply, Streamed};

#[http_component]
async fn handle(request: taskspin_http::Incoming, out: ResponseOutparam) {
    taskspin_http::serve_streaming("export", request, out, route).await
}

fn route(request: Request) -> ApiResult<Reply> {
    if !matches!(request.method(), spin_sdk::http::Method::Get) {
        return Err(Problem::new(405, "Only GET reads an export.")
            .with_header("allow", "GET")
            .into());
    }
    match request.path() {
        "/api/export/schema.json" => Ok(Reply::Whole(
            Response::builder()
                .status(200)
                .header("content-type", "application/schema+json")
                .header("cache-control", "public, max-age=3600")
                .body(SCHEMA)
                .build(),
        )),
        "/api/export" => export(&request),
        _ => Err(Problem::new(404, "No such export.").into()),
    }
}

fn format(request: &Request) -> ApiResult<Format> {
    let mut format = Format::Json;
    for (key, value) in form_urlencoded::parse(request.query().as_bytes()) {
        if key == "format" {
            format = Format::parse(&value)
                .ok_or_else(|| Problem::new(400, "format must be json, csv or ics."))?;
        }
    }
    Ok(format)
}

fn export(request: &Request) -> ApiResult<Reply> {
    let format = format(request)?;
    let db = Db::connect()?;
    let auth = taskspin_accounts::authenticate(&db, request)?;
    // Begun before the head is sent: an unavailable database is still a 503.
    let export = Export::begin(db, &auth.user.id)?;
    let origin = taskspin_http::origin(request);
    let mut headers = vec![
        ("content-type".to_owned(), format.content_type().to_owned()),
        (
            "content-disposition".to_owned(),
            format!("attachment; filename=\"{}\"", format.file_name()),
        ),
        ("cache-control".to_owned(), "private, no-store".to_owned()),
    ];
    if let Some(cookie) = &auth.set_cookie {
        headers.push(("set-cookie".to_owned(), cookie.clone()));
    }
    Ok(Reply::Streamed(Streamed {
        status: 200,
        headers,
        body: Box::new(move |out| {
            export.write(format, &origin, out)?;
            Ok(())
        }),
    }))
}
