//! One request's guest trapping, looping forever or hoarding memory harms
//! only that request: the host keeps serving the others, and its memory stays
//! bounded (the test-only guest in tests/guests/misbehave).

use std::time::{Duration, Instant};

use taskspin_testkit::{Host, HostOptions, TestDb};

/// The host's resident memory, from /proc.
fn resident_mib(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find_map(|line| line.strip_prefix("VmRSS:"))
                .and_then(|value| {
                    value
                        .trim()
                        .trim_end_matches("kB")
                        .trim()
                        .parse::<u64>()
                        .ok()
                })
        })
        .map_or(0, |kib| kib / 1024)
}

async fn ok_quickly(client: &reqwest::Client, host: &Host) {
    let started = Instant::now();
    let response = client.get(host.url("/ok")).send().await.unwrap();
    assert_eq!(response.status(), 200);
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_trapping_looping_or_hoarding_guest_harms_only_its_own_request() {
    let db = TestDb::create().await;
    let host = Host::start(
        &db,
        HostOptions {
            manifest: Some("tests/guests/misbehave/spin.toml".into()),
            env: Vec::new(),
        },
    )
    .await;
    let client = reqwest::Client::new();
    let pid = host.pid().expect("the host runs");
    ok_quickly(&client, &host).await;
    let before = resident_mib(pid);

    // A trap is that request's 500.
    for _ in 0..20 {
        let trapped = client.get(host.url("/trap")).send().await.unwrap();
        assert_eq!(trapped.status(), 500);
        ok_quickly(&client, &host).await;
    }

    // Hoarding memory stops at the instance's limit; the memory goes back.
    for _ in 0..5 {
        let hoarded = client.get(host.url("/hoard")).send().await.unwrap();
        assert_eq!(hoarded.status(), 500);
        ok_quickly(&client, &host).await;
    }

    // Two requests that never end, as many as the machine has cores: the
    // others are still served, promptly.
    let impatient = reqwest::Client::builder()
        .timeout(Duration::from_secs(20))
        .build()
        .unwrap();
    let loops: Vec<_> = (0..2)
        .map(|_| {
            let (client, url) = (impatient.clone(), host.url("/loop"));
            tokio::spawn(async move { client.get(url).send().await })
        })
        .collect();
    tokio::time::sleep(Duration::from_millis(500)).await;
    let started = Instant::now();
    for _ in 0..20 {
        ok_quickly(&client, &host).await;
    }
    println!(
        "20 requests beside two endless ones in {:?}",
        started.elapsed()
    );
    for runaway in loops {
        runaway.abort();
    }

    let after = resident_mib(pid);
    println!("host memory: {before} MiB before, {after} MiB after");
    assert!(after < before + 300, "{before} MiB -> {after} MiB");
    host.stop().await;
}
