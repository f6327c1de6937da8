//! What a valid account is.

use crate::zone::Zone;

use chrono::Weekday;

pub const PASSWORD_MIN_CHARS: usize = 8;
pub const PASSWORD_MAX_CHARS: usize = 128;

/// Trimmed, at most 254 characters, one `@` between a local part and a
/// domain with a dot, no whitespace. Deliverability is the mail server's call.
pub fn email(raw: &str) -> Result<String, String> {
    let email = raw.trim();
    let shaped = email.split_once('@').is_some_and(|(local, domain)| {
        !local.is_empty()
            && domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains('@')
    });
    if email.chars().count() > 254 || !shaped || email.chars().any(char::is_whitespace) {
        return Err("must be an email address like name@example.com".into());
    }
    Ok(email.to_owned())
}

/// The key an email is unique and throttled by.
pub fn email_key(email: &str) -> String {
    email.trim().to_lowercase()
}

pub fn password(raw: &str) -> Result<&str, String> {
    let chars = raw.chars().count();
    if !(PASSWORD_MIN_CHARS..=PASSWORD_MAX_CHARS).contains(&chars) {
        return Err(format!(
            "must be {PASSWORD_MIN_CHARS} to {PASSWORD_MAX_CHARS} characters"
        ));
    }
    Ok(raw)
}

/// A person's display name, or the name of one of their tokens: one line.
pub fn name(raw: &str) -> Result<String, String> {
    let name = raw.trim();
    if name.is_empty() || name.chars().count() > 100 || name.chars().any(char::is_control) {
        return Err("must be 1 to 100 characters, without control characters".into());
    }
    Ok(name.to_owned())
}

/// An IANA time zone name, such as `Europe/Berlin` or `UTC`.
pub fn time_zone(raw: &str) -> Result<Zone, String> {
    Zone::named(raw.trim()).ok_or_else(|| "must be an IANA time zone such as Europe/Berlin".into())
}

/// 0 = Sunday ... 6 = Saturday, as stored.
pub fn week_start(day: i16) -> Result<Weekday, String> {
    // chrono counts from Monday (0 = Monday ... 6 = Sunday).
    u8::try_from(day)
        .ok()
        .filter(|day| *day <= 6)
        .and_then(|day| Weekday::try_from((day + 6) % 7).ok())
        .ok_or_else(|| "must be 0 (Sunday) to 6 (Saturday)".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails() {
        assert_eq!(email("  Ann@Example.org ").unwrap(), "Ann@Example.org");
        for bad in [
            "",
            "ann",
            "ann@",
            "@example.org",
            "ann@example",
            "a b@example.org",
            "ann@.org",
            "a@b@c.org",
        ] {
            assert!(email(bad).is_err(), "{bad}");
        }
        assert_eq!(email_key(" Ann@Example.ORG"), "ann@example.org");
    }

    #[test]
    fn passwords_names_and_zones() {
        assert!(password("short").is_err());
        assert!(password(&"x".repeat(129)).is_err());
        assert!(password("correct horse").is_ok());
        assert!(name("  ").is_err());
        assert!(name("two\nlines").is_err());
        assert_eq!(name(" Ann ").unwrap(), "Ann");
        assert!(time_zone("Mars/Olympus").is_err());
        assert_eq!(
            time_zone("Europe/Berlin").unwrap(),
            crate::zone::known::Berlin
        );
        assert_eq!(week_start(1).unwrap(), Weekday::Mon);
        assert_eq!(week_start(0).unwrap(), Weekday::Sun);
        assert_eq!(week_start(6).unwrap(), Weekday::Sat);
        assert!(week_start(-1).is_err());
        assert!(week_start(7).is_err());
    }
}
