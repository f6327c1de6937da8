//! `make bench-scale`: what requests cost as data grows. The measured user's
//! tasks go from 1,000 to 1,000,000 (with 999 other users of 50 tasks each
//! around them); at each size listing, a search filtered to pending tasks
//! (make bench's), create and quick add run at a few connections, so that the percentiles say what a request
//! costs rather than how long it queued. Then the agents' first and idle
//! pass over 100 to 100,000 users (times inside the component, from its
//! summary line). Prints both as tables and draws them as
//! an SVG (`BENCH_PLOT`, default `docs/scaling.svg`).
//!
//! Settings: BENCH_SCALE_TASKS and BENCH_SCALE_USERS (comma-separated
//! sizes), BENCH_SECONDS (default 5 here), BENCH_CONNECTIONS (default 4).

use std::fmt::Write as _;
use std::time::{Duration, Instant};

use taskspin_testkit::{TestApp, workspace_root};

use crate::agents::{self, TASKS_PER_USER};
use crate::load::{self, Workload};
use crate::{seed, setting, task_scenarios};

/// Goals: a size's p99 at most this many times the smallest size's.
const FLAT: [(&str, f64); 4] = [
    ("list 50", 1.5),
    ("search", 3.0),
    ("create", 1.5),
    ("quick add", 1.5),
];

fn sizes(name: &str, default: &[i64]) -> Vec<i64> {
    std::env::var(name)
        .ok()
        .map(|value| {
            value
                .split(',')
                .filter_map(|size| size.trim().replace('_', "").parse().ok())
                .collect()
        })
        .filter(|sizes: &Vec<i64>| !sizes.is_empty())
        .unwrap_or_else(|| default.to_vec())
}

/// The four requests measured at each size, with this token.
fn workloads(token: &str) -> Vec<Workload> {
    let bearer = format!("Bearer {token}");
    task_scenarios()
        .map(|scenario| scenario.with_header("authorization", &bearer).into())
        .into()
}

/// The p99 of one scenario at one size, in ms.
struct Point {
    size: i64,
    scenario: String,
    p99: f64,
}

/// One agents' size: users, candidates, and both passes' seconds inside
/// the component (and the first's with the process's start).
struct AgentsPoint {
    users: i64,
    candidates: u64,
    created: u64,
    first: f64,
    idle: f64,
    first_wall: f64,
}

pub async fn run() -> anyhow::Result<()> {
    let task_sizes = sizes("BENCH_SCALE_TASKS", &[1_000, 10_000, 100_000, 1_000_000]);
    let user_sizes = sizes("BENCH_SCALE_USERS", &[100, 1_000, 10_000, 100_000]);
    let seconds = setting("BENCH_SECONDS", 5);
    let connections = setting("BENCH_CONNECTIONS", 4) as usize;

    let app = TestApp::spawn().await;
    let token = seed::measured_user(&app).await?;
    let db = app.db.connect().await;
    seed::other_users(&db).await?;
    db.batch_execute(&seed::tasks_sql(
        "SELECT id FROM users WHERE email LIKE 'user%'",
        1..=50,
    ))
    .await?;
    println!(
        "scaling: the measured user's tasks at {task_sizes:?} among 999 users of 50 tasks; {connections} connections, {seconds} s per scenario after 1 s of warm-up\n"
    );
    println!(
        "{:>10} {:<12} {:>9} {:>9} {:>9}",
        "tasks", "scenario", "req/s", "p50 ms", "p99 ms"
    );
    let mut points = Vec::new();
    let mut seeded = 0;
    for &size in &task_sizes {
        let started = Instant::now();
        if size > seeded {
            db.batch_execute(&seed::tasks_sql(seed::MEASURED, seeded + 1..=size))
                .await?;
            seeded = size;
        }
        db.batch_execute("VACUUM ANALYZE tasks").await?;
        let last = seed::last_task_id(&app.db).await?;
        println!(
            "{:>10} (seeded in {:.1} s)",
            size,
            started.elapsed().as_secs_f64()
        );
        for workload in workloads(&token) {
            load::run(
                app.host.address,
                &workload,
                connections,
                Duration::from_secs(1),
            )
            .await;
            let report = load::run(
                app.host.address,
                &workload,
                connections,
                Duration::from_secs(seconds),
            )
            .await;
            println!(
                "{:>10} {:<12} {:>9.0} {:>9.2} {:>9.2}{}",
                size,
                report.name,
                report.requests_per_second(),
                report.median_ms(),
                report.ms(0.99),
                if report.errors > 0 {
                    format!("  ({} errors)", report.errors)
                } else {
                    String::new()
                }
            );
            points.push(Point {
                size,
                scenario: report.name.clone(),
                p99: report.ms(0.99),
            });
        }
        // What create and quick add wrote goes, so the next size is exact.
        seed::reset(&app.db, last).await?;
    }
    let TestApp {
        host, db: test_db, ..
    } = app;
    host.stop().await;
    drop(db);
    drop(test_db);

    println!(
        "\nagents: {TASKS_PER_USER} tasks per user (10% overdue, 5% due within 48 hours), each size on a fresh database"
    );
    println!(
        "{:>8} {:>10} {:>10} {:>9} {:>9} {:>14} {:>12}",
        "users", "candidates", "created", "first s", "idle s", "first ms/cand.", "first wall s"
    );
    let mut agent_points = Vec::new();
    for &users in &user_sizes {
        let app = TestApp::spawn().await;
        let db = app.db.connect().await;
        agents::add_users(&db, 1..=users).await?;
        let first = agents::pass(&app.db).await?;
        let idle = agents::pass(&app.db).await?;
        let inside =
            |pass: &agents::Pass| pass.summary["duration_ms"].as_f64().unwrap_or(f64::NAN) / 1000.0;
        let point = AgentsPoint {
            users,
            candidates: first.summary["candidates"].as_u64().unwrap_or(0),
            created: first.summary["created"].as_u64().unwrap_or(0),
            first: inside(&first),
            idle: inside(&idle),
            first_wall: first.wall_seconds,
        };
        println!(
            "{:>8} {:>10} {:>10} {:>9.3} {:>9.3} {:>14.4} {:>12.2}",
            point.users,
            point.candidates,
            point.created,
            point.first,
            point.idle,
            point.first * 1000.0 / point.candidates.max(1) as f64,
            point.first_wall
        );
        agent_points.push(point);
    }

    println!("\ngoals (issue #16):");
    for (scenario, limit) in FLAT {
        let of: Vec<&Point> = points.iter().filter(|p| p.scenario == scenario).collect();
        if let (Some(first), Some(last)) = (of.first(), of.last()) {
            let growth = last.p99 / first.p99;
            println!(
                "  {scenario:<10} p99 {:.2} ms at {} tasks, {:.2} ms at {}: {growth:.2}x (<= {limit}) {}",
                first.p99,
                first.size,
                last.p99,
                last.size,
                if growth <= limit { "met" } else { "NOT met" }
            );
        }
    }
    if let (Some(first), Some(last)) = (agent_points.first(), agent_points.last()) {
        let per = |p: &AgentsPoint| p.first / p.candidates.max(1) as f64;
        println!(
            "  agents' first pass per candidate: {:.4} ms at {} users, {:.4} ms at {} ({:.2}x: linear in candidates when near 1)",
            per(first) * 1000.0,
            first.users,
            per(last) * 1000.0,
            last.users,
            per(last) / per(first)
        );
    }

    let plot = std::env::var("BENCH_PLOT")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|_| workspace_root().join("docs/scaling.svg"));
    std::fs::write(&plot, svg(&points, &agent_points))?;
    println!("\nplot: {}", plot.display());
    Ok(())
}

/// Two log-log panels: each scenario's p99 against the user's tasks, and the
/// agents' passes against users.
fn svg(points: &[Point], agents: &[AgentsPoint]) -> String {
    const WIDTH: f64 = 900.0;
    const HEIGHT: f64 = 380.0;
    const COLORS: [&str; 4] = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd"];
    let mut out = String::new();
    let _ = writeln!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}" font-family="sans-serif" font-size="12">"#
    );
    let _ = writeln!(
        out,
        r##"<rect width="100%" height="100%" fill="#ffffff"/>"##
    );
    let mut scenarios: Vec<&str> = Vec::new();
    for point in points {
        if !scenarios.contains(&point.scenario.as_str()) {
            scenarios.push(&point.scenario);
        }
    }
    let series: Vec<(&str, Vec<(f64, f64)>)> = scenarios
        .iter()
        .map(|&name| {
            (
                name,
                points
                    .iter()
                    .filter(|p| p.scenario == name)
                    .map(|p| (p.size as f64, p.p99))
                    .collect(),
            )
        })
        .collect();
    panel(
        &mut out,
        20.0,
        "p99 latency (ms) by the user's tasks",
        &series,
        &COLORS,
    );
    let agent_series = vec![
        (
            "first pass",
            agents.iter().map(|a| (a.users as f64, a.first)).collect(),
        ),
        (
            "idle pass",
            agents.iter().map(|a| (a.users as f64, a.idle)).collect(),
        ),
    ];
    panel(
        &mut out,
        WIDTH / 2.0 + 10.0,
        "agents' pass (s) by users",
        &agent_series,
        &COLORS,
    );
    let _ = writeln!(out, "</svg>");
    out
}

/// One panel at `left`: log-scaled axes over the series' range.
fn panel(
    out: &mut String,
    left: f64,
    title: &str,
    series: &[(&str, Vec<(f64, f64)>)],
    colors: &[&str],
) {
    let (top, width, height) = (40.0, 380.0, 260.0);
    let all = series.iter().flat_map(|(_, points)| points.iter());
    let (mut x_min, mut x_max, mut y_min, mut y_max) = (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
    for &(x, y) in all {
        x_min = x_min.min(x);
        x_max = x_max.max(x);
        y_min = y_min.min(y.max(1e-3));
        y_max = y_max.max(y);
    }
    if x_min > x_max {
        return;
    }
    // Whole decades around the data.
    let (x_lo, x_hi) = (
        x_min.log10().floor(),
        x_max.log10().ceil().max(x_min.log10().floor() + 1.0),
    );
    let (y_lo, y_hi) = (
        y_min.log10().floor(),
        y_max.log10().ceil().max(y_min.log10().floor() + 1.0),
    );
    let x_of = |x: f64| left + 50.0 + (x.log10() - x_lo) / (x_hi - x_lo) * (width - 60.0);
    let y_of = |y: f64| top + height - (y.max(1e-3).log10() - y_lo) / (y_hi - y_lo) * height;
    let _ = writeln!(
        out,
        r#"<text x="{}" y="{}" font-weight="bold">{title}</text>"#,
        left + 50.0,
        top - 15.0
    );
    let _ = writeln!(
        out,
        r##"<rect x="{}" y="{top}" width="{}" height="{height}" fill="none" stroke="#888"/>"##,
        left + 50.0,
        width - 60.0
    );
    let mut decade = x_lo;
    while decade <= x_hi {
        let x = x_of(10f64.powf(decade));
        let _ = writeln!(
            out,
            r##"<line x1="{x:.1}" y1="{top}" x2="{x:.1}" y2="{}" stroke="#eee"/><text x="{x:.1}" y="{}" text-anchor="middle">{}</text>"##,
            top + height,
            top + height + 16.0,
            label(10f64.powf(decade))
        );
        decade += 1.0;
    }
    let mut decade = y_lo;
    while decade <= y_hi {
        let y = y_of(10f64.powf(decade));
        let _ = writeln!(
            out,
            r##"<line x1="{}" y1="{y:.1}" x2="{}" y2="{y:.1}" stroke="#eee"/><text x="{}" y="{:.1}" text-anchor="end">{}</text>"##,
            left + 50.0,
            left + width - 10.0,
            left + 45.0,
            y + 4.0,
            label(10f64.powf(decade))
        );
        decade += 1.0;
    }
    for (index, (name, points)) in series.iter().enumerate() {
        let color = colors[index % colors.len()];
        let path: Vec<String> = points
            .iter()
            .map(|&(x, y)| format!("{:.1},{:.1}", x_of(x), y_of(y)))
            .collect();
        let _ = writeln!(
            out,
            r#"<polyline points="{}" fill="none" stroke="{color}" stroke-width="2"/>"#,
            path.join(" ")
        );
        for &(x, y) in points {
            let _ = writeln!(
                out,
                r#"<circle cx="{:.1}" cy="{:.1}" r="3" fill="{color}"/>"#,
                x_of(x),
                y_of(y)
            );
        }
        let legend_y = top + height + 36.0 + 16.0 * (index / 2) as f64;
        let legend_x = left + 50.0 + 170.0 * (index % 2) as f64;
        let _ = writeln!(
            out,
            r#"<rect x="{legend_x}" y="{}" width="12" height="4" fill="{color}"/><text x="{}" y="{legend_y}">{name}</text>"#,
            legend_y - 5.0,
            legend_x + 18.0
        );
    }
}

/// 1000 as "1k", 1000000 as "1M", 0.01 as "0.01".
fn label(value: f64) -> String {
    if value >= 1e6 {
        format!("{}M", value / 1e6)
    } else if value >= 1e3 {
        format!("{}k", value / 1e3)
    } else {
        format!("{value}")
    }
}
