//! The web component serving frontend/dist through the host: content types,
//! caching, pre-compressed files, the single-page-app fallback, real 404s,
//! API paths never answered with the app, security headers on every answer.
//! Needs the built frontend (`make build` runs `npm run build`).

use reqwest::{Client, Method, StatusCode};
use taskspin_testkit::{TestApp, workspace_root};

/// A client that sends no Accept-Encoding of its own and follows no redirect.
fn raw_client() -> Client {
    Client::builder()
        .no_gzip()
        .no_brotli()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

/// The hashed name of the first built asset ending in `suffix`.
fn asset(suffix: &str) -> String {
    let dir = workspace_root().join("frontend/dist/assets");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}; build the frontend first", dir.display()))
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(suffix))
        .collect();
    names.sort();
    names.into_iter().next().expect("an asset")
}

fn header<'a>(response: &'a reqwest::Response, name: &str) -> &'a str {
    response
        .headers()
        .get(name)
        .map(|v| v.to_str().unwrap())
        .unwrap_or("")
}

fn assert_security_headers(response: &reqwest::Response) {
    let csp = header(response, "content-security-policy");
    assert!(csp.contains("script-src 'self'"), "{csp}");
    assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
    assert!(!csp.contains("unsafe-inline"), "{csp}");
    assert_eq!(header(response, "x-content-type-options"), "nosniff");
    assert!(!header(response, "referrer-policy").is_empty());
}

#[tokio::test]
async fn serves_the_app_its_assets_and_real_404s() {
    let app = TestApp::spawn().await;
    let http = raw_client();

    // The entry page: HTML, never cached without revalidation.
    let index = http.get(app.url("/")).send().await.unwrap();
    assert_eq!(index.status(), 200);
    assert_eq!(header(&index, "content-type"), "text/html; charset=utf-8");
    assert_eq!(header(&index, "cache-control"), "no-cache");
    assert_security_headers(&index);
    let etag = header(&index, "etag").to_owned();
    assert!(etag.starts_with('"'), "{etag}");
    let html = index.text().await.unwrap();
    assert!(html.contains("<div id=\"root\">"));
    assert!(!html.contains("<script>"), "no inline script: {html}");

    // Revalidation answers 304 without a body.
    let again = http
        .get(app.url("/"))
        .header("if-none-match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), StatusCode::NOT_MODIFIED);

    // Client routes get the app; a file-like path that does not exist is a 404.
    for route in ["/settings", "/signin?next=%2F", "/some/deep/route"] {
        let page = http.get(app.url(route)).send().await.unwrap();
        assert_eq!(page.status(), 200, "{route}");
        assert_eq!(header(&page, "content-type"), "text/html; charset=utf-8");
        assert_eq!(page.text().await.unwrap(), html, "{route}");
    }
    for missing in ["/assets/nope-123.js", "/favicon.png", "/robots.txt"] {
        let response = http.get(app.url(missing)).send().await.unwrap();
        assert_eq!(response.status(), 404, "{missing}");
        assert_eq!(
            header(&response, "content-type"),
            "application/problem+json"
        );
        assert_security_headers(&response);
    }

    // API paths without an endpoint are API 404s, not the app.
    for api in ["/api", "/api/nothing-here", "/api/tasks-typo/x"] {
        let response = http.get(app.url(api)).send().await.unwrap();
        assert_eq!(response.status(), 404, "{api}");
        assert_eq!(
            header(&response, "content-type"),
            "application/problem+json",
            "{api}"
        );
    }
    // Real endpoints still win over the web component's /... route.
    let health = http.get(app.url("/health")).send().await.unwrap();
    assert_eq!(health.status(), 200);
    assert_eq!(header(&health, "content-type"), "application/json");

    // Paths that try to leave the mounted folder.
    for bad in ["/%2e%2e/Cargo.toml", "/assets/..%2f..%2fspin.toml"] {
        let response = http.get(app.url(bad)).send().await.unwrap();
        assert_eq!(response.status(), 404, "{bad}");
    }

    // Only GET and HEAD.
    let post = http.post(app.url("/")).send().await.unwrap();
    assert_eq!(post.status(), 405);
    assert_eq!(header(&post, "allow"), "GET, HEAD");
}

#[tokio::test]
async fn hashed_assets_are_immutable_and_served_precompressed() {
    let app = TestApp::spawn().await;
    let http = raw_client();
    let script = format!("/assets/{}", asset(".js"));
    let original =
        std::fs::read(workspace_root().join("frontend/dist").join(&script[1..])).unwrap();

    let plain = http.get(app.url(&script)).send().await.unwrap();
    assert_eq!(plain.status(), 200);
    assert_eq!(
        header(&plain, "content-type"),
        "text/javascript; charset=utf-8"
    );
    assert_eq!(
        header(&plain, "cache-control"),
        "public, max-age=31536000, immutable"
    );
    assert_eq!(header(&plain, "vary"), "Accept-Encoding");
    assert_eq!(header(&plain, "content-encoding"), "");
    assert_security_headers(&plain);
    assert_eq!(plain.bytes().await.unwrap().as_ref(), original.as_slice());

    for (accept, encoding, suffix) in [
        ("gzip, deflate, br", "br", ".br"),
        ("gzip", "gzip", ".gz"),
        ("br;q=0, gzip", "gzip", ".gz"),
    ] {
        let response = http
            .get(app.url(&script))
            .header("accept-encoding", accept)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200, "{accept}");
        assert_eq!(header(&response, "content-encoding"), encoding, "{accept}");
        assert_eq!(header(&response, "vary"), "Accept-Encoding");
        let compressed =
            std::fs::read(workspace_root().join(format!("frontend/dist{script}{suffix}"))).unwrap();
        assert_eq!(
            response.bytes().await.unwrap().as_ref(),
            compressed.as_slice()
        );
    }

    let css = http
        .get(app.url(&format!("/assets/{}", asset(".css"))))
        .send()
        .await
        .unwrap();
    assert_eq!(header(&css, "content-type"), "text/css; charset=utf-8");

    // HEAD: the headers of GET, no body.
    let head = http
        .request(Method::HEAD, app.url(&script))
        .header("accept-encoding", "br")
        .send()
        .await
        .unwrap();
    assert_eq!(head.status(), 200);
    assert_eq!(header(&head, "content-encoding"), "br");
    assert!(head.bytes().await.unwrap().is_empty());
}
