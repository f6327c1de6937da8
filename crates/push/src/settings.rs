//! Push settings from Spin variables.

use std::time::Duration;

use crate::origins::AllowedOrigins;
use crate::vapid::KeyPair;

/// What sending needs. Push is off (no settings) until both VAPID keys are set.
#[derive(Debug, Clone)]
pub struct PushSettings {
    pub keys: KeyPair,
    /// The sender's contact, `mailto:` or `https:` (RFC 8292 section 2.1).
    pub subject: String,
    pub allowed: AllowedOrigins,
    /// How long a pass waits for push services.
    pub timeout: Duration,
}

impl PushSettings {
    /// Reads `vapid_public_key`, `vapid_private_key`, `vapid_subject`,
    /// `push_allowed_origins` and `push_timeout_ms` through `get`.
    pub fn from_lookup(
        get: impl Fn(&str) -> Result<String, String>,
    ) -> Result<Option<Self>, String> {
        let private_key = get("vapid_private_key")?;
        let public_key = get("vapid_public_key")?;
        if private_key.trim().is_empty() && public_key.trim().is_empty() {
            return Ok(None);
        }
        let keys = KeyPair::from_keys(&private_key, &public_key)?;
        let subject = get("vapid_subject")?.trim().to_owned();
        if !(subject.starts_with("mailto:") || subject.starts_with("https://")) {
            return Err(format!(
                "vapid_subject must be a mailto: or https: URL, not {subject:?}"
            ));
        }
        let timeout_ms: u64 = get("push_timeout_ms")?
            .trim()
            .parse()
            .ok()
            .filter(|ms| (1..=60_000).contains(ms))
            .ok_or("push_timeout_ms must be a number of milliseconds from 1 to 60000")?;
        Ok(Some(Self {
            keys,
            subject,
            allowed: AllowedOrigins::parse(&get("push_allowed_origins")?)?,
            timeout: Duration::from_millis(timeout_ms),
        }))
    }

    /// The same, from the component's Spin variables.
    pub fn from_variables() -> Result<Option<Self>, String> {
        Self::from_lookup(|name| spin_sdk::variables::get(name).map_err(|e| format!("{name}: {e}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lookup(values: Vec<(&'static str, String)>) -> impl Fn(&str) -> Result<String, String> {
        move |name| {
            values
                .iter()
                .find(|(key, _)| *key == name)
                .map(|(_, value)| value.clone())
                .ok_or_else(|| format!("no variable {name}"))
        }
    }

    fn with_keys(subject: &str, timeout: &str) -> Vec<(&'static str, String)> {
        let pair = KeyPair::generate();
        vec![
            ("vapid_private_key", pair.private_key()),
            ("vapid_public_key", pair.public_key().to_owned()),
            ("vapid_subject", subject.to_owned()),
            (
                "push_allowed_origins",
                crate::origins::DEFAULT_ALLOWED_ORIGINS.to_owned(),
            ),
            ("push_timeout_ms", timeout.to_owned()),
        ]
    }

    #[test]
    fn push_is_off_without_keys_and_checked_with_them() {
        let off = vec![
            ("vapid_private_key", String::new()),
            ("vapid_public_key", String::new()),
        ];
        assert!(PushSettings::from_lookup(lookup(off)).unwrap().is_none());
        let on = PushSettings::from_lookup(lookup(with_keys("mailto:ops@example.com", "5000")))
            .unwrap()
            .unwrap();
        assert_eq!(on.timeout, Duration::from_secs(5));
        assert!(PushSettings::from_lookup(lookup(with_keys("ops@example.com", "5000"))).is_err());
        assert!(PushSettings::from_lookup(lookup(with_keys("mailto:a@b", "0"))).is_err());
        let half = vec![
            ("vapid_private_key", String::new()),
            ("vapid_public_key", "BAAA".into()),
        ];
        assert!(PushSettings::from_lookup(lookup(half)).is_err());
    }
}
