//! iCalendar recurrence rules (RFC 5545 `RRULE`, as iCalendar files and
//! TickTick write them) in our terms, where they map exactly.

use chrono::Weekday;
use taskspin_domain::recurrence::{Recurrence, Unit};

fn weekday(code: &str) -> Option<Weekday> {
    Some(match code {
        "MO" => Weekday::Mon,
        "TU" => Weekday::Tue,
        "WE" => Weekday::Wed,
        "TH" => Weekday::Thu,
        "FR" => Weekday::Fri,
        "SA" => Weekday::Sat,
        "SU" => Weekday::Sun,
        _ => return None,
    })
}

/// The recurrence `rule` (`FREQ=WEEKLY;BYDAY=MO,TH`, with or without a
/// leading `RRULE:`) describes; an error says what does not map.
pub fn recurrence(rule: &str) -> Result<Recurrence, String> {
    let rule = rule.trim();
    let rule = rule.strip_prefix("RRULE:").unwrap_or(rule);
    let mut frequency = None;
    let mut interval = 1u32;
    let mut days = None;
    let mut month_day = None;
    for part in rule.split(';').filter(|p| !p.is_empty()) {
        let (key, value) = part
            .split_once('=')
            .ok_or_else(|| format!("the recurrence part \"{part}\" is not KEY=VALUE"))?;
        match key.to_ascii_uppercase().as_str() {
            "FREQ" => frequency = Some(value.to_ascii_uppercase()),
            "INTERVAL" => {
                interval = value
                    .parse()
                    .map_err(|_| format!("the interval \"{value}\" is not a number"))?
            }
            "BYDAY" => {
                let parsed: Option<Vec<Weekday>> = value
                    .split(',')
                    .map(|d| weekday(&d.trim().to_ascii_uppercase()))
                    .collect();
                days = Some(parsed.ok_or_else(|| {
                    format!("repeating on \"{value}\" (a numbered weekday) is not supported")
                })?);
            }
            "BYMONTHDAY" => {
                month_day =
                    Some(value.parse::<u8>().map_err(|_| {
                        format!("repeating on month days \"{value}\" is not supported")
                    })?)
            }
            // The week's first day changes nothing for the rules we map.
            "WKST" => {}
            "COUNT" | "UNTIL" => {
                return Err(
                    "a recurrence that ends is not supported: tasks repeat until deleted".into(),
                );
            }
            other => return Err(format!("the recurrence part {other} is not supported")),
        }
    }
    let unit = match frequency.as_deref() {
        Some("DAILY") => Unit::Day,
        Some("WEEKLY") => Unit::Week,
        Some("MONTHLY") => Unit::Month,
        Some("YEARLY") => Unit::Year,
        Some(other) => {
            return Err(format!(
                "repeating {} is not supported",
                other.to_lowercase()
            ));
        }
        None => return Err("the recurrence has no FREQ".into()),
    };
    let recurrence = match (unit, days, month_day) {
        (_, None, None) => Recurrence::Every { interval, unit },
        (Unit::Week, Some(mut days), None) if interval == 1 => {
            days.sort_by_key(|d| d.num_days_from_monday());
            days.dedup();
            let weekdays = [
                Weekday::Mon,
                Weekday::Tue,
                Weekday::Wed,
                Weekday::Thu,
                Weekday::Fri,
            ];
            if days == weekdays {
                Recurrence::Weekdays
            } else {
                Recurrence::OnWeekdays { days }
            }
        }
        (Unit::Month, None, Some(day)) => Recurrence::MonthDay { day, interval },
        _ => return Err(format!("the recurrence {rule} is not supported")),
    };
    recurrence.validate()?;
    Ok(recurrence)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rules_we_write_map_back() {
        assert_eq!(
            recurrence("FREQ=WEEKLY;INTERVAL=2").unwrap(),
            Recurrence::Every {
                interval: 2,
                unit: Unit::Week
            }
        );
        assert_eq!(
            recurrence("RRULE:FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR").unwrap(),
            Recurrence::Weekdays
        );
        assert_eq!(
            recurrence("FREQ=WEEKLY;BYDAY=TH,MO;WKST=SU").unwrap(),
            Recurrence::OnWeekdays {
                days: vec![Weekday::Mon, Weekday::Thu]
            }
        );
        assert_eq!(
            recurrence("FREQ=MONTHLY;BYMONTHDAY=15;INTERVAL=3").unwrap(),
            Recurrence::MonthDay {
                day: 15,
                interval: 3
            }
        );
    }

    #[test]
    fn what_does_not_map_says_why() {
        assert!(
            recurrence("FREQ=WEEKLY;COUNT=3")
                .unwrap_err()
                .contains("ends")
        );
        assert!(
            recurrence("FREQ=MONTHLY;BYDAY=1MO")
                .unwrap_err()
                .contains("numbered")
        );
        assert!(recurrence("FREQ=HOURLY").unwrap_err().contains("hourly"));
        assert!(recurrence("FREQ=DAILY;INTERVAL=900").is_err());
    }
}
