//! The rules the `web` component serves `frontend/dist` by, without any I/O
//! so they are tested natively:
//!
//! - [`route`]: what a request path means: a file of the build, the single
//!   page app's `index.html` (client routes: paths without an extension), or a
//!   404 (a missing asset, an unknown `/api/...` or `/mcp` path, a path that
//!   tries to leave the mounted folder);
//! - [`content_type`], [`cache_control`]: headers by file name: hashed files
//!   under `/assets/` are immutable for a year, `index.html` is revalidated on
//!   every load;
//! - [`accepted_encodings`]: which pre-compressed variant (`.br`, `.gz`, made
//!   by the frontend build) a request's `Accept-Encoding` allows, best first;
//! - [`etag`], [`if_none_match`]: strong validators from the bytes served;
//! - [`SECURITY_HEADERS`]: what every answer carries.

/// What a request path asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    /// A file of the build, by its path relative to the mounted folder
    /// (no leading slash, every segment checked).
    File(String),
    /// A client-side route: the file of that name when one exists (a file
    /// without an extension), the app's `index.html` otherwise.
    App(String),
    /// Not served by this component: an API path, a traversal attempt, a
    /// malformed path.
    NotFound(NotFound),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotFound {
    /// `/api/...` or `/mcp`: endpoints live in other components, never the
    /// fallback page.
    Api,
    /// A path that cannot name a file of the build (`..`, control bytes,
    /// bad percent-encoding).
    Invalid,
}

/// The single page app's entry document.
pub const INDEX: &str = "index.html";

/// Paths other components own. A request reaching this component under one
/// of them matched no endpoint, and must not get the app's HTML.
const API_PREFIXES: [&str; 2] = ["/api", "/mcp"];

/// Classifies a request path (as sent: percent-encoded, without the query).
///
/// A path whose last segment has an extension (`/assets/app-1a2b.js`,
/// `/favicon.svg`) is a file: served if it exists, 404 otherwise. A path
/// without one (`/tasks`, `/settings/tokens`) is the app: a file of that
/// name wins when it exists, `index.html` otherwise; `/` is `index.html`.
pub fn route(raw_path: &str) -> Route {
    let path = raw_path.split(['?', '#']).next().unwrap_or_default();
    if API_PREFIXES.iter().any(|prefix| {
        path.strip_prefix(prefix)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
    }) {
        return Route::NotFound(NotFound::Api);
    }
    let Some(relative) = sanitize(path) else {
        return Route::NotFound(NotFound::Invalid);
    };
    if relative.is_empty() {
        return Route::File(INDEX.to_owned());
    }
    let last = relative.rsplit('/').next().unwrap_or_default();
    if has_extension(last) {
        Route::File(relative)
    } else {
        Route::App(relative)
    }
}

fn has_extension(name: &str) -> bool {
    match name.rfind('.') {
        // ".well-known" style names start with a dot: no extension.
        Some(at) => at > 0 && at + 1 < name.len(),
        None => false,
    }
}

/// Decodes a URL path into a relative file path inside the mounted folder,
/// or `None` when it could escape it or cannot name a file: `..` and `.`
/// segments (also percent-encoded), backslashes, NUL and other control
/// characters, and invalid percent-encoding or UTF-8. Empty segments
/// (`//`, a trailing `/`) are dropped.
pub fn sanitize(path: &str) -> Option<String> {
    let decoded = percent_decode(path)?;
    let mut segments = Vec::new();
    for segment in decoded.split('/') {
        if segment.is_empty() {
            continue;
        }
        if segment == "."
            || segment == ".."
            || segment.contains('\\')
            || segment.chars().any(char::is_control)
        {
            return None;
        }
        segments.push(segment);
    }
    Some(segments.join("/"))
}

fn percent_decode(path: &str) -> Option<String> {
    let bytes = path.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = bytes.get(i + 1..i + 3)?;
            let value = u8::from_str_radix(std::str::from_utf8(hex).ok()?, 16).ok()?;
            out.push(value);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// The `Content-Type` of a file by its extension.
pub fn content_type(path: &str) -> &'static str {
    let extension = path
        .rsplit('/')
        .next()
        .and_then(|name| name.rsplit_once('.'))
        .map(|(_, extension)| extension.to_ascii_lowercase())
        .unwrap_or_default();
    match extension.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "json" | "map" => "application/json",
        "webmanifest" => "application/manifest+json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "woff" => "font/woff",
        "woff2" => "font/woff2",
        "txt" => "text/plain; charset=utf-8",
        "xml" => "application/xml",
        "wasm" => "application/wasm",
        "br" => "application/x-brotli",
        "gz" => "application/gzip",
        _ => "application/octet-stream",
    }
}

/// Whether a file of this type may have pre-compressed variants, so that
/// its answers vary by `Accept-Encoding`.
pub fn is_compressible(path: &str) -> bool {
    let content_type = content_type(path);
    content_type.starts_with("text/")
        || matches!(
            content_type,
            "application/json"
                | "application/manifest+json"
                | "image/svg+xml"
                | "application/xml"
                | "application/wasm"
        )
}

/// Files under `assets/` carry a content hash in their name (Vite's output):
/// cache them for a year and never revalidate. Everything else (`index.html`,
/// `favicon.svg`, ...) keeps its name across builds: revalidate every time.
pub fn cache_control(path: &str) -> &'static str {
    if path.starts_with("assets/") && !path.ends_with(".html") {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    }
}

/// A content coding of a pre-compressed file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Brotli,
    Gzip,
}

impl Encoding {
    /// The suffix of the pre-compressed file next to the original.
    pub fn suffix(self) -> &'static str {
        match self {
            Encoding::Brotli => ".br",
            Encoding::Gzip => ".gz",
        }
    }

    /// The `Content-Encoding` value.
    pub fn name(self) -> &'static str {
        match self {
            Encoding::Brotli => "br",
            Encoding::Gzip => "gzip",
        }
    }
}

/// The codings an `Accept-Encoding` header allows, best first (brotli before
/// gzip at equal weight, as it is smaller). A coding with `q=0` is refused;
/// `*` stands for every coding not named.
pub fn accepted_encodings(accept_encoding: Option<&str>) -> Vec<Encoding> {
    let Some(header) = accept_encoding else {
        return Vec::new();
    };
    let mut br = None;
    let mut gzip = None;
    let mut star = None;
    for item in header.split(',') {
        let mut parts = item.split(';');
        let name = parts.next().unwrap_or_default().trim().to_ascii_lowercase();
        let mut quality = 1.0_f32;
        for parameter in parts {
            if let Some((key, value)) = parameter.split_once('=')
                && key.trim().eq_ignore_ascii_case("q")
            {
                quality = value.trim().parse().unwrap_or(0.0);
            }
        }
        match name.as_str() {
            "br" => br = Some(quality),
            "gzip" | "x-gzip" => gzip = Some(quality),
            "*" => star = Some(quality),
            _ => {}
        }
    }
    let mut accepted: Vec<(Encoding, f32)> = [
        (Encoding::Brotli, br.or(star)),
        (Encoding::Gzip, gzip.or(star)),
    ]
    .into_iter()
    .filter_map(|(encoding, quality)| quality.filter(|q| *q > 0.0).map(|q| (encoding, q)))
    .collect();
    // Stable: brotli stays first at equal weight.
    accepted.sort_by(|a, b| b.1.total_cmp(&a.1));
    accepted.into_iter().map(|(encoding, _)| encoding).collect()
}

/// A strong `ETag` for these bytes (FNV-1a, 64 bits, with the length): the
/// bytes served, so each encoding of a file has its own.
pub fn etag(bytes: &[u8]) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in bytes {
        hash ^= u64::from(*byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    format!("\"{:x}-{hash:016x}\"", bytes.len())
}

/// Whether an `If-None-Match` header matches `etag` (weak comparison, as
/// RFC 9110 prescribes for it): the client's copy is current.
pub fn if_none_match(header: &str, etag: &str) -> bool {
    let opaque = |tag: &str| tag.trim().trim_start_matches("W/").to_owned();
    header.trim() == "*" || header.split(',').any(|tag| opaque(tag) == opaque(etag))
}

/// The Content-Security-Policy of every answer: scripts and styles only from
/// files of the build (no inline script, no `eval`), API calls to the same
/// origin, never framed.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; \
style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; \
object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

/// Headers on every answer of the component, pages and errors alike.
pub const SECURITY_HEADERS: [(&str, &str); 6] = [
    ("content-security-policy", CONTENT_SECURITY_POLICY),
    ("x-content-type-options", "nosniff"),
    ("referrer-policy", "strict-origin-when-cross-origin"),
    ("x-frame-options", "DENY"),
    ("cross-origin-opener-policy", "same-origin"),
    (
        "permissions-policy",
        "camera=(), microphone=(), geolocation=(), payment=()",
    ),
];

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str) -> Route {
        Route::File(path.to_owned())
    }

    fn app(path: &str) -> Route {
        Route::App(path.to_owned())
    }

    #[test]
    fn routes_files_client_routes_and_api_paths() {
        assert_eq!(route("/"), file("index.html"));
        assert_eq!(route("/index.html"), file("index.html"));
        assert_eq!(
            route("/assets/index-1a2B3c.js"),
            file("assets/index-1a2B3c.js")
        );
        assert_eq!(route("/favicon.svg?v=2"), file("favicon.svg"));
        assert_eq!(route("/tasks"), app("tasks"));
        assert_eq!(route("/settings/tokens/"), app("settings/tokens"));
        assert_eq!(route("/tasks?status=all&q=x.y"), app("tasks"));
        assert_eq!(route("/.well-known"), app(".well-known"));
        for api in [
            "/api",
            "/api/",
            "/api/nope",
            "/api/tasks/x.json",
            "/mcp",
            "/mcp/x",
        ] {
            assert_eq!(route(api), Route::NotFound(NotFound::Api), "{api}");
        }
        // Only whole segments: these are client routes.
        assert_eq!(route("/apidocs"), app("apidocs"));
        assert_eq!(route("/mcpx"), app("mcpx"));
    }

    #[test]
    fn refuses_paths_that_leave_the_folder() {
        for bad in [
            "/../etc/passwd",
            "/assets/../../secret",
            "/%2e%2e/etc/passwd",
            "/%2E%2E%2fetc",
            "/assets/..%2f..%2fx.js",
            "/a/./b",
            "/a\\..\\b.js",
            "/a%5c..%5cb.js",
            "/a%00.js",
            "/bad%zz.js",
            "/bad%e9.js",
            "/trailing%2",
        ] {
            assert_eq!(route(bad), Route::NotFound(NotFound::Invalid), "{bad}");
        }
        assert_eq!(sanitize("//a///b/"), Some("a/b".into()));
        assert_eq!(sanitize("/caf%C3%A9.txt"), Some("café.txt".into()));
        assert_eq!(sanitize("/a..b.js"), Some("a..b.js".into()));
    }

    #[test]
    fn content_types_by_extension() {
        assert_eq!(content_type("index.html"), "text/html; charset=utf-8");
        assert_eq!(
            content_type("assets/a-1.JS"),
            "text/javascript; charset=utf-8"
        );
        assert_eq!(content_type("assets/a-1.css"), "text/css; charset=utf-8");
        assert_eq!(content_type("favicon.svg"), "image/svg+xml");
        assert_eq!(content_type("fonts/x.woff2"), "font/woff2");
        assert_eq!(content_type("x.v1/README"), "application/octet-stream");
        assert_eq!(content_type("noextension"), "application/octet-stream");
        assert!(is_compressible("assets/a.js"));
        assert!(is_compressible("favicon.svg"));
        assert!(!is_compressible("logo.png"));
    }

    #[test]
    fn hashed_assets_are_immutable_and_the_rest_revalidates() {
        assert_eq!(
            cache_control("assets/index-1a2b.js"),
            "public, max-age=31536000, immutable"
        );
        assert_eq!(cache_control("index.html"), "no-cache");
        assert_eq!(cache_control("favicon.svg"), "no-cache");
        assert_eq!(cache_control("theme.js"), "no-cache");
    }

    #[test]
    fn negotiates_encodings_by_weight() {
        use Encoding::*;
        assert_eq!(accepted_encodings(None), vec![]);
        assert_eq!(accepted_encodings(Some("")), vec![]);
        assert_eq!(
            accepted_encodings(Some("gzip, deflate, br, zstd")),
            vec![Brotli, Gzip]
        );
        assert_eq!(accepted_encodings(Some("gzip")), vec![Gzip]);
        assert_eq!(
            accepted_encodings(Some("br;q=0.5, gzip")),
            vec![Gzip, Brotli]
        );
        assert_eq!(accepted_encodings(Some("br;q=0, gzip;q=0.1")), vec![Gzip]);
        assert_eq!(accepted_encodings(Some("*")), vec![Brotli, Gzip]);
        assert_eq!(accepted_encodings(Some("*;q=0")), vec![]);
        assert_eq!(accepted_encodings(Some("identity")), vec![]);
        assert_eq!(accepted_encodings(Some("BR ; Q=1")), vec![Brotli]);
        assert_eq!(accepted_encodings(Some("gzip;q=oops")), vec![]);
        assert_eq!(Brotli.suffix(), ".br");
        assert_eq!(Gzip.name(), "gzip");
    }

    #[test]
    fn etags_follow_the_bytes() {
        let a = etag(b"hello");
        assert_eq!(a, etag(b"hello"));
        assert_ne!(a, etag(b"hellp"));
        assert!(a.starts_with("\"5-") && a.ends_with('"'));
        assert!(if_none_match(&a, &a));
        assert!(if_none_match(&format!("\"x\", W/{a}"), &a));
        assert!(if_none_match("*", &a));
        assert!(!if_none_match("\"other\"", &a));
    }

    #[test]
    fn security_headers_forbid_inline_scripts_and_framing() {
        assert!(!CONTENT_SECURITY_POLICY.contains("unsafe"));
        assert!(CONTENT_SECURITY_POLICY.contains("frame-ancestors 'none'"));
        let names: Vec<&str> = SECURITY_HEADERS.iter().map(|(name, _)| *name).collect();
        for required in [
            "content-security-policy",
            "x-content-type-options",
            "referrer-policy",
        ] {
            assert!(names.contains(&required), "{required}");
        }
    }
}
