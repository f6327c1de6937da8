//! `allowed_outbound_hosts`: which addresses a component may reach.
//!
//! Entries look like Spin's: `scheme://host:port`, where the scheme, the host
//! and the port may each be `*`, the host may be `*.example.com`, and the port
//! may be left out for `http`/`https` (meaning the scheme's default port).

use anyhow::{Context, bail};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AllowedHost {
    scheme: Pattern,
    host: Pattern,
    port: Pattern,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Pattern {
    Any,
    Exact(String),
    /// `*.example.com`: any subdomain, stored as `.example.com`.
    Suffix(String),
}

impl Pattern {
    fn matches(&self, value: &str) -> bool {
        match self {
            Pattern::Any => true,
            Pattern::Exact(expected) => expected.eq_ignore_ascii_case(value),
            Pattern::Suffix(suffix) => value.to_ascii_lowercase().ends_with(suffix),
        }
    }
}

impl AllowedHost {
    pub fn parse(entry: &str) -> anyhow::Result<Self> {
        let (scheme, rest) = entry
            .split_once("://")
            .with_context(|| format!("allowed host `{entry}` needs a scheme, like `https://`"))?;
        let rest = rest.trim_end_matches('/');
        if rest.contains('/') {
            bail!("allowed host `{entry}` must not contain a path");
        }
        let (host, port) = match rest.rsplit_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (rest, None),
        };
        if host.is_empty() {
            bail!("allowed host `{entry}` has no host");
        }
        let port = match port {
            Some("*") => Pattern::Any,
            Some(port) => {
                let number: u16 = port
                    .parse()
                    .with_context(|| format!("allowed host `{entry}` has an invalid port"))?;
                Pattern::Exact(number.to_string())
            }
            None => match default_port(scheme) {
                Some(port) => Pattern::Exact(port.to_string()),
                None => bail!("allowed host `{entry}` needs a port for scheme `{scheme}`"),
            },
        };
        let host = if host == "*" {
            Pattern::Any
        } else if let Some(domain) = host.strip_prefix("*.") {
            Pattern::Suffix(format!(".{}", domain.to_ascii_lowercase()))
        } else {
            Pattern::Exact(host.to_owned())
        };
        let scheme = if scheme == "*" {
            Pattern::Any
        } else {
            Pattern::Exact(scheme.to_owned())
        };
        Ok(Self { scheme, host, port })
    }

    pub fn allows(&self, scheme: &str, host: &str, port: u16) -> bool {
        self.scheme.matches(scheme)
            && self.host.matches(host)
            && self.port.matches(&port.to_string())
    }
}

pub fn default_port(scheme: &str) -> Option<u16> {
    match scheme {
        "http" => Some(80),
        "https" => Some(443),
        "postgres" => Some(5432),
        _ => None,
    }
}

/// The parsed list for one component.
#[derive(Debug, Clone, Default)]
pub struct AllowedHosts(Vec<AllowedHost>);

impl AllowedHosts {
    pub fn parse(entries: &[String]) -> anyhow::Result<Self> {
        entries
            .iter()
            .map(|e| AllowedHost::parse(e))
            .collect::<anyhow::Result<_>>()
            .map(Self)
    }

    pub fn allows(&self, scheme: &str, host: &str, port: u16) -> bool {
        self.0
            .iter()
            .any(|allowed| allowed.allows(scheme, host, port))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hosts(entries: &[&str]) -> AllowedHosts {
        AllowedHosts::parse(&entries.iter().map(|e| e.to_string()).collect::<Vec<_>>()).unwrap()
    }

    #[test]
    fn exact_hosts_and_ports() {
        let allowed = hosts(&["postgres://127.0.0.1:5432", "https://api.openai.com"]);
        assert!(allowed.allows("postgres", "127.0.0.1", 5432));
        assert!(!allowed.allows("postgres", "127.0.0.1", 5433));
        assert!(allowed.allows("https", "API.openai.com", 443));
        assert!(!allowed.allows("http", "api.openai.com", 80));
    }

    #[test]
    fn wildcards() {
        let allowed = hosts(&["http://*:*", "https://*.example.com"]);
        assert!(allowed.allows("http", "localhost", 8080));
        assert!(allowed.allows("https", "a.example.com", 443));
        assert!(!allowed.allows("https", "example.com", 443));
    }

    #[test]
    fn rejects_malformed_entries() {
        for bad in [
            "127.0.0.1:5432",
            "mqtt://broker",
            "http://h:port",
            "https://h/path",
        ] {
            assert!(AllowedHost::parse(bad).is_err(), "{bad}");
        }
    }
}
