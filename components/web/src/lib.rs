//! The web app: `frontend/dist`, mounted at `/` by spin.toml's `files`,
//! served as-is. What each path means and which headers it gets is decided
//! by `taskspin-static-files`; this component only reads the files.

use spin_sdk::http::{Method, Request, Response};
use spin_sdk::http_component;
use taskspin_http::{ApiResult, Problem};
use taskspin_static_files::{self as rules, NotFound, Route};

/// Where spin.toml mounts the build.
const ROOT: &str = "/";

#[http_component]
fn handle(request: taskspin_http::Incoming) -> Response {
    let mut response = taskspin_http::serve("web", request, |request| match serve_file(&request) {
        Ok(response) => response,
        Err(error) => spin_sdk::http::IntoResponse::into_response(error),
    });
    for (name, value) in rules::SECURITY_HEADERS {
        response.set_header(name, value);
    }
    response
}

fn serve_file(request: &Request) -> ApiResult {
    let head = match request.method() {
        Method::Get => false,
        Method::Head => true,
        _ => {
            return Err(Problem::new(405, "The web app answers GET and HEAD only.")
                .with_header("allow", "GET, HEAD")
                .into());
        }
    };
    let path = match rules::route(request.path()) {
        Route::File(path) => path,
        Route::App(path) if is_file(&path) => path,
        Route::App(_) => rules::INDEX.to_owned(),
        Route::NotFound(NotFound::Api) => {
            return Err(Problem::new(404, "No API endpoint has this path.").into());
        }
        Route::NotFound(NotFound::Invalid) => {
            return Err(Problem::new(404, "No file has this path.").into());
        }
    };
    if !is_file(&path) {
        return Err(Problem::new(404, "No file has this path.").into());
    }

    let accept = request.header("accept-encoding").and_then(|v| v.as_str());
    let compressible = rules::is_compressible(&path);
    let (bytes, encoding) = read_best(&path, if compressible { accept } else { None })?;
    let etag = rules::etag(&bytes);

    let mut builder = Response::builder();
    builder
        .header("content-type", rules::content_type(&path))
        .header("cache-control", rules::cache_control(&path))
        .header("etag", etag.as_str());
    if compressible {
        builder.header("vary", "Accept-Encoding");
    }
    if let Some(encoding) = encoding {
        builder.header("content-encoding", encoding.name());
    }
    let not_modified = request
        .header("if-none-match")
        .and_then(|v| v.as_str())
        .is_some_and(|header| rules::if_none_match(header, &etag));
    if not_modified {
        return Ok(builder.status(304).body(Vec::new()).build());
    }
    let body = if head { Vec::new() } else { bytes };
    Ok(builder.status(200).body(body).build())
}

fn full_path(relative: &str) -> String {
    format!("{ROOT}{relative}")
}

fn is_file(relative: &str) -> bool {
    std::fs::metadata(full_path(relative)).is_ok_and(|m| m.is_file())
}

/// The file's bytes in the best encoding the request accepts that the build
/// has a pre-compressed variant for, or as they are.
fn read_best(
    relative: &str,
    accept_encoding: Option<&str>,
) -> ApiResult<(Vec<u8>, Option<rules::Encoding>)> {
    for encoding in rules::accepted_encodings(accept_encoding) {
        if let Ok(bytes) = std::fs::read(full_path(&format!("{relative}{}", encoding.suffix()))) {
            return Ok((bytes, Some(encoding)));
        }
    }
    let bytes = std::fs::read(full_path(relative)).map_err(|error| {
        taskspin_http::ApiError::internal(format!("reading {relative}: {error}"))
    })?;
    Ok((bytes, None))
}
