//! Our recurrences in iCalendar terms. An `RRULE` is written only where
//! RFC 5545 generates exactly the days ours does from the current due;
//! otherwise the coming occurrences are listed (`RDATE`), computed by our
//! own rules.

use chrono::{DateTime, Datelike, Duration, Offset, TimeZone, Utc, Weekday};
use taskspin_domain::recurrence::{Recurrence, Unit};
use taskspin_domain::task::Due;
use taskspin_domain::zone::Zone;

/// How far ahead listed occurrences go, and how many at most.
pub const EXPANDED_DAYS: i64 = 366;
pub const EXPANDED_MAX: usize = 100;

/// How a recurring task repeats in the feed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Repeats {
    /// The value of an `RRULE`, such as `FREQ=WEEKLY;INTERVAL=2`.
    Rule(String),
    /// The occurrences after the current one.
    Dates(Vec<Due>),
}

fn day_code(day: Weekday) -> &'static str {
    match day {
        Weekday::Mon => "MO",
        Weekday::Tue => "TU",
        Weekday::Wed => "WE",
        Weekday::Thu => "TH",
        Weekday::Fri => "FR",
        Weekday::Sat => "SA",
        Weekday::Sun => "SU",
    }
}

/// Whether `zone` keeps one UTC offset all year, so that a timed rule in
/// UTC stays at the same local time (no daylight saving time).
fn fixed_offset(zone: Zone, around: DateTime<Utc>) -> bool {
    let offset = |at: DateTime<Utc>| zone.offset_from_utc_datetime(&at.naive_utc()).fix();
    let first = offset(around);
    (1..=12).all(|month| offset(around + Duration::days(month * 31)) == first)
}

/// The rule, when RFC 5545 repeats `due` exactly as `recurrence` does.
fn exact_rule(recurrence: &Recurrence, due: Due, zone: Zone) -> Option<String> {
    let date = match due {
        Due::On(date) => date,
        Due::At(at) => {
            if !fixed_offset(zone, at) {
                return None;
            }
            at.with_timezone(&zone).date_naive()
        }
    };
    match recurrence {
        Recurrence::Every { interval, unit } => {
            let frequency = match unit {
                Unit::Day => "DAILY",
                Unit::Week => "WEEKLY",
                // RFC 5545 skips months without the day; ours moves to the last day.
                Unit::Month if date.day() <= 28 => "MONTHLY",
                Unit::Year if !(date.month() == 2 && date.day() == 29) => "YEARLY",
                _ => return None,
            };
            Some(format!("FREQ={frequency};INTERVAL={interval}"))
        }
        // A first day off the rule is undefined in RFC 5545.
        Recurrence::Weekdays if !matches!(date.weekday(), Weekday::Sat | Weekday::Sun) => {
            Some("FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR".into())
        }
        Recurrence::OnWeekdays { days } if days.contains(&date.weekday()) => {
            let mut days = days.clone();
            days.sort_by_key(Weekday::num_days_from_monday);
            days.dedup();
            let codes: Vec<&str> = days.into_iter().map(day_code).collect();
            Some(format!("FREQ=WEEKLY;BYDAY={}", codes.join(",")))
        }
        Recurrence::MonthDay { day, interval } if *day <= 28 && u32::from(*day) == date.day() => {
            Some(format!("FREQ=MONTHLY;INTERVAL={interval};BYMONTHDAY={day}"))
        }
        _ => None,
    }
}

fn instant(due: Due) -> DateTime<Utc> {
    match due {
        Due::At(at) => at,
        Due::On(date) => date
            .and_hms_opt(0, 0, 0)
            .map_or(DateTime::<Utc>::MIN_UTC, |t| t.and_utc()),
    }
}

/// How a task due `due` repeating by `recurrence` appears in the feed.
pub fn repeats(recurrence: &Recurrence, due: Due, zone: Zone) -> Repeats {
    if let Some(rule) = exact_rule(recurrence, due, zone) {
        return Repeats::Rule(rule);
    }
    let until = instant(due) + Duration::days(EXPANDED_DAYS);
    let mut dates = Vec::new();
    let mut current = due;
    while dates.len() < EXPANDED_MAX {
        let next = recurrence.next_due(current, zone);
        if next == current || instant(next) > until {
            break;
        }
        dates.push(next);
        current = next;
    }
    Repeats::Dates(dates)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn on(y: i32, m: u32, d: u32) -> Due {
        Due::On(NaiveDate::from_ymd_opt(y, m, d).unwrap())
    }

    #[test]
    fn rules_that_map_exactly_become_rrules() {
        let utc = Zone::named("UTC").unwrap();
        let every = |interval, unit| Recurrence::Every { interval, unit };
        assert_eq!(
            repeats(&every(2, Unit::Week), on(2026, 12, 2), utc),
            Repeats::Rule("FREQ=WEEKLY;INTERVAL=2".into())
        );
        assert_eq!(
            repeats(&Recurrence::Weekdays, on(2026, 12, 2), utc),
            Repeats::Rule("FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR".into())
        );
        assert_eq!(
            repeats(
                &Recurrence::OnWeekdays {
                    days: vec![Weekday::Thu, Weekday::Wed, Weekday::Thu]
                },
                on(2026, 12, 2),
                utc
            ),
            Repeats::Rule("FREQ=WEEKLY;BYDAY=WE,TH".into())
        );
        assert_eq!(
            repeats(
                &Recurrence::MonthDay {
                    day: 2,
                    interval: 1
                },
                on(2026, 12, 2),
                utc
            ),
            Repeats::Rule("FREQ=MONTHLY;INTERVAL=1;BYMONTHDAY=2".into())
        );
    }

    #[test]
    fn others_are_listed_by_our_own_rules() {
        let utc = Zone::named("UTC").unwrap();
        let monthly = Recurrence::Every {
            interval: 1,
            unit: Unit::Month,
        };
        let Repeats::Dates(dates) = repeats(&monthly, on(2027, 1, 31), utc) else {
            panic!("the 31st does not map");
        };
        assert_eq!(dates.len(), 12);
        assert_eq!(dates[0], on(2027, 2, 28));
        // A weekday rule starting on a Saturday.
        assert!(matches!(
            repeats(&Recurrence::Weekdays, on(2026, 12, 5), utc),
            Repeats::Dates(_)
        ));
        // A timed daily task where clocks change keeps its local time: listed.
        let berlin = Zone::named("Europe/Berlin").unwrap();
        let at = Due::At(Utc.with_ymd_and_hms(2027, 3, 1, 8, 0, 0).unwrap());
        let daily = Recurrence::Every {
            interval: 1,
            unit: Unit::Day,
        };
        let Repeats::Dates(dates) = repeats(&daily, at, berlin) else {
            panic!("Berlin changes its clocks");
        };
        assert_eq!(dates.len(), EXPANDED_MAX);
        assert_eq!(
            dates[29],
            Due::At(Utc.with_ymd_and_hms(2027, 3, 31, 7, 0, 0).unwrap())
        );
        // The same in UTC maps.
        assert!(matches!(repeats(&daily, at, utc), Repeats::Rule(_)));
    }
}
