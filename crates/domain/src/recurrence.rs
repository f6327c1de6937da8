//! How a repeating task rolls forward.
//!
//! All calendar arithmetic happens on the user's local date (time zone `tz`),
//! so a task due Mondays at 09:00 stays at 09:00 local time across DST
//! changes. Invalid values (which `validate` rejects) are clamped rather than
//! allowed to panic, because stored data can be older than today's rules.

use crate::zone::Zone;
use chrono::{
    DateTime, Datelike, Days, MappedLocalTime, Months, NaiveDate, NaiveDateTime, Offset, TimeDelta,
    TimeZone, Utc, Weekday,
};
use serde::{Deserialize, Serialize};

use crate::task::Due;

/// Monday to Sunday, for lookups by name.
pub(crate) const WEEK: [Weekday; 7] = [
    Weekday::Mon,
    Weekday::Tue,
    Weekday::Wed,
    Weekday::Thu,
    Weekday::Fri,
    Weekday::Sat,
    Weekday::Sun,
];

/// The largest `interval` accepted by [`Recurrence::validate`].
pub const MAX_INTERVAL: u32 = 365;

/// How often a task repeats.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Recurrence {
    /// Every `interval` units (1..=365): every day, every 2 weeks, every month, every year.
    Every {
        #[serde(deserialize_with = "crate::integer::exact")]
        #[schema(minimum = 1, maximum = 365)]
        interval: u32,
        unit: Unit,
    },
    /// Monday to Friday.
    Weekdays,
    /// On these weekdays (at least one; a repeated day counts once), every week.
    OnWeekdays {
        #[serde(with = "weekday_names")]
        #[schema(value_type = Vec<WeekdayName>, min_items = 1, example = json!(["mon", "thu"]))]
        days: Vec<Weekday>,
    },
    /// On this day of the month (1..=31; clamped to the month's last day), every `interval` months.
    MonthDay {
        #[serde(deserialize_with = "crate::integer::exact")]
        #[schema(minimum = 1, maximum = 31)]
        day: u8,
        #[serde(deserialize_with = "crate::integer::exact")]
        #[schema(minimum = 1, maximum = 365)]
        interval: u32,
    },
}

/// A weekday as [`Recurrence::OnWeekdays`] names it (the document's view of
/// `chrono::Weekday`).
#[derive(utoipa::ToSchema)]
#[schema(rename_all = "snake_case")]
#[allow(dead_code)] // describes the JSON `weekday_names` reads and writes
pub enum WeekdayName {
    Mon,
    Tue,
    Wed,
    Thu,
    Fri,
    Sat,
    Sun,
}

/// The unit of [`Recurrence::Every`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    Day,
    Week,
    Month,
    Year,
}

impl Recurrence {
    /// Checks the ranges documented on each variant.
    pub fn validate(&self) -> Result<(), String> {
        let interval_ok = |interval: u32| {
            if (1..=MAX_INTERVAL).contains(&interval) {
                Ok(())
            } else {
                Err(format!("interval must be between 1 and {MAX_INTERVAL}"))
            }
        };
        match self {
            Recurrence::Every { interval, .. } => interval_ok(*interval),
            Recurrence::Weekdays => Ok(()),
            Recurrence::OnWeekdays { days } => {
                if days.is_empty() {
                    return Err("days must not be empty".into());
                }
                Ok(())
            }
            Recurrence::MonthDay { day, interval } => {
                if !(1..=31).contains(day) {
                    return Err("day must be between 1 and 31".into());
                }
                interval_ok(*interval)
            }
        }
    }

    /// The next due after `due` (strictly later), computed on the local
    /// calendar of `tz`. An `At` keeps its local wall-clock time; a wall time
    /// that falls in a DST gap moves forward by the gap, and an ambiguous one
    /// takes the earlier instant. Only at the very end of chrono's calendar,
    /// where nothing later exists, is `due` returned unchanged.
    pub fn next_due(&self, due: Due, tz: Zone) -> Due {
        match due {
            Due::On(date) => self.next_date(date).map_or(due, Due::On),
            Due::At(instant) => {
                let local = instant.with_timezone(&tz).naive_local();
                let time = local.time();
                let mut date = local.date();
                // One step is enough unless a time zone jumped back by more
                // than the step; a few more steps cover that without looping forever.
                for _ in 0..8 {
                    let Some(next) = self.next_date(date) else {
                        break;
                    };
                    if let Some(at) = local_to_utc(next.and_time(time), tz)
                        && at > instant
                    {
                        return Due::At(at);
                    }
                    date = next;
                }
                due
            }
        }
    }

    /// The first due date for a task created `now` with no explicit date:
    /// today if today matches, else the next matching day.
    pub fn first_due(&self, now: DateTime<Utc>, tz: Zone) -> Due {
        let today = now.with_timezone(&tz).date_naive();
        let first = match self {
            Recurrence::Every { .. } => Some(today),
            Recurrence::Weekdays | Recurrence::OnWeekdays { .. } => {
                if self.matches_weekday(today.weekday()) {
                    Some(today)
                } else {
                    self.next_date(today)
                }
            }
            Recurrence::MonthDay { day, .. } => {
                let this_month = month_day(today.year(), today.month(), *day);
                match this_month {
                    Some(date) if date >= today => Some(date),
                    // Already past this month: the first one is next month's, whatever the interval.
                    _ => first_of_month(today)
                        .and_then(|first| first.checked_add_months(Months::new(1)))
                        .and_then(|next| month_day(next.year(), next.month(), *day)),
                }
            }
        };
        Due::On(first.unwrap_or(today))
    }

    /// A short human description, e.g. "every 2 weeks" or "monthly on the 1st".
    pub fn describe(&self) -> String {
        match self {
            Recurrence::Every { interval: 1, unit } => format!("every {}", unit.name()),
            Recurrence::Every { interval, unit } => format!("every {interval} {}s", unit.name()),
            Recurrence::Weekdays => "every weekday".into(),
            Recurrence::OnWeekdays { days } => {
                let names: Vec<&str> = days.iter().map(|day| weekday_names::short(*day)).collect();
                format!("every {}", names.join(", "))
            }
            Recurrence::MonthDay { day, interval: 1 } => {
                format!("monthly on the {}", ordinal(u32::from(*day)))
            }
            Recurrence::MonthDay { day, interval } => {
                format!(
                    "every {interval} months on the {}",
                    ordinal(u32::from(*day))
                )
            }
        }
    }

    fn matches_weekday(&self, weekday: Weekday) -> bool {
        match self {
            Recurrence::Weekdays => !matches!(weekday, Weekday::Sat | Weekday::Sun),
            // An (invalid) empty list behaves like "every day" rather than never matching.
            Recurrence::OnWeekdays { days } => days.is_empty() || days.contains(&weekday),
            Recurrence::Every { .. } | Recurrence::MonthDay { .. } => true,
        }
    }

    /// The next local date strictly after `date`; `None` only past chrono's range.
    fn next_date(&self, date: NaiveDate) -> Option<NaiveDate> {
        match self {
            Recurrence::Every { interval, unit } => {
                let n = (*interval).max(1);
                match unit {
                    Unit::Day => date.checked_add_days(Days::new(n.into())),
                    Unit::Week => date.checked_add_days(Days::new(u64::from(n) * 7)),
                    Unit::Month => date.checked_add_months(Months::new(n)),
                    Unit::Year => date.checked_add_months(Months::new(n.checked_mul(12)?)),
                }
            }
            Recurrence::Weekdays | Recurrence::OnWeekdays { .. } => (1..=7)
                .filter_map(|offset| date.checked_add_days(Days::new(offset)))
                .find(|next| self.matches_weekday(next.weekday())),
            Recurrence::MonthDay { day, interval } => {
                match month_day(date.year(), date.month(), *day) {
                    Some(this_month) if this_month > date => Some(this_month),
                    _ => {
                        let later = first_of_month(date)?
                            .checked_add_months(Months::new((*interval).max(1)))?;
                        month_day(later.year(), later.month(), *day)
                    }
                }
            }
        }
    }
}

impl Unit {
    fn name(self) -> &'static str {
        match self {
            Unit::Day => "day",
            Unit::Week => "week",
            Unit::Month => "month",
            Unit::Year => "year",
        }
    }
}

/// The instant of a local wall-clock time in `tz`. An ambiguous time (clocks
/// going back) is the earlier instant; a time in a gap (clocks going forward)
/// is read with the offset from before the gap, which moves it forward by the
/// gap's length (02:30 on a spring-forward night becomes 03:30).
pub(crate) fn local_to_utc(local: NaiveDateTime, tz: Zone) -> Option<DateTime<Utc>> {
    match tz.from_local_datetime(&local) {
        MappedLocalTime::Single(at) | MappedLocalTime::Ambiguous(at, _) => {
            Some(at.with_timezone(&Utc))
        }
        MappedLocalTime::None => {
            let before = local.checked_sub_signed(TimeDelta::days(1))?;
            let offset = tz.offset_from_utc_datetime(&before).fix();
            let utc =
                local.checked_sub_signed(TimeDelta::seconds(offset.local_minus_utc().into()))?;
            Some(utc.and_utc())
        }
    }
}

/// Day `day` of the given month, clamped into the month (31 in February is the 28th or 29th).
fn month_day(year: i32, month: u32, day: u8) -> Option<NaiveDate> {
    let first = NaiveDate::from_ymd_opt(year, month, 1)?;
    let day = u32::from(day.clamp(1, first.num_days_in_month()));
    first.with_day(day)
}

fn first_of_month(date: NaiveDate) -> Option<NaiveDate> {
    date.with_day(1)
}

/// "1st", "2nd", "3rd", "4th", "11th", "21st", ...
fn ordinal(n: u32) -> String {
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

/// Weekdays as "mon".."sun" in JSON.
mod weekday_names {
    use chrono::Weekday;
    use serde::de::Error as _;
    use serde::{Deserialize, Deserializer, Serializer};

    pub(super) fn short(day: Weekday) -> &'static str {
        match day {
            Weekday::Mon => "mon",
            Weekday::Tue => "tue",
            Weekday::Wed => "wed",
            Weekday::Thu => "thu",
            Weekday::Fri => "fri",
            Weekday::Sat => "sat",
            Weekday::Sun => "sun",
        }
    }

    pub(super) fn serialize<S: Serializer>(
        days: &[Weekday],
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(days.iter().map(|day| short(*day)))
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Vec<Weekday>, D::Error> {
        let names = Vec::<String>::deserialize(deserializer)?;
        let mut days: Vec<Weekday> = Vec::with_capacity(names.len());
        for name in &names {
            let day = super::WEEK
                .into_iter()
                .find(|day| short(*day) == name)
                .ok_or_else(|| {
                    D::Error::custom(format!("unknown weekday {name:?}, expected mon..sun"))
                })?;
            // A repeated day means the same as once.
            if !days.contains(&day) {
                days.push(day);
            }
        }
        Ok(days)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::zone::known::{Berlin, New_York, UTC};
    use chrono::NaiveTime;
    use proptest::prelude::*;
    use serde_json::json;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn on(y: i32, m: u32, d: u32) -> Due {
        Due::On(date(y, m, d))
    }

    fn local(tz: Zone, y: i32, m: u32, d: u32, h: u32, min: u32) -> Due {
        let naive = date(y, m, d).and_time(NaiveTime::from_hms_opt(h, min, 0).unwrap());
        Due::At(local_to_utc(naive, tz).unwrap())
    }

    fn utc(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text)
            .unwrap()
            .with_timezone(&Utc)
    }

    fn every(interval: u32, unit: Unit) -> Recurrence {
        Recurrence::Every { interval, unit }
    }

    fn on_days(days: &[Weekday]) -> Recurrence {
        Recurrence::OnWeekdays {
            days: days.to_vec(),
        }
    }

    #[test]
    fn every_day_week_month_year() {
        assert_eq!(
            every(1, Unit::Day).next_due(on(2026, 12, 31), UTC),
            on(2027, 1, 1)
        );
        assert_eq!(
            every(3, Unit::Day).next_due(on(2026, 2, 27), UTC),
            on(2026, 3, 2)
        );
        assert_eq!(
            every(2, Unit::Week).next_due(on(2026, 11, 25), UTC),
            on(2026, 12, 9)
        );
        assert_eq!(
            every(1, Unit::Month).next_due(on(2026, 11, 25), UTC),
            on(2026, 12, 25)
        );
        assert_eq!(
            every(1, Unit::Year).next_due(on(2026, 11, 25), UTC),
            on(2027, 11, 25)
        );
    }

    #[test]
    fn month_end_clamps() {
        assert_eq!(
            every(1, Unit::Month).next_due(on(2026, 1, 31), UTC),
            on(2026, 2, 28)
        );
        assert_eq!(
            every(1, Unit::Month).next_due(on(2028, 1, 31), UTC),
            on(2028, 2, 29)
        );
        assert_eq!(
            every(1, Unit::Month).next_due(on(2026, 3, 31), UTC),
            on(2026, 4, 30)
        );
        assert_eq!(
            every(3, Unit::Month).next_due(on(2026, 11, 30), UTC),
            on(2027, 2, 28)
        );
    }

    #[test]
    fn yearly_from_february_29() {
        assert_eq!(
            every(1, Unit::Year).next_due(on(2028, 2, 29), UTC),
            on(2029, 2, 28)
        );
        assert_eq!(
            every(4, Unit::Year).next_due(on(2028, 2, 29), UTC),
            on(2032, 2, 29)
        );
    }

    #[test]
    fn weekly_keeps_local_time_across_dst() {
        // Mondays 09:00 in New York: EDT (UTC-4) before 2026-11-01, EST (UTC-5) after.
        let before = local(New_York, 2026, 10, 26, 9, 0);
        assert_eq!(before, Due::At(utc("2026-10-26T13:00:00Z")));
        let after = every(1, Unit::Week).next_due(before, New_York);
        assert_eq!(after, Due::At(utc("2026-11-02T14:00:00Z")));
        // And in spring, in Berlin (CET to CEST on 2026-03-29).
        let winter = local(Berlin, 2026, 3, 23, 9, 0);
        assert_eq!(
            every(1, Unit::Week).next_due(winter, Berlin),
            Due::At(utc("2026-03-30T07:00:00Z"))
        );
    }

    #[test]
    fn dst_gap_and_ambiguity_do_not_panic() {
        // 02:30 does not exist in New York on 2026-03-08: it becomes 03:30 EDT.
        let daily = every(1, Unit::Day);
        let start = Due::At(utc("2026-03-07T07:30:00Z")); // 02:30 EST
        assert_eq!(
            daily.next_due(start, New_York),
            Due::At(utc("2026-03-08T07:30:00Z"))
        );
        // 01:30 happens twice on 2026-11-01: the earlier (EDT) instant is used.
        let start = Due::At(utc("2026-10-31T05:30:00Z")); // 01:30 EDT
        assert_eq!(
            daily.next_due(start, New_York),
            Due::At(utc("2026-11-01T05:30:00Z"))
        );
        // From the later 01:30 (EST) the next day's 01:30 is still strictly later.
        let second = Due::At(utc("2026-11-01T06:30:00Z"));
        assert_eq!(
            daily.next_due(second, New_York),
            Due::At(utc("2026-11-02T06:30:00Z"))
        );
    }

    #[test]
    fn weekdays_skip_the_weekend() {
        // 2026-11-27 is a Friday.
        assert_eq!(
            Recurrence::Weekdays.next_due(on(2026, 11, 27), UTC),
            on(2026, 11, 30)
        );
        assert_eq!(
            Recurrence::Weekdays.next_due(on(2026, 11, 28), UTC),
            on(2026, 11, 30)
        );
        assert_eq!(
            Recurrence::Weekdays.next_due(on(2026, 11, 25), UTC),
            on(2026, 11, 26)
        );
        let friday_evening = local(New_York, 2026, 11, 27, 18, 0);
        assert_eq!(
            Recurrence::Weekdays.next_due(friday_evening, New_York),
            local(New_York, 2026, 11, 30, 18, 0)
        );
    }

    #[test]
    fn on_weekdays_wraps_around() {
        let mon_thu = on_days(&[Weekday::Mon, Weekday::Thu]);
        assert_eq!(mon_thu.next_due(on(2026, 11, 23), UTC), on(2026, 11, 26)); // Mon -> Thu
        assert_eq!(mon_thu.next_due(on(2026, 11, 26), UTC), on(2026, 11, 30)); // Thu -> Mon
        assert_eq!(mon_thu.next_due(on(2026, 11, 28), UTC), on(2026, 11, 30)); // Sat -> Mon
        let sunday = on_days(&[Weekday::Sun]);
        assert_eq!(sunday.next_due(on(2026, 11, 29), UTC), on(2026, 12, 6));
    }

    #[test]
    fn month_day_clamps_and_steps_by_interval() {
        let the_31st = Recurrence::MonthDay {
            day: 31,
            interval: 1,
        };
        assert_eq!(the_31st.next_due(on(2026, 1, 31), UTC), on(2026, 2, 28));
        assert_eq!(the_31st.next_due(on(2026, 2, 28), UTC), on(2026, 3, 31));
        assert_eq!(the_31st.next_due(on(2028, 1, 31), UTC), on(2028, 2, 29));
        assert_eq!(the_31st.next_due(on(2026, 4, 10), UTC), on(2026, 4, 30));
        let the_1st = Recurrence::MonthDay {
            day: 1,
            interval: 1,
        };
        assert_eq!(the_1st.next_due(on(2026, 12, 1), UTC), on(2027, 1, 1));
        let quarterly = Recurrence::MonthDay {
            day: 15,
            interval: 3,
        };
        assert_eq!(quarterly.next_due(on(2026, 1, 15), UTC), on(2026, 4, 15));
        assert_eq!(quarterly.next_due(on(2026, 1, 10), UTC), on(2026, 1, 15));
        let at = local(Berlin, 2026, 1, 31, 9, 0);
        assert_eq!(
            the_31st.next_due(at, Berlin),
            local(Berlin, 2026, 2, 28, 9, 0)
        );
    }

    #[test]
    fn first_due_examples() {
        // 2026-11-25 10:00 in New York is a Wednesday.
        let now = utc("2026-11-25T15:00:00Z");
        assert_eq!(
            every(1, Unit::Day).first_due(now, New_York),
            on(2026, 11, 25)
        );
        assert_eq!(
            every(2, Unit::Week).first_due(now, New_York),
            on(2026, 11, 25)
        );
        assert_eq!(
            on_days(&[Weekday::Mon]).first_due(now, New_York),
            on(2026, 11, 30)
        );
        assert_eq!(
            on_days(&[Weekday::Wed]).first_due(now, New_York),
            on(2026, 11, 25)
        );
        assert_eq!(
            Recurrence::Weekdays.first_due(now, New_York),
            on(2026, 11, 25)
        );
        let saturday = utc("2026-11-28T15:00:00Z");
        assert_eq!(
            Recurrence::Weekdays.first_due(saturday, New_York),
            on(2026, 11, 30)
        );
        let the_1st = Recurrence::MonthDay {
            day: 1,
            interval: 1,
        };
        assert_eq!(the_1st.first_due(now, New_York), on(2026, 12, 1));
        let the_25th = Recurrence::MonthDay {
            day: 25,
            interval: 2,
        };
        assert_eq!(the_25th.first_due(now, New_York), on(2026, 11, 25));
        let the_31st = Recurrence::MonthDay {
            day: 31,
            interval: 1,
        };
        assert_eq!(the_31st.first_due(now, New_York), on(2026, 11, 30));
        // Late evening in New York is already tomorrow in Berlin.
        let late = utc("2026-11-26T04:00:00Z");
        assert_eq!(
            every(1, Unit::Day).first_due(late, New_York),
            on(2026, 11, 25)
        );
        assert_eq!(
            every(1, Unit::Day).first_due(late, Berlin),
            on(2026, 11, 26)
        );
    }

    #[test]
    fn validate_checks_ranges() {
        assert_eq!(every(1, Unit::Day).validate(), Ok(()));
        assert_eq!(every(365, Unit::Year).validate(), Ok(()));
        assert_eq!(
            every(0, Unit::Day).validate(),
            Err("interval must be between 1 and 365".into())
        );
        assert_eq!(
            every(366, Unit::Week).validate(),
            Err("interval must be between 1 and 365".into())
        );
        assert_eq!(Recurrence::Weekdays.validate(), Ok(()));
        assert_eq!(
            on_days(&[]).validate(),
            Err("days must not be empty".into())
        );
        let repeated: Recurrence =
            serde_json::from_value(json!({"kind": "on_weekdays", "days": ["mon", "fri", "mon"]}))
                .unwrap();
        assert_eq!(
            repeated,
            on_days(&[Weekday::Mon, Weekday::Fri]),
            "a repeated day counts once"
        );
        assert!(
            serde_json::from_value::<Recurrence>(json!({"kind": "on_weekdays", "days": ["Mon"]}))
                .is_err(),
            "names are lower case, as the document says"
        );
        assert_eq!(on_days(&[Weekday::Mon, Weekday::Fri]).validate(), Ok(()));
        assert_eq!(
            Recurrence::MonthDay {
                day: 0,
                interval: 1
            }
            .validate(),
            Err("day must be between 1 and 31".into())
        );
        assert_eq!(
            Recurrence::MonthDay {
                day: 32,
                interval: 1
            }
            .validate(),
            Err("day must be between 1 and 31".into())
        );
        assert_eq!(
            Recurrence::MonthDay {
                day: 31,
                interval: 0
            }
            .validate(),
            Err("interval must be between 1 and 365".into())
        );
        assert_eq!(
            Recurrence::MonthDay {
                day: 31,
                interval: 12
            }
            .validate(),
            Ok(())
        );
    }

    #[test]
    fn invalid_values_do_not_panic() {
        let start = on(2026, 11, 25);
        assert_eq!(every(0, Unit::Day).next_due(start, UTC), on(2026, 11, 26));
        assert_eq!(every(u32::MAX, Unit::Year).next_due(start, UTC), start);
        assert_eq!(on_days(&[]).next_due(start, UTC), on(2026, 11, 26));
        assert_eq!(
            Recurrence::MonthDay {
                day: 0,
                interval: 0
            }
            .next_due(start, UTC),
            on(2026, 12, 1)
        );
        let far = Due::On(NaiveDate::MAX);
        assert_eq!(every(1, Unit::Day).next_due(far, UTC), far);
    }

    #[test]
    fn describe_examples() {
        assert_eq!(every(1, Unit::Day).describe(), "every day");
        assert_eq!(every(2, Unit::Week).describe(), "every 2 weeks");
        assert_eq!(every(1, Unit::Year).describe(), "every year");
        assert_eq!(Recurrence::Weekdays.describe(), "every weekday");
        assert_eq!(
            on_days(&[Weekday::Mon, Weekday::Wed]).describe(),
            "every mon, wed"
        );
        assert_eq!(
            Recurrence::MonthDay {
                day: 1,
                interval: 1
            }
            .describe(),
            "monthly on the 1st"
        );
        assert_eq!(
            Recurrence::MonthDay {
                day: 22,
                interval: 1
            }
            .describe(),
            "monthly on the 22nd"
        );
        assert_eq!(
            Recurrence::MonthDay {
                day: 13,
                interval: 3
            }
            .describe(),
            "every 3 months on the 13th"
        );
    }

    #[test]
    fn serde_shapes_round_trip() {
        let cases = [
            (
                every(2, Unit::Week),
                json!({"kind": "every", "interval": 2, "unit": "week"}),
            ),
            (Recurrence::Weekdays, json!({"kind": "weekdays"})),
            (
                on_days(&[Weekday::Mon, Weekday::Thu]),
                json!({"kind": "on_weekdays", "days": ["mon", "thu"]}),
            ),
            (
                Recurrence::MonthDay {
                    day: 1,
                    interval: 1,
                },
                json!({"kind": "month_day", "day": 1, "interval": 1}),
            ),
        ];
        for (recurrence, shape) in cases {
            assert_eq!(serde_json::to_value(&recurrence).unwrap(), shape);
            assert_eq!(
                serde_json::from_value::<Recurrence>(shape).unwrap(),
                recurrence
            );
        }
        let bad = json!({"kind": "on_weekdays", "days": ["mon", "funday"]});
        assert!(serde_json::from_value::<Recurrence>(bad).is_err());
        let unknown = json!({"kind": "hourly"});
        assert!(serde_json::from_value::<Recurrence>(unknown).is_err());
    }

    fn valid_recurrence() -> impl Strategy<Value = Recurrence> {
        let unit = prop_oneof![
            Just(Unit::Day),
            Just(Unit::Week),
            Just(Unit::Month),
            Just(Unit::Year)
        ];
        prop_oneof![
            (1..=MAX_INTERVAL, unit)
                .prop_map(|(interval, unit)| Recurrence::Every { interval, unit }),
            Just(Recurrence::Weekdays),
            proptest::sample::subsequence(WEEK.to_vec(), 1..=7)
                .prop_shuffle()
                .prop_map(|days| Recurrence::OnWeekdays { days }),
            (1..=31u8, 1..=MAX_INTERVAL)
                .prop_map(|(day, interval)| Recurrence::MonthDay { day, interval }),
        ]
    }

    fn any_tz() -> impl Strategy<Value = Zone> {
        proptest::sample::select(vec![
            UTC,
            New_York,
            Berlin,
            crate::zone::known::Lord_Howe,
            crate::zone::known::Apia,
            crate::zone::known::Kolkata,
            crate::zone::known::Santiago,
        ])
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(ProptestConfig::default().cases.max(2000)))]

        #[test]
        fn next_due_is_strictly_later(
            recurrence in valid_recurrence(),
            seconds in 0i64..4_102_444_800, // 1970-01-01 .. 2100-01-01
            tz in any_tz(),
        ) {
            prop_assert_eq!(recurrence.validate(), Ok(()));
            let instant = DateTime::from_timestamp(seconds, 0).unwrap();
            match recurrence.next_due(Due::At(instant), tz) {
                Due::At(next) => prop_assert!(next > instant, "{next} is not after {instant}"),
                Due::On(_) => prop_assert!(false, "At must stay At"),
            }
            let day = instant.date_naive();
            match recurrence.next_due(Due::On(day), tz) {
                Due::On(next) => prop_assert!(next > day),
                Due::At(_) => prop_assert!(false, "On must stay On"),
            }
            let Due::On(first) = recurrence.first_due(instant, tz) else {
                return Err(TestCaseError::fail("first_due must give On"));
            };
            prop_assert!(first >= instant.with_timezone(&tz).date_naive());
        }
    }
}
