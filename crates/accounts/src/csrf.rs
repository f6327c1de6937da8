//! Cross-site request forgery: a state-changing request that a session
//! cookie authenticates must come from the app's own origin. Browsers say
//! where a request comes from in `Sec-Fetch-Site` (or, older ones, `Origin`);
//! a request with neither header is not a browser's cross-site request.
//! Bearer tokens are never sent by a browser on its own, so they are exempt.

use spin_sdk::http::{Method, Request};

pub fn is_state_changing(request: &Request) -> bool {
    !matches!(
        request.method(),
        Method::Get | Method::Head | Method::Options
    )
}

pub fn from_own_origin(request: &Request) -> bool {
    let header = |name| request.header(name).and_then(|v| v.as_str());
    if let Some(site) = header("sec-fetch-site") {
        return site == "same-origin" || site == "none";
    }
    let Some(origin) = header("origin") else {
        return true;
    };
    let authority = |url: &str| {
        url.split_once("://")
            .map(|(_, rest)| rest.split('/').next().unwrap_or(rest).to_owned())
    };
    // The runtime may withhold `Host` (a forbidden header in wasi:http); Spin
    // always passes the URL the request was made to.
    let own = header("host")
        .map(str::to_owned)
        .or_else(|| header("spin-full-url").and_then(authority));
    own.is_some_and(|own| authority(origin).is_some_and(|origin| origin.eq_ignore_ascii_case(&own)))
}
