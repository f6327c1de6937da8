//! Which push services the app sends to. A subscription names its push
//! service by URL; accepting any URL would let anyone make the server send
//! requests where they like (server-side request forgery). So an endpoint is
//! taken only when its origin is on a list: the browsers' push services by
//! default, `push_allowed_origins` to change it.

use http::Uri;

/// The push services of Chrome, Edge and Opera (FCM), Firefox (Mozilla
/// autopush), Safari (Apple) and older Edge (WNS).
pub const DEFAULT_ALLOWED_ORIGINS: &str = "https://fcm.googleapis.com,https://updates.push.services.mozilla.com,https://*.push.apple.com,https://*.notify.windows.com";

/// The longest endpoint taken.
pub const MAX_ENDPOINT_LENGTH: usize = 2048;

#[derive(Debug, Clone, PartialEq, Eq)]
enum Host {
    Exact(String),
    /// `*.example.com`: any host under it (not the domain itself).
    Under(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Pattern {
    scheme: String,
    host: Host,
    port: u16,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AllowedOrigins(Vec<Pattern>);

/// An endpoint's parts, once it is known to be an allowed push service.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    pub url: String,
    /// `scheme://host[:port]`, the VAPID token's audience.
    pub origin: String,
}

fn default_port(scheme: &str) -> Option<u16> {
    match scheme {
        "https" => Some(443),
        "http" => Some(80),
        _ => None,
    }
}

impl AllowedOrigins {
    /// A comma-separated list of origins such as `https://fcm.googleapis.com`
    /// or `https://*.push.apple.com`; `http://` only where written out (a
    /// push service in a test).
    pub fn parse(list: &str) -> Result<Self, String> {
        let mut patterns = Vec::new();
        for entry in list.split(',').map(str::trim).filter(|e| !e.is_empty()) {
            let bad = || {
                format!(
                    "push_allowed_origins: `{entry}` is not an origin like https://fcm.googleapis.com"
                )
            };
            let (scheme, rest) = entry.split_once("://").ok_or_else(bad)?;
            let port_of = default_port(scheme).ok_or_else(bad)?;
            let rest = rest.trim_end_matches('/');
            if rest.is_empty() || rest.contains(['/', '@', '?', '#']) {
                return Err(bad());
            }
            let (host, port) = match rest.rsplit_once(':') {
                Some((host, port)) => (host, port.parse::<u16>().map_err(|_| bad())?),
                None => (rest, port_of),
            };
            let host = host.to_ascii_lowercase();
            let host = match host.strip_prefix("*.") {
                Some(domain) if !domain.is_empty() && !domain.contains('*') => {
                    Host::Under(format!(".{domain}"))
                }
                _ if host.is_empty() || host.contains('*') => return Err(bad()),
                _ => Host::Exact(host),
            };
            patterns.push(Pattern {
                scheme: scheme.to_owned(),
                host,
                port,
            });
        }
        if patterns.is_empty() {
            return Err("push_allowed_origins names no origin".into());
        }
        Ok(Self(patterns))
    }

    /// The endpoint, when it is an absolute URL on an allowed push service.
    pub fn check(&self, endpoint: &str) -> Result<Endpoint, &'static str> {
        const NOT_ALLOWED: &str = "must be the URL of a push service this server sends to";
        if endpoint.len() > MAX_ENDPOINT_LENGTH {
            return Err("must be at most 2048 characters");
        }
        if endpoint
            .bytes()
            .any(|b| b <= b' ' || b >= 0x7f || b == b'#')
        {
            return Err("must be a URL without spaces, fragments or non-ASCII characters");
        }
        let uri: Uri = endpoint.parse().map_err(|_| "must be a URL")?;
        let (Some(scheme), Some(authority)) = (uri.scheme_str(), uri.authority()) else {
            return Err("must be an absolute URL");
        };
        // No user information: `https://fcm.googleapis.com@elsewhere/`
        // names the host after the `@`.
        if authority.as_str().contains('@') {
            return Err(NOT_ALLOWED);
        }
        let host = authority.host().to_ascii_lowercase();
        let port = match authority.port_u16() {
            Some(port) => port,
            None => default_port(scheme).ok_or(NOT_ALLOWED)?,
        };
        let allowed = self.0.iter().any(|pattern| {
            pattern.scheme == scheme
                && pattern.port == port
                && match &pattern.host {
                    Host::Exact(exact) => *exact == host,
                    Host::Under(suffix) => {
                        host.ends_with(suffix.as_str()) && host.len() > suffix.len()
                    }
                }
        });
        if !allowed {
            return Err(NOT_ALLOWED);
        }
        let origin = if Some(port) == default_port(scheme) {
            format!("{scheme}://{host}")
        } else {
            format!("{scheme}://{host}:{port}")
        };
        Ok(Endpoint {
            url: endpoint.to_owned(),
            origin,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_browsers_push_services_are_allowed_by_default() {
        let allowed = AllowedOrigins::parse(DEFAULT_ALLOWED_ORIGINS).unwrap();
        for endpoint in [
            "https://fcm.googleapis.com/fcm/send/abc:APA91",
            "https://updates.push.services.mozilla.com/wpush/v2/gAAAA",
            "https://web.push.apple.com/QGuQyavX",
            "https://wns2-par02p.notify.windows.com/w/?token=BQYAAA",
        ] {
            let checked = allowed.check(endpoint).unwrap();
            assert!(checked.origin.starts_with("https://"), "{endpoint}");
            assert!(!checked.origin.ends_with(":443"), "{endpoint}");
        }
    }

    #[test]
    fn anything_else_is_refused() {
        let allowed = AllowedOrigins::parse(DEFAULT_ALLOWED_ORIGINS).unwrap();
        for endpoint in [
            "http://fcm.googleapis.com/fcm/send/abc",
            "https://fcm.googleapis.com:8443/fcm/send/abc",
            "https://fcm.googleapis.com@169.254.169.254/latest",
            "https://user:pw@fcm.googleapis.com/x",
            "https://push.apple.com/x",
            "https://evilpush.apple.com.attacker.net/x",
            "https://127.0.0.1/x",
            "https://localhost/x",
            "file:///etc/passwd",
            "/relative/path",
            "https://fcm.googleapis.com/a b",
            "https://fcm.googleapis.com/#fragment",
            "",
        ] {
            assert!(allowed.check(endpoint).is_err(), "{endpoint}");
        }
        let long = format!("https://fcm.googleapis.com/{}", "a".repeat(2100));
        assert!(allowed.check(&long).is_err());
    }

    #[test]
    fn a_test_service_is_allowed_only_where_written_out() {
        let allowed = AllowedOrigins::parse("http://127.0.0.1:9999").unwrap();
        let checked = allowed.check("http://127.0.0.1:9999/push/abc").unwrap();
        assert_eq!(checked.origin, "http://127.0.0.1:9999");
        assert!(allowed.check("http://127.0.0.1:9998/push/abc").is_err());
        for bad in [
            "",
            "fcm.googleapis.com",
            "ftp://x",
            "https://*",
            "https://a/b",
            "https://x:port",
        ] {
            assert!(AllowedOrigins::parse(bad).is_err(), "{bad}");
        }
    }
}
