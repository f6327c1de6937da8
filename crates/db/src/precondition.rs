//! `If-Match` (RFC 9110 section 13.1.1): which versions of a row a change
//! may apply to. A task's, project's or section's ETag is its version as a
//! strong entity tag, `"N"`.

use crate::ParameterValue;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IfMatch {
    /// No header, or `*`: any version.
    Any,
    /// Only these versions. Weak tags (`W/"N"`) and tags that are not a
    /// version of ours never match: `If-Match` compares strongly.
    Versions(Vec<i32>),
}

/// Optional whitespace around list elements (RFC 9110 section 5.6.3).
const OWS: [char; 2] = [' ', '\t'];

/// An `If-Match` that is not `*` or a list of entity tags.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Malformed;

impl IfMatch {
    /// Exactly this version.
    pub fn version(version: i32) -> Self {
        IfMatch::Versions(vec![version])
    }

    /// Reads the header's value (None: no header).
    pub fn parse(header: Option<&[u8]>) -> Result<Self, Malformed> {
        let Some(value) = header else {
            return Ok(IfMatch::Any);
        };
        let value = std::str::from_utf8(value).map_err(|_| Malformed)?;
        let value = value.trim_matches(OWS);
        if value == "*" {
            return Ok(IfMatch::Any);
        }
        let mut versions = Vec::new();
        let mut rest = value;
        // An empty list names no version: nothing matches.
        while !rest.is_empty() {
            let (weak, tag) = match rest.strip_prefix("W/") {
                Some(after) => (true, after),
                None => (false, rest),
            };
            let inner = tag.strip_prefix('"').ok_or(Malformed)?;
            let end = inner.find('"').ok_or(Malformed)?;
            let opaque = &inner[..end];
            // etagc = %x21 / %x23-7E (RFC 9110's obs-text is not taken)
            if !opaque
                .bytes()
                .all(|b| b == 0x21 || (0x23..=0x7E).contains(&b))
            {
                return Err(Malformed);
            }
            if let (false, Ok(version)) = (weak, opaque.parse::<i32>()) {
                versions.push(version);
            }
            rest = inner[end + 1..].trim_start_matches(OWS);
            if !rest.is_empty() {
                rest = rest
                    .strip_prefix(',')
                    .ok_or(Malformed)?
                    .trim_start_matches(OWS);
                if rest.is_empty() {
                    return Err(Malformed);
                }
            }
        }
        Ok(IfMatch::Versions(versions))
    }

    pub fn allows(&self, version: i32) -> bool {
        match self {
            IfMatch::Any => true,
            IfMatch::Versions(versions) => versions.contains(&version),
        }
    }

    /// The SQL parameter `($n::int[] IS NULL OR version = ANY($n))` expects.
    pub fn param(&self) -> ParameterValue {
        match self {
            IfMatch::Any => ParameterValue::DbNull,
            IfMatch::Versions(versions) => {
                ParameterValue::ArrayInt32(versions.iter().copied().map(Some).collect())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_star_and_lists_of_entity_tags() {
        assert_eq!(IfMatch::parse(None), Ok(IfMatch::Any));
        assert_eq!(IfMatch::parse(Some(b" * ")), Ok(IfMatch::Any));
        assert_eq!(IfMatch::parse(Some(b"\"3\"")), Ok(IfMatch::version(3)));
        assert_eq!(
            IfMatch::parse(Some(b"\"3\", W/\"4\", \"x\",\"5\"")),
            Ok(IfMatch::Versions(vec![3, 5])),
            "weak and foreign tags never match"
        );
        assert_eq!(IfMatch::parse(Some(b"\"\"")), Ok(IfMatch::Versions(vec![])));
        assert_eq!(IfMatch::parse(Some(b"")), Ok(IfMatch::Versions(vec![])));
        assert_eq!(
            IfMatch::parse(Some(b"W/\"a,b\", \"7\"")),
            Ok(IfMatch::version(7)),
            "a comma inside a tag separates nothing"
        );
        let malformed = [
            "3",
            "\"3",
            "`T",
            "\"a b\"",
            "W/3",
            "\"3\",",
            "*, \"3\"",
            "\"3\" \"4\"",
            "\u{84}",
        ];
        for value in malformed {
            assert_eq!(
                IfMatch::parse(Some(value.as_bytes())),
                Err(Malformed),
                "{value}"
            );
        }
        assert!(IfMatch::version(2).allows(2) && !IfMatch::version(2).allows(3));
    }
}
