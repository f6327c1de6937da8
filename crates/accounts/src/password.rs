//! Argon2id password hashes in PHC string form.
//!
//! Parameters: 19 MiB of memory, 2 passes, 1 lane (OWASP's minimum for
//! Argon2id). Inside a component one hash costs tens of milliseconds; the
//! README gives the measured figure.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};

const MEMORY_KIB: u32 = 19 * 1024;
const PASSES: u32 = 2;
const LANES: u32 = 1;

fn argon2() -> Argon2<'static> {
    let params = Params::new(MEMORY_KIB, PASSES, LANES, None).unwrap_or_default();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

pub fn hash(password: &str) -> Result<String, String> {
    let salt =
        SaltString::encode_b64(&crate::secret::random_bytes::<16>()).map_err(|e| e.to_string())?;
    argon2()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| e.to_string())
}

pub fn verify(password: &str, stored: &str) -> bool {
    PasswordHash::new(stored).is_ok_and(|parsed| {
        argon2()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok()
    })
}

/// A well-formed hash of no one's password.
const NOBODY: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$T2S1jLi5s9q0v1cXH2bq6Q1kX9wQ3oZP2e3W7mA5u1w";

/// Spends the time of one verification without an account, so a sign-in
/// for an unknown email takes as long as one with a wrong password.
pub fn verify_nobody(password: &str) {
    let _ = verify(password, NOBODY);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_verify_and_differ() {
        let first = hash("correct horse").unwrap();
        let second = hash("correct horse").unwrap();
        assert_ne!(first, second, "salted");
        assert!(first.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        assert!(verify("correct horse", &first));
        assert!(!verify("wrong horse", &first));
        assert!(!verify("correct horse", "not a hash"));
        assert!(
            PasswordHash::new(NOBODY).is_ok(),
            "verify_nobody must do the real work"
        );
    }
}
