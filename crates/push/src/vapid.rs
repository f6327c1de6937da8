//! VAPID (RFC 8292): the application server's key pair, and the signed
//! token (a JWT with ES256, RFC 7515) that tells a push service who sends.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use p256::ecdsa::signature::Signer;
use p256::ecdsa::{Signature, SigningKey};

/// How long a token is good for: RFC 8292 allows at most 24 hours.
pub const TOKEN_LIFETIME_SECONDS: u64 = 12 * 60 * 60;

/// The server's key pair.
#[derive(Clone)]
pub struct KeyPair {
    signing: SigningKey,
    /// The public key as browsers take it (`applicationServerKey`): the
    /// uncompressed point, URL-safe base64.
    public: String,
}

impl std::fmt::Debug for KeyPair {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KeyPair")
            .field("public", &self.public)
            .finish_non_exhaustive()
    }
}

impl KeyPair {
    pub fn generate() -> Self {
        Self::from_signing(SigningKey::random(&mut rand_core::OsRng))
    }

    fn from_signing(signing: SigningKey) -> Self {
        let point = signing.verifying_key().to_encoded_point(false);
        let public = URL_SAFE_NO_PAD.encode(point.as_bytes());
        Self { signing, public }
    }

    /// Reads the pair from its variables: the private key (the 32-byte
    /// scalar, URL-safe base64) and the public key, which must belong to it.
    pub fn from_keys(private_key: &str, public_key: &str) -> Result<Self, String> {
        let scalar = URL_SAFE_NO_PAD
            .decode(private_key.trim().trim_end_matches('='))
            .ok()
            .filter(|bytes| bytes.len() == 32)
            .ok_or("vapid_private_key must be 32 bytes in URL-safe base64 (make vapid-keys)")?;
        let signing = SigningKey::from_slice(&scalar)
            .map_err(|_| "vapid_private_key is not a P-256 private key")?;
        let pair = Self::from_signing(signing);
        if pair.public != public_key.trim().trim_end_matches('=') {
            return Err("vapid_public_key does not belong to vapid_private_key".into());
        }
        Ok(pair)
    }

    pub fn public_key(&self) -> &str {
        &self.public
    }

    pub fn private_key(&self) -> String {
        URL_SAFE_NO_PAD.encode(self.signing.to_bytes())
    }

    /// The `Authorization` header for a push to `audience` (the push
    /// resource's origin, port included), good until `expires` (Unix seconds).
    pub fn authorization(&self, audience: &str, subject: &str, expires: u64) -> String {
        let header = URL_SAFE_NO_PAD.encode(br#"{"typ":"JWT","alg":"ES256"}"#);
        let claims = serde_json::json!({ "aud": audience, "exp": expires, "sub": subject });
        let claims = URL_SAFE_NO_PAD.encode(claims.to_string());
        let signing_input = format!("{header}.{claims}");
        // ES256: ECDSA over SHA-256, the signature as r || s (RFC 7518 3.4).
        let signature: Signature = self.signing.sign(signing_input.as_bytes());
        let signature = URL_SAFE_NO_PAD.encode(signature.to_bytes());
        format!("vapid t={signing_input}.{signature}, k={}", self.public)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use p256::ecdsa::VerifyingKey;
    use p256::ecdsa::signature::Verifier;

    #[test]
    fn the_pair_reads_back_and_a_wrong_public_key_is_refused() {
        let pair = KeyPair::generate();
        let again = KeyPair::from_keys(&pair.private_key(), pair.public_key()).unwrap();
        assert_eq!(again.public_key(), pair.public_key());
        let other = KeyPair::generate();
        assert!(KeyPair::from_keys(&pair.private_key(), other.public_key()).is_err());
        assert!(KeyPair::from_keys("short", pair.public_key()).is_err());
    }

    #[test]
    fn the_token_is_an_es256_jwt_for_the_audience() {
        let pair = KeyPair::generate();
        let header = pair.authorization(
            "http://127.0.0.1:8080",
            "mailto:a@example.com",
            1_900_000_000,
        );
        let (token, key) = header
            .strip_prefix("vapid t=")
            .and_then(|rest| rest.split_once(", k="))
            .unwrap();
        assert_eq!(key, pair.public_key());
        let parts: Vec<&str> = token.split('.').collect();
        assert_eq!(parts.len(), 3);
        let claims: serde_json::Value =
            serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[1]).unwrap()).unwrap();
        assert_eq!(claims["aud"], "http://127.0.0.1:8080");
        assert_eq!(claims["exp"], 1_900_000_000);
        let point = URL_SAFE_NO_PAD.decode(key).unwrap();
        let verifying = VerifyingKey::from_sec1_bytes(&point).unwrap();
        let signature = Signature::from_slice(&URL_SAFE_NO_PAD.decode(parts[2]).unwrap()).unwrap();
        let input = format!("{}.{}", parts[0], parts[1]);
        verifying.verify(input.as_bytes(), &signature).unwrap();
    }
}
