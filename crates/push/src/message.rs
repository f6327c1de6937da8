//! One push message (RFC 8030 section 5): the payload encrypted for the
//! browser (RFC 8291, `aes128gcm`), signed for the push service (VAPID).

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use taskspin_outbound::Post;

use crate::settings::PushSettings;

/// A push service takes at most 4096 bytes of encrypted payload (RFC 8291
/// section 4): the plaintext must leave room for the header and the tag.
pub const MAX_PAYLOAD_BYTES: usize = 3800;

/// Where and how to reach one browser.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recipient {
    pub endpoint: String,
    pub p256dh: String,
    pub auth: String,
}

/// How the push service should treat the message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Delivery {
    /// Seconds the push service keeps it for an offline browser.
    pub ttl: u32,
    /// `high` wakes a phone at once; `normal` may wait.
    pub urgent: bool,
}

/// The POST that delivers `payload` to `to`, at Unix time `now`.
pub fn request(
    settings: &PushSettings,
    to: &Recipient,
    payload: &[u8],
    delivery: Delivery,
    now: u64,
) -> Result<Post, String> {
    if payload.len() > MAX_PAYLOAD_BYTES {
        return Err(format!(
            "the payload is {} bytes, over {MAX_PAYLOAD_BYTES}",
            payload.len()
        ));
    }
    let endpoint = settings
        .allowed
        .check(&to.endpoint)
        .map_err(|reason| format!("the endpoint {reason}"))?;
    let key = URL_SAFE_NO_PAD
        .decode(&to.p256dh)
        .ok()
        .and_then(|bytes| p256::PublicKey::from_sec1_bytes(&bytes).ok())
        .ok_or("the browser's key is not a P-256 public key")?;
    let auth = URL_SAFE_NO_PAD
        .decode(&to.auth)
        .ok()
        .filter(|bytes| bytes.len() == 16)
        .ok_or("the browser's secret is not 16 bytes")?;
    let auth = web_push_native::Auth::clone_from_slice(&auth);
    let body = web_push_native::encrypt(payload.to_vec(), &key, &auth)
        .map_err(|e| format!("encrypting the payload: {e}"))?;
    let authorization = settings.keys.authorization(
        &endpoint.origin,
        &settings.subject,
        now + crate::vapid::TOKEN_LIFETIME_SECONDS,
    );
    Ok(Post {
        url: endpoint.url,
        headers: vec![
            ("content-type".into(), "application/octet-stream".into()),
            ("content-encoding".into(), "aes128gcm".into()),
            ("ttl".into(), delivery.ttl.to_string()),
            (
                "urgency".into(),
                if delivery.urgent { "high" } else { "normal" }.into(),
            ),
            ("authorization".into(), authorization),
        ],
        body,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::origins::AllowedOrigins;
    use crate::vapid::KeyPair;
    use p256::elliptic_curve::sec1::ToEncodedPoint;

    #[test]
    fn the_browser_decrypts_what_is_sent() {
        let settings = PushSettings {
            keys: KeyPair::generate(),
            subject: "mailto:ops@example.com".into(),
            allowed: AllowedOrigins::parse("http://127.0.0.1:9000").unwrap(),
            timeout: std::time::Duration::from_secs(1),
        };
        let browser = p256::SecretKey::random(&mut rand_core::OsRng);
        let secret = [9u8; 16];
        let to = Recipient {
            endpoint: "http://127.0.0.1:9000/push/1".into(),
            p256dh: URL_SAFE_NO_PAD.encode(browser.public_key().to_encoded_point(false).as_bytes()),
            auth: URL_SAFE_NO_PAD.encode(secret),
        };
        let post = request(
            &settings,
            &to,
            br#"{"title":"Hi"}"#,
            Delivery {
                ttl: 60,
                urgent: true,
            },
            1_900_000_000,
        )
        .unwrap();
        let plain = web_push_native::decrypt(
            post.body.clone(),
            &browser,
            &web_push_native::Auth::clone_from_slice(&secret),
        )
        .unwrap();
        assert_eq!(plain, br#"{"title":"Hi"}"#);
        let header = |name: &str| {
            post.headers
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, v)| v.as_str())
        };
        assert_eq!(header("content-encoding"), Some("aes128gcm"));
        assert_eq!(header("ttl"), Some("60"));
        assert!(header("authorization").unwrap().starts_with("vapid t="));

        let elsewhere = Recipient {
            endpoint: "http://127.0.0.1:9001/push/1".into(),
            ..to.clone()
        };
        assert!(
            request(
                &settings,
                &elsewhere,
                b"{}",
                Delivery {
                    ttl: 1,
                    urgent: false
                },
                0
            )
            .is_err()
        );
        let big = vec![b'a'; MAX_PAYLOAD_BYTES + 1];
        assert!(
            request(
                &settings,
                &to,
                &big,
                Delivery {
                    ttl: 1,
                    urgent: false
                },
                0
            )
            .is_err()
        );
    }
}
