//! How urgent a pending task is: a score after Taskwarrior's urgency, used
//! to rank the agents' suggestions (the most urgent first, within the rate
//! limit).
//!
//! ```text
//! urgency = priority + due + age + tags
//!   priority: urgent 6.0, high 3.9, medium 1.8, low 0.9, none 0
//!   due:      12.0 x f, f = 1.0 when 7 or more days overdue, 0.2 when due in
//!             14 or more days, linear in between; 0 without a due
//!   age:      2.0 x min(age in days / 365, 1)
//!   tags:     0.8 for one tag, 0.9 for two, 1.0 for three or more
//! ```
//!
//! The same formula exists as SQL ([`sql`]) so a run can rank candidates
//! across all users in one statement; a test holds the two together.

use chrono::{DateTime, Utc};

use crate::task::Priority;

pub const DUE_WEIGHT: f64 = 12.0;
pub const AGE_WEIGHT: f64 = 2.0;
const DUE_FAR_DAYS: f64 = 14.0;
const DUE_OVERDUE_DAYS: f64 = 7.0;

pub fn priority_weight(priority: Priority) -> f64 {
    match priority {
        Priority::Urgent => 6.0,
        Priority::High => 3.9,
        Priority::Medium => 1.8,
        Priority::Low => 0.9,
        Priority::None => 0.0,
    }
}

fn due_factor(days_until_due: f64) -> f64 {
    let span = DUE_FAR_DAYS + DUE_OVERDUE_DAYS;
    ((DUE_FAR_DAYS - days_until_due) * 0.8 / span + 0.2).clamp(0.2, 1.0)
}

fn tags_weight(tags: usize) -> f64 {
    match tags {
        0 => 0.0,
        1 => 0.8,
        2 => 0.9,
        _ => 1.0,
    }
}

/// The urgency of a task with these properties at `now`.
pub fn score(
    priority: Priority,
    due: Option<DateTime<Utc>>,
    created: DateTime<Utc>,
    tags: usize,
    now: DateTime<Utc>,
) -> f64 {
    let days = |d: chrono::TimeDelta| d.num_seconds() as f64 / 86_400.0;
    let due_part = due.map_or(0.0, |due| DUE_WEIGHT * due_factor(days(due - now)));
    let age_part = AGE_WEIGHT * (days(now - created) / 365.0).clamp(0.0, 1.0);
    priority_weight(priority) + due_part + age_part + tags_weight(tags)
}

/// The same score as a SQL expression over a `tasks t` row.
pub fn sql() -> String {
    let priority = Priority::ALL
        .iter()
        .map(|p| format!("WHEN {} THEN {:.1}", p.as_i16(), priority_weight(*p)))
        .collect::<Vec<_>>()
        .join(" ");
    let span = DUE_FAR_DAYS + DUE_OVERDUE_DAYS;
    format!(
        "((CASE t.priority {priority} ELSE 0 END)
          + CASE WHEN isfinite(t.due_key) THEN {DUE_WEIGHT:.1} * LEAST(1.0, GREATEST(0.2,
                ({DUE_FAR_DAYS:.1} - extract(epoch FROM t.due_key - now()) / 86400) * 0.8 / {span:.1} + 0.2)) ELSE 0 END
          + {AGE_WEIGHT:.1} * LEAST(1.0, GREATEST(0.0, extract(epoch FROM now() - t.created_at) / 86400 / 365))
          + CASE cardinality(t.tags) WHEN 0 THEN 0 WHEN 1 THEN 0.8 WHEN 2 THEN 0.9 ELSE 1.0 END)::float8"
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeDelta;

    #[test]
    fn the_formula_weighs_due_priority_age_and_tags() {
        let now = Utc::now();
        let base = score(Priority::None, None, now, 0, now);
        assert_eq!(base, 0.0);
        assert!((score(Priority::Urgent, None, now, 0, now) - 6.0).abs() < 1e-9);
        let far = score(Priority::None, Some(now + TimeDelta::days(30)), now, 0, now);
        assert!((far - 2.4).abs() < 1e-9, "12 x 0.2 for far-off dues: {far}");
        let overdue = score(Priority::None, Some(now - TimeDelta::days(10)), now, 0, now);
        assert!(
            (overdue - 12.0).abs() < 1e-9,
            "12 x 1.0 a week overdue: {overdue}"
        );
        let year_old = score(Priority::None, None, now - TimeDelta::days(400), 3, now);
        assert!((year_old - 3.0).abs() < 1e-9);
        let soon = score(Priority::Low, Some(now + TimeDelta::days(1)), now, 0, now);
        let later = score(Priority::Low, Some(now + TimeDelta::days(5)), now, 0, now);
        assert!(soon > later);
    }

    #[test]
    fn the_sql_uses_the_same_weights() {
        let sql = sql();
        for weight in [
            "WHEN 4 THEN 6.0",
            "WHEN 3 THEN 3.9",
            "12.0 *",
            "2.0 *",
            "/ 21.0",
        ] {
            assert!(sql.contains(weight), "{weight} in {sql}");
        }
    }
}
