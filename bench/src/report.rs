//! What `make bench` prints after the measurements: ratios, the issue's
//! goals, sizes, and the profile of where a request's time goes.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use taskspin_testkit::TestDb;

use crate::load::{self, Report, Workload};
use crate::servers::Server;
use crate::{Measured, mib, pgcount};

const OURS: [&str; 10] = [
    "health", "list", "search", "create", "quick", "mixed", "project", "sidebar", "board",
    "reorder",
];

fn measured<'a>(results: &'a [Measured], server: &str, key: &str) -> Option<&'a Measured> {
    results.iter().find(|m| m.server == server && m.key == key)
}

fn find<'a>(results: &'a [Measured], server: &str, key: &str) -> Option<&'a Report> {
    measured(results, server, key).map(|m| &m.report)
}

fn ratio(ours: &Report, theirs: Option<&Report>) -> String {
    match theirs {
        Some(theirs) => format!(
            "{:>5.2}x {:>5.2}x",
            ours.requests_per_second() / theirs.requests_per_second(),
            ours.ms(0.99) / theirs.ms(0.99)
        ),
        None => format!("{:>13}", "-"),
    }
}

/// The servers our figures come from: real Spin's rows when it ran, else
/// spinhost's (app, floor).
pub fn runtime(results: &[Measured]) -> (&'static str, &'static str) {
    if results.iter().any(|m| m.server == "spin") {
        ("spin", "spin-floor")
    } else {
        ("taskspin", "floor")
    }
}

pub fn ratios(results: &[Measured]) {
    let (app, floor) = runtime(results);
    println!(
        "\nours ({app}) as ratios (throughput, p99): the floor is GET /floor ({floor}); the peers' same endpoint\n{:<14} {:>13} {:>13} {:>13}",
        "scenario", "vs floor", "vs node", "vs axum"
    );
    let floor = find(results, floor, "floor");
    for key in OURS {
        let Some(ours) = find(results, app, key) else {
            continue;
        };
        println!(
            "{:<14} {} {} {}",
            ours.name,
            ratio(ours, floor),
            ratio(ours, find(results, "node", key)),
            ratio(ours, find(results, "axum", key))
        );
    }
}

/// CPU time per request, the server's and PostgreSQL's, for every server:
/// on two saturated cores what a request costs decides its throughput.
pub fn cpu(results: &[Measured]) {
    let (app, floor) = runtime(results);
    println!(
        "\nCPU time per request in microseconds, server + PostgreSQL (the floor: {})\n{:<14} {:>13} {:>13} {:>13}",
        measured(results, floor, "floor").map_or("-".to_owned(), |m| format!(
            "{} + {}",
            m.cpu.server.as_micros(),
            m.cpu.postgres.as_micros()
        )),
        "scenario",
        app,
        "node",
        "axum"
    );
    for key in OURS {
        let Some(ours) = find(results, app, key) else {
            continue;
        };
        let column = |server: &str| {
            measured(results, server, key).map_or(format!("{:>13}", "-"), |m| {
                format!(
                    "{:>6} + {:>4}",
                    m.cpu.server.as_micros(),
                    m.cpu.postgres.as_micros()
                )
            })
        };
        println!(
            "{:<14} {} {} {}",
            ours.name,
            column(app),
            column("node"),
            column("axum")
        );
    }
}

fn verdict(met: bool) -> &'static str {
    if met { "met" } else { "NOT met" }
}

/// The goals of issue #16, each against the Node.js peer running the same
/// SQL in the same run: throughput at least 0.8x, p99 at most Node's, and
/// PostgreSQL's CPU per request at most 1.25x Node's.
pub fn goals(results: &[Measured], hwm: &BTreeMap<&str, u64>, warm_start: Duration) {
    let (app, floor) = runtime(results);
    println!("\ngoals (issue #16), {app} against Node.js on the same SQL:");
    for key in OURS {
        let (Some(ours), Some(node)) =
            (measured(results, app, key), measured(results, "node", key))
        else {
            continue;
        };
        let throughput = ours.report.requests_per_second() / node.report.requests_per_second();
        let postgres = ours.cpu.postgres.as_secs_f64() / node.cpu.postgres.as_secs_f64().max(1e-9);
        println!(
            "  {:<22} throughput {throughput:.2}x (>= 0.8) {}; p99 {:.1} vs {:.1} ms {}; PostgreSQL CPU {postgres:.2}x (<= 1.25) {}",
            ours.report.name,
            verdict(throughput >= 0.8),
            ours.report.ms(0.99),
            node.report.ms(0.99),
            verdict(ours.report.ms(0.99) <= node.report.ms(0.99)),
            verdict(postgres <= 1.25)
        );
    }
    let peak = |server: &str| {
        results
            .iter()
            .filter(|m| m.server == server)
            .map(|m| m.peak_rss)
            .max()
            .unwrap_or(0)
    };
    println!(
        "  memory under load (peak sampled RSS): {app} {:.0} MiB, Node {:.0} MiB, axum {:.0} MiB, floor host {:.0} MiB: {}",
        mib(peak(app)),
        mib(peak("node")),
        mib(peak("axum")),
        mib(peak(floor)),
        verdict(peak(app) < peak("node"))
    );
    let hwm: Vec<String> = hwm
        .iter()
        .map(|(name, bytes)| format!("{name} {:.0} MiB", mib(*bytes)))
        .collect();
    println!("  VmHWM over each server's whole life: {}", hwm.join(", "));
    println!(
        "  first answered request after a warm start: {:.0} ms (< 1 s) {}",
        warm_start.as_secs_f64() * 1000.0,
        verdict(warm_start < Duration::from_secs(1))
    );
}

/// The manifests the app ships, each pushed as an OCI image of its own: the
/// SpinApp (`spin.toml`), the migration Job and the agent's CronJob.
const MANIFESTS: [&str; 3] = ["spin.toml", "spin-migrate.toml", "spin-agent.toml"];

/// The components one manifest names.
fn manifest_components(root: &Path, manifest: &str) -> Vec<PathBuf> {
    let text = std::fs::read_to_string(root.join(manifest)).unwrap_or_default();
    text.lines()
        .filter_map(|line| {
            line.trim()
                .strip_prefix("source = \"")
                .and_then(|rest| rest.strip_suffix('"'))
                .filter(|source| source.ends_with(".wasm"))
                .map(|source| root.join(source))
        })
        .collect()
}

/// Every component the app's manifests name.
pub fn components(root: &Path) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = MANIFESTS
        .iter()
        .flat_map(|manifest| manifest_components(root, manifest))
        .collect();
    found.sort();
    found.dedup();
    found
}

fn directory_size(path: &Path) -> u64 {
    std::fs::read_dir(path).map_or(0, |entries| {
        entries
            .filter_map(Result::ok)
            .map(|entry| match entry.file_type() {
                Ok(kind) if kind.is_dir() => directory_size(&entry.path()),
                _ => entry.metadata().map_or(0, |m| m.len()),
            })
            .sum()
    })
}

pub fn sizes(root: &Path) -> anyhow::Result<()> {
    println!("\ncomponent sizes (goal: each under 2 MB):");
    let mut total = 0;
    let mut largest = 0;
    for wasm in components(root) {
        let bytes = std::fs::metadata(&wasm)?.len();
        total += bytes;
        largest = largest.max(bytes);
        println!(
            "  {:<24} {:>8.1} KiB",
            wasm.file_name().unwrap_or_default().to_string_lossy(),
            bytes as f64 / 1024.0
        );
    }
    let frontend = directory_size(&root.join("frontend/dist"));
    println!(
        "  components {:.2} MiB + frontend/dist {:.2} MiB (with its .br/.gz copies) = app artifact {:.2} MiB (goal: under 10 MB) {}; largest component {} the 2 MB goal",
        mib(total),
        mib(frontend),
        mib(total + frontend),
        verdict(total + frontend < 10_000_000),
        if largest < 2_000_000 { "under" } else { "OVER" }
    );
    // What each image carries: spin.toml's also holds frontend/dist.
    for manifest in MANIFESTS {
        let components: u64 = manifest_components(root, manifest)
            .iter()
            .filter_map(|wasm| std::fs::metadata(wasm).ok())
            .map(|metadata| metadata.len())
            .sum();
        let files = if manifest == "spin.toml" { frontend } else { 0 };
        println!(
            "  image of {manifest}: {:.2} MB",
            (components + files) as f64 / 1e6
        );
    }
    Ok(())
}

/// Component log lines written since `offset`: their median `duration_ms`.
fn component_median(log: &Path, offset: usize) -> (f64, usize) {
    let text = std::fs::read_to_string(log).unwrap_or_default();
    let mut durations: Vec<f64> = text
        .get(offset..)
        .unwrap_or_default()
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter_map(|record| record["duration_ms"].as_f64())
        .collect();
    durations.sort_by(f64::total_cmp);
    let median = durations
        .get(durations.len() / 2)
        .copied()
        .unwrap_or(f64::NAN);
    (median, text.len())
}

/// One connection at a time, through a counting proxy in front of
/// PostgreSQL: round trips and statements per request, and the median
/// latency seen by the client against the time the component itself reports
/// (the rest is the host: accepting, routing, instantiating, and the
/// checkout of a pooled connection, which Spin resets).
pub async fn profile(
    db: &TestDb,
    manifest: &Path,
    floor_manifest: &Path,
    logs: &Path,
    workloads: &[(&'static str, Workload)],
) -> anyhow::Result<()> {
    let (proxy, counts) = pgcount::start(format!("{}:{}", db.server.host, db.server.port)).await?;
    let env = vec![
        ("SPIN_VARIABLE_DB_HOST".to_owned(), proxy.ip().to_string()),
        ("SPIN_VARIABLE_DB_PORT".to_owned(), proxy.port().to_string()),
    ];
    println!(
        "\nprofile on spinhost: 1 connection, 3 s each, PostgreSQL behind a counting proxy (which adds a hop);\n\
         statements are the components' own (goal: at most 2 per request), resets the pool's on checkout\n{:<10} {:<24} {:>9} {:>11} {:>11} {:>7} {:>14} {:>13}",
        "server",
        "scenario",
        "requests",
        "round trips",
        "statements",
        "resets",
        "client p50 ms",
        "in component"
    );
    for (name, path, keys) in [
        (
            "taskspin",
            manifest,
            &[
                "health", "ready", "list", "search", "create", "quick", "project", "sidebar",
                "board", "reorder",
            ][..],
        ),
        ("floor", floor_manifest, &["floor"][..]),
    ] {
        let log = logs.join(format!("{name}-profile.log"));
        let ready = if name == "floor" { "/floor" } else { "/health" };
        let server = Server::spinhost(name, path, db, ready, &log, &env).await?;
        let mut offset = std::fs::read_to_string(&log).map_or(0, |t| t.len());
        for (_, workload) in workloads.iter().filter(|(key, _)| keys.contains(key)) {
            load::run(server.address, workload, 1, Duration::from_millis(300)).await;
            // The warm-up's log lines end up before the new offset.
            tokio::time::sleep(Duration::from_millis(100)).await;
            offset = component_median(&log, offset).1;
            let before = counts.snapshot();
            let report = load::run(server.address, workload, 1, Duration::from_secs(3)).await;
            let after = counts.snapshot();
            tokio::time::sleep(Duration::from_millis(100)).await;
            let (inside, end) = component_median(&log, offset);
            offset = end;
            let per = |a: u64, b: u64| (a - b) as f64 / report.count().max(1) as f64;
            let statements = per(after.statements, before.statements);
            println!(
                "{name:<10} {:<24} {:>9} {:>11.2} {:>7.2}{:<4} {:>7.2} {:>14.2} {:>13}",
                report.name,
                report.count(),
                per(after.round_trips, before.round_trips),
                statements,
                if statements <= 2.0 { "" } else { " (!)" },
                per(after.resets, before.resets),
                report.median_ms(),
                if inside.is_nan() {
                    "-".to_owned()
                } else {
                    format!("{inside:.2} ms")
                },
            );
        }
        server.stop().await;
    }
    Ok(())
}
