//! `make bench`: seeds a data set, then measures our app on spinhost and
//! three references in one run, each against the same database on the same
//! machine: the floor (a component doing one `SELECT 1` on the same host),
//! Node.js with Express and `pg`, and native axum with tokio-postgres
//! (`bench/peers/`). For every scenario it prints requests/s, latency
//! percentiles, errors and the server's peak memory; then our endpoints as
//! ratios to the references and the issue's goals, the host's start times,
//! the artifact sizes, and a profile (round trips and time in the component).
//!
//! Settings: BENCH_SECONDS (default 10), BENCH_CONNECTIONS (default 100);
//! BENCH_SERVERS and BENCH_SCENARIOS (comma-separated names, e.g.
//! `taskspin` and `create,quick`) run only those, to profile one of them,
//! and then print no ratios, goals or profile.
//! `taskspin-bench portability` imports and exports 50,000 tasks
//! (`portability.rs`; `make bench` runs it last), `taskspin-bench agents`
//! measures the agents' pass instead, and
//! `taskspin-bench scale` what requests cost as data grows (`scale.rs`).

mod agents;
mod load;
mod pgcount;
mod portability;
mod report;
mod scale;
mod seed;
mod servers;

use std::collections::BTreeMap;
use std::time::Duration;

use load::{Report, Scenario, Workload};
use servers::{CpuTime, RssSampler, Server};
use taskspin_testkit::{TestApp, workspace_root};

fn setting(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// A comma-separated allow-list from the environment; None when unset.
fn only(name: &str) -> Option<Vec<String>> {
    let value = std::env::var(name).ok()?;
    Some(value.split(',').map(|s| s.trim().to_owned()).collect())
}

fn allowed(list: &Option<Vec<String>>, name: &str) -> bool {
    list.as_ref()
        .is_none_or(|names| names.iter().any(|n| n == name))
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    match std::env::args().nth(1).as_deref() {
        Some("agents") => agents::run().await,
        Some("scale") => scale::run().await,
        Some("portability") => portability::run().await,
        _ => endpoints().await,
    }
}

/// Listing 50, the search, create and quick add, without credentials: what
/// `make bench` measures against the peers and `make bench-scale` at each size.
fn task_scenarios() -> [Scenario; 4] {
    // Due a week after the run starts, whenever it runs.
    let create_body = format!(
        r#"{{"title":"Benchmark task","priority":"high","tags":["bench"],"due_date":"{}"}}"#,
        taskspin_testkit::clock::date(7)
    );
    [
        Scenario::get("list 50", "/api/tasks?limit=50"),
        Scenario::get("search", &format!("/api/tasks?{}", seed::SEARCH)),
        Scenario::post_json("create", "/api/tasks", &create_body),
        Scenario::post_json(
            "quick add",
            "/api/tasks/quick",
            r#"{"text":"Call mom tomorrow 6pm !high #family"}"#,
        ),
    ]
}

/// The scenarios, by key; a server measures those whose path it serves.
fn workloads(seeded: &seed::Seeded) -> Vec<(&'static str, Workload)> {
    let bearer = format!("Bearer {}", seeded.token);
    let auth = |scenario: Scenario| scenario.with_header("authorization", &bearer);
    let project = seeded.project;
    let in_project = auth(Scenario::get(
        "project list 50",
        &format!("/api/tasks?project={project}&sort=manual&limit=50"),
    ));
    let sidebar = auth(Scenario::get("sidebar (20 projects)", "/api/projects"));
    // A board's two requests: a page of 200 of its tasks, and its sections.
    let board = Workload::mixed(
        "board 200 + sections",
        vec![
            auth(Scenario::get(
                "board",
                &format!("/api/tasks?project={project}&sort=manual&limit=200"),
            )),
            auth(Scenario::get(
                "sections",
                &format!("/api/projects/{project}/sections"),
            )),
        ],
    );
    // Each connection moves its own tasks, so that moves seldom wait for
    // one another's row locks.
    let reorder = Workload::mixed(
        "reorder (move after)",
        seeded
            .moves
            .iter()
            .map(|(task, after)| {
                auth(Scenario::post_json(
                    "move",
                    &format!("/api/tasks/{task}/move"),
                    &format!(r#"{{"after":{after}}}"#),
                ))
            })
            .collect(),
    );
    let [list, search, create, quick] = task_scenarios().map(auth);
    // 80% reads (listing and search), 20% writes (create and quick add).
    let mut mixed = Vec::new();
    for _ in 0..4 {
        mixed.push(list.clone());
        mixed.push(search.clone());
    }
    mixed.push(create.clone());
    mixed.push(quick.clone());
    vec![
        ("health", Scenario::get("GET /health", "/health").into()),
        (
            "floor",
            Scenario::get("GET /floor (SELECT 1)", "/floor").into(),
        ),
        (
            "ready",
            Scenario::get("GET /ready (one query)", "/ready").into(),
        ),
        ("list", list.into()),
        ("search", search.into()),
        // The projects' reads before the writes: creates add thousands of
        // tasks to the Inbox, which the sidebar's counts would then count.
        ("project", in_project.into()),
        ("sidebar", sidebar.into()),
        ("board", board),
        ("create", create.into()),
        ("quick", quick.into()),
        ("mixed", Workload::mixed("mixed 80/20", mixed)),
        ("reorder", reorder),
    ]
}

/// Which scenarios each server answers.
fn serves(server: &str, key: &str) -> bool {
    match server {
        "taskspin" | "spin" => key != "floor",
        "floor" | "spin-floor" => key == "floor",
        _ => key != "ready",
    }
}

pub struct Measured {
    pub server: &'static str,
    pub key: &'static str,
    pub report: Report,
    pub peak_rss: u64,
    /// CPU time per request: the server's and PostgreSQL's.
    pub cpu: CpuTime,
}

async fn endpoints() -> anyhow::Result<()> {
    let seconds = setting("BENCH_SECONDS", 10);
    let connections = setting("BENCH_CONNECTIONS", 100) as usize;
    let only_servers = only("BENCH_SERVERS");
    let only_scenarios = only("BENCH_SCENARIOS");
    let root = workspace_root();

    println!(
        "seeding: 1,000 users, 10,000 tasks for the measured one (in 20 projects, one of 2,000 with sections and subtasks), 50 for each other"
    );
    let app = TestApp::spawn().await;
    let seeded = seed::data_set(&app, 10_000).await?;
    let sign_in = seed::sign_in_milliseconds(&app, 20).await;
    let TestApp { host, db, .. } = app;
    host.stop().await;
    let last_seeded = seed::last_task_id(&db).await?;

    // Start times: a fresh compile cache, then the same again (warm).
    let logs = std::env::temp_dir().join(format!("taskspin-bench-{}", std::process::id()));
    std::fs::create_dir_all(&logs)?;
    let manifest = servers::isolated_manifest("spin.toml", &[])?;
    let cold = Server::spinhost(
        "taskspin",
        &manifest,
        &db,
        "/health",
        &logs.join("cold.log"),
        &[],
    )
    .await?;
    let cold_start = cold.first_answer;
    cold.stop().await;
    let floor_wasm = servers::bench_target().join("wasm32-wasip2/release/bench_floor.wasm");
    let floor_manifest = servers::isolated_manifest(
        "bench/floor.toml",
        &[(
            "../target/bench/wasm32-wasip2/release/bench_floor.wasm",
            floor_wasm.display().to_string(),
        )],
    )?;

    println!(
        "{connections} connections, {seconds} s per scenario (after 1 s of warm-up), load generator on the same machine\n"
    );
    // Real Spin serves the same manifests right after spinhost, when it is
    // installed: the report's ratios then come from its rows.
    let spin = servers::spin_installed();
    println!(
        "servers: taskspin and floor on spinhost{}; node and axum, the peers\n",
        if spin {
            ", spin and spin-floor the same manifests on real Spin (`spin up`)"
        } else {
            " (`spin` is not on PATH: no real-Spin rows)"
        }
    );
    println!(
        "{:<10} {}   {:>9} {:>12} {:>8}",
        "server",
        Report::header(),
        "peak RSS",
        "CPU/req: us",
        "PG us"
    );
    let mut results: Vec<Measured> = Vec::new();
    let mut warm_start = Duration::ZERO;
    let mut hwm = BTreeMap::new();

    let names = ["taskspin", "spin", "floor", "spin-floor", "node", "axum"]
        .into_iter()
        .filter(|name| spin || !name.starts_with("spin"));
    for name in names {
        if !allowed(&only_servers, name) {
            continue;
        }
        let server = match name {
            "spin" => Server::spin("spin", &manifest, &db, "/health", &logs).await?,
            "spin-floor" => {
                Server::spin("spin-floor", &floor_manifest, &db, "/floor", &logs).await?
            }
            "taskspin" => {
                let server = Server::spinhost(
                    "taskspin",
                    &manifest,
                    &db,
                    "/health",
                    &logs.join("app.log"),
                    &[],
                )
                .await?;
                warm_start = server.first_answer;
                server
            }
            "floor" => {
                Server::spinhost(
                    "floor",
                    &floor_manifest,
                    &db,
                    "/floor",
                    &logs.join("floor.log"),
                    &[],
                )
                .await?
            }
            "node" => Server::node(&db).await?,
            _ => Server::axum(&db).await?,
        };
        for (key, workload) in workloads(&seeded) {
            if !serves(name, key) || !allowed(&only_scenarios, key) {
                continue;
            }
            load::run(
                server.address,
                &workload,
                connections,
                Duration::from_secs(1),
            )
            .await;
            let sampler = RssSampler::start(server.pid());
            let cpu_before = CpuTime::now(server.pid());
            let report = load::run(
                server.address,
                &workload,
                connections,
                Duration::from_secs(seconds),
            )
            .await;
            let cpu = CpuTime::now(server.pid()).per_request(cpu_before, report.count());
            let peak_rss = sampler.finish().await;
            println!(
                "{name:<10} {report}   {:>6.0} MiB {:>12} {:>8}",
                mib(peak_rss),
                cpu.server.as_micros(),
                cpu.postgres.as_micros()
            );
            results.push(Measured {
                server: name,
                key,
                report,
                peak_rss,
                cpu,
            });
        }
        hwm.insert(name, server.peak_memory());
        server.stop().await;
        seed::reset(&db, last_seeded).await?;
    }

    if only_servers.is_none() && only_scenarios.is_none() {
        report::ratios(&results);
        report::cpu(&results);
        report::goals(&results, &hwm, warm_start);
        println!(
            "\nspinhost start to first answered request (all {} components compiled): cold cache {:.0} ms, warm cache {:.0} ms",
            report::components(&root).len(),
            cold_start.as_secs_f64() * 1000.0,
            warm_start.as_secs_f64() * 1000.0
        );
        println!(
            "sign-in inside the component (Argon2id verify + session), median of 20 one at a time: {sign_in:.1} ms"
        );
        report::sizes(&root)?;

        report::profile(&db, &manifest, &floor_manifest, &logs, &workloads(&seeded)).await?;
    }
    let _ = std::fs::remove_dir_all(&logs);
    for dir in [&manifest, &floor_manifest] {
        if let Some(parent) = dir.parent() {
            let _ = std::fs::remove_dir_all(parent);
        }
    }
    Ok(())
}

pub fn mib(bytes: u64) -> f64 {
    bytes as f64 / (1024.0 * 1024.0)
}
