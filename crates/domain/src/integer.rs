//! Integers in JSON bodies as JSON Schema counts them: `5` and `5.0` are the
//! same integer (the API's OpenAPI document says `type: integer`, and a
//! client that writes every number as a float must not be refused). Anything
//! with a fraction, beyond ±(2^53 - 1) (the integers every JSON reader keeps
//! exactly; beyond them `-9223372036854775809` reads as `i64::MIN`), or out of
//! the field's range, is refused.
//!
//! Use with `#[serde(deserialize_with = "taskspin_domain::integer::exact")]`,
//! or `::optional` and `::list` for `Option<T>` and `Vec<T>`.

use std::fmt;

use serde::de::{self, Deserialize, Deserializer, Visitor};

/// The largest magnitude accepted: 2^53 - 1.
pub const MAX_SAFE: i64 = 9_007_199_254_740_991;

/// The document's view of such an integer.
pub struct JsonSafe;

impl utoipa::PartialSchema for JsonSafe {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::Integer)
            // As floats: utoipa's integer bounds are 32 bits wide.
            .minimum(Some(-9_007_199_254_740_991.0))
            .maximum(Some(9_007_199_254_740_991.0))
            .into()
    }
}

impl utoipa::ToSchema for JsonSafe {}

/// One JSON integer, written with or without a zero fraction.
struct Integral(i64);

impl<'de> Deserialize<'de> for Integral {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct IntegralVisitor;
        impl Visitor<'_> for IntegralVisitor {
            type Value = Integral;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an integer")
            }

            fn visit_i64<E: de::Error>(self, value: i64) -> Result<Integral, E> {
                if (-MAX_SAFE..=MAX_SAFE).contains(&value) {
                    Ok(Integral(value))
                } else {
                    Err(E::custom("integer out of range"))
                }
            }

            fn visit_u64<E: de::Error>(self, value: u64) -> Result<Integral, E> {
                self.visit_i64(i64::try_from(value).unwrap_or(i64::MAX))
            }

            fn visit_f64<E: de::Error>(self, value: f64) -> Result<Integral, E> {
                #[allow(clippy::cast_precision_loss)] // 2^53 - 1 is exact in f64
                let limit = MAX_SAFE as f64;
                if value.fract() == 0.0 && (-limit..=limit).contains(&value) {
                    #[allow(clippy::cast_possible_truncation)] // checked just above
                    Ok(Integral(value as i64))
                } else {
                    Err(E::custom("expected an integer"))
                }
            }
        }
        deserializer.deserialize_any(IntegralVisitor)
    }
}

fn narrow<T: TryFrom<i64>, E: de::Error>(Integral(value): Integral) -> Result<T, E> {
    T::try_from(value).map_err(|_| E::custom("integer out of range"))
}

pub fn exact<'de, D: Deserializer<'de>, T: TryFrom<i64>>(deserializer: D) -> Result<T, D::Error> {
    narrow(Integral::deserialize(deserializer)?)
}

pub fn optional<'de, D: Deserializer<'de>, T: TryFrom<i64>>(
    deserializer: D,
) -> Result<Option<T>, D::Error> {
    Option::<Integral>::deserialize(deserializer)?
        .map(narrow)
        .transpose()
}

/// A field that may be sent as an integer or as `null`: `Some(None)` for
/// `null`; with `#[serde(default)]`, `None` when not sent.
pub fn nullable<'de, D: Deserializer<'de>, T: TryFrom<i64>>(
    deserializer: D,
) -> Result<Option<Option<T>>, D::Error> {
    optional(deserializer).map(Some)
}

pub fn list<'de, D: Deserializer<'de>, T: TryFrom<i64>>(
    deserializer: D,
) -> Result<Vec<T>, D::Error> {
    Vec::<Integral>::deserialize(deserializer)?
        .into_iter()
        .map(narrow)
        .collect()
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    struct Body {
        #[serde(deserialize_with = "super::exact")]
        day: u8,
        #[serde(default, deserialize_with = "super::optional")]
        week_start: Option<i16>,
        #[serde(default, deserialize_with = "super::list")]
        ids: Vec<i64>,
    }

    fn parse(json: &str) -> Result<Body, serde_json::Error> {
        serde_json::from_str(json)
    }

    #[test]
    fn integral_floats_are_integers_and_fractions_are_not() {
        let body =
            parse(r#"{"day": 5.0, "week_start": 6, "ids": [1, -2.0, 9007199254740991]}"#).unwrap();
        assert_eq!(
            (body.day, body.week_start, body.ids),
            (5, Some(6), vec![1, -2, 9_007_199_254_740_991])
        );
        assert_eq!(
            parse(r#"{"day": 1, "week_start": null}"#)
                .unwrap()
                .week_start,
            None
        );
        for refused in [
            r#"{"day": 5.5}"#,
            r#"{"day": 256}"#,
            r#"{"day": -1}"#,
            r#"{"day": "5"}"#,
            r#"{"day": 1, "ids": [1e300]}"#,
            r#"{"day": 1, "ids": [18446744073709551615]}"#,
            r#"{"day": 1, "ids": [9007199254740992]}"#,
            r#"{"day": 1, "ids": [-9223372036854775809]}"#,
        ] {
            assert!(parse(refused).is_err(), "{refused}");
        }
    }
}
