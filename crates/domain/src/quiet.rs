//! Quiet hours as SQL: the agents' suggestions and the push reminders keep
//! the same window.

/// A boolean expression: whether `local_minute` (minutes after local
/// midnight) falls in the quiet window of the `agent_preferences` row
/// aliased `preferences`. The window may wrap past midnight (22:00 to
/// 07:00); no row, or no window, is never quiet.
pub fn sql(preferences: &str, local_minute: &str) -> String {
    format!(
        "COALESCE(CASE WHEN {p}.quiet_start <= {p}.quiet_end
                   THEN {m} >= {p}.quiet_start AND {m} < {p}.quiet_end
                   ELSE {m} >= {p}.quiet_start OR {m} < {p}.quiet_end END, false)",
        p = preferences,
        m = local_minute
    )
}
