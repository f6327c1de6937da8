//! The browsers a person gets notifications on: one subscription per
//! browser (its push service endpoint and keys), listed as devices.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::{Deserialize, Serialize};
use taskspin_db::{Db, ParameterValue, Row};
use taskspin_domain::{Errors, FieldError};

use crate::origins::AllowedOrigins;

/// The most browsers one person keeps subscribed.
pub const MAX_DEVICES: i64 = 20;

/// What `PushSubscription.toJSON()` gives in the browser, and a name for it.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct NewSubscription {
    /// The push service's URL for this browser.
    #[schema(
        max_length = 2048,
        example = "https://fcm.googleapis.com/fcm/send/c1KrmpTuRm"
    )]
    pub endpoint: String,
    /// When the push service ends the subscription (milliseconds since the
    /// epoch), if it says.
    #[serde(default, rename = "expirationTime")]
    #[schema(value_type = Option<f64>)]
    pub expiration_time: Option<serde_json::Value>,
    pub keys: SubscriptionKeys,
    /// How the person will recognise it, such as "Firefox on Android".
    #[serde(default)]
    #[schema(max_length = 100, example = "Chromium on Linux")]
    pub device: Option<String>,
}

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct SubscriptionKeys {
    /// The browser's P-256 public key, uncompressed, URL-safe base64.
    pub p256dh: String,
    /// The browser's 16-byte authentication secret, URL-safe base64.
    pub auth: String,
}

/// A browser that gets notifications.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Subscription {
    pub id: i64,
    pub endpoint: String,
    pub device: String,
    #[schema(format = DateTime)]
    pub created_at: String,
    /// When a notification last reached its push service.
    #[schema(format = DateTime)]
    pub last_sent_at: Option<String>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SubscriptionList {
    pub subscriptions: Vec<Subscription>,
}

/// The server's public key, for `pushManager.subscribe`.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PushKey {
    /// `applicationServerKey`: the VAPID public key, URL-safe base64.
    pub public_key: String,
}

const COLUMNS: &str = "id, endpoint, device, rfc3339(created_at) AS created_at, rfc3339(last_sent_at) AS last_sent_at";

impl Subscription {
    fn from_row(row: &Row<'_>) -> taskspin_db::Result<Self> {
        Ok(Self {
            id: row.get("id")?,
            endpoint: row.get("endpoint")?,
            device: row.get("device")?,
            created_at: row.get("created_at")?,
            last_sent_at: row.get("last_sent_at")?,
        })
    }
}

fn key_bytes(text: &str, length: usize) -> Result<Vec<u8>, String> {
    URL_SAFE_NO_PAD
        .decode(text.trim_end_matches('='))
        .ok()
        .filter(|bytes| bytes.len() == length)
        .ok_or_else(|| format!("must be {length} bytes in URL-safe base64"))
}

/// A subscription as stored, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checked {
    pub endpoint: String,
    pub p256dh: String,
    pub auth: String,
    pub device: String,
}

impl NewSubscription {
    pub fn check(&self, allowed: &AllowedOrigins) -> Result<Checked, Vec<FieldError>> {
        let mut errors = Errors::default();
        let endpoint = errors.check(
            "endpoint",
            allowed
                .check(&self.endpoint)
                .map(|endpoint| endpoint.url)
                .map_err(str::to_owned),
        );
        let p256dh = errors.check(
            "keys.p256dh",
            key_bytes(&self.keys.p256dh, 65).and_then(|bytes| {
                p256::PublicKey::from_sec1_bytes(&bytes)
                    .map(|_| URL_SAFE_NO_PAD.encode(&bytes))
                    .map_err(|_| "must be a P-256 public key".to_owned())
            }),
        );
        let auth = errors.check(
            "keys.auth",
            key_bytes(&self.keys.auth, 16).map(|bytes| URL_SAFE_NO_PAD.encode(bytes)),
        );
        let device = errors.check("device", device_name(self.device.as_deref()));
        let checked = match (endpoint, p256dh, auth, device) {
            (Some(endpoint), Some(p256dh), Some(auth), Some(device)) => Some(Checked {
                endpoint,
                p256dh,
                auth,
                device,
            }),
            _ => None,
        };
        errors.finish(checked)
    }
}

fn device_name(raw: Option<&str>) -> Result<String, String> {
    let name = raw
        .map(str::trim)
        .filter(|name| !name.is_empty())
        .unwrap_or("A browser");
    if name.chars().count() > 100 {
        return Err("must be at most 100 characters".into());
    }
    if name.chars().any(char::is_control) {
        return Err("must not contain control characters".into());
    }
    Ok(name.to_owned())
}

/// Why a subscription was not saved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    TooManyDevices,
}

/// The user's subscriptions.
pub struct Subscriptions<'a> {
    db: &'a Db,
    user_id: &'a str,
}

impl<'a> Subscriptions<'a> {
    pub fn new(db: &'a Db, user_id: &'a str) -> Self {
        Self { db, user_id }
    }

    fn user(&self) -> ParameterValue {
        ParameterValue::Uuid(self.user_id.to_owned())
    }

    pub fn list(&self) -> taskspin_db::Result<Vec<Subscription>> {
        self.db
            .query(
                &format!("SELECT {COLUMNS} FROM push_subscriptions WHERE user_id = $1 ORDER BY id"),
                &[self.user()],
            )?
            .map(Subscription::from_row)
    }

    /// Saves the browser's subscription; `true` when it is new. The same
    /// browser subscribing again updates its row. A browser another account
    /// subscribed before becomes this user's with a new row: what was queued
    /// for the other account goes with the old one.
    pub fn save(
        &self,
        checked: &Checked,
    ) -> taskspin_db::Result<Result<(Subscription, bool), Refusal>> {
        let endpoint = ParameterValue::Str(checked.endpoint.clone());
        self.db.transaction(|db| {
            // One person's subscribes one after another, so the cap holds.
            db.execute(
                "SELECT 1 FROM users WHERE id = $1 FOR UPDATE",
                &[self.user()],
            )?;
            db.execute(
                "DELETE FROM push_subscriptions WHERE endpoint = $1 AND user_id <> $2",
                &[endpoint.clone(), self.user()],
            )?;
            let rows = db.query(
                &format!(
                    "WITH mine AS (SELECT count(*) AS n FROM push_subscriptions WHERE user_id = $1 AND endpoint <> $2)
                     INSERT INTO push_subscriptions (user_id, endpoint, p256dh, auth, device)
                     SELECT $1, $2, $3, $4, $5 FROM mine WHERE mine.n < $6
                     ON CONFLICT (endpoint) DO UPDATE SET p256dh = EXCLUDED.p256dh, auth = EXCLUDED.auth,
                         device = EXCLUDED.device
                     RETURNING {COLUMNS}, (xmax = 0) AS inserted"
                ),
                &[
                    self.user(),
                    endpoint,
                    ParameterValue::Str(checked.p256dh.clone()),
                    ParameterValue::Str(checked.auth.clone()),
                    ParameterValue::Str(checked.device.clone()),
                    ParameterValue::Int64(MAX_DEVICES),
                ],
            )?;
            Ok(match rows.first() {
                Some(row) => Ok((Subscription::from_row(&row)?, row.get("inserted")?)),
                None => Err(Refusal::TooManyDevices),
            })
        })
    }

    /// False when the user has no such subscription.
    pub fn remove(&self, id: i64) -> taskspin_db::Result<bool> {
        Ok(self.db.execute(
            "DELETE FROM push_subscriptions WHERE id = $1 AND user_id = $2",
            &[ParameterValue::Int64(id), self.user()],
        )? > 0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn browser_keys() -> SubscriptionKeys {
        let secret = p256::SecretKey::random(&mut rand_core::OsRng);
        use p256::elliptic_curve::sec1::ToEncodedPoint;
        SubscriptionKeys {
            p256dh: URL_SAFE_NO_PAD.encode(secret.public_key().to_encoded_point(false).as_bytes()),
            auth: URL_SAFE_NO_PAD.encode([7u8; 16]),
        }
    }

    fn allowed() -> AllowedOrigins {
        AllowedOrigins::parse(crate::origins::DEFAULT_ALLOWED_ORIGINS).unwrap()
    }

    #[test]
    fn a_browsers_subscription_is_checked_field_by_field() {
        let good = NewSubscription {
            endpoint: "https://fcm.googleapis.com/fcm/send/abc".into(),
            expiration_time: None,
            keys: browser_keys(),
            device: Some("  Chromium on Linux ".into()),
        };
        let checked = good.check(&allowed()).unwrap();
        assert_eq!(checked.device, "Chromium on Linux");

        let bad = NewSubscription {
            endpoint: "https://169.254.169.254/latest/meta-data".into(),
            expiration_time: None,
            keys: SubscriptionKeys {
                p256dh: URL_SAFE_NO_PAD.encode([4u8; 65]),
                auth: "short".into(),
            },
            device: Some("x".repeat(101)),
        };
        let fields: Vec<String> = bad
            .check(&allowed())
            .unwrap_err()
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(fields, ["endpoint", "keys.p256dh", "keys.auth", "device"]);
    }
}
