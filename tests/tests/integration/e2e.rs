//! The web app end to end in a real browser: `frontend/e2e/run.mjs` drives
//! Debian's chromium with playwright-core against the app the testkit serves
//! (fresh database, spinhost, the real .wasm files and frontend/dist).
//!
//! The script asks this test for what only the test can do by printing a
//! line: `@@agent-pass` runs one agent pass (spin-agent.toml) against the
//! test's database, then the test answers `@@done` on the script's stdin.
//! The app sends Web Push to a push service stand-in
//! (tests/push/push_service.py) whose address the script gets as
//! `PUSH_SERVICE_URL`: headless Chromium reaches no real push service.
//! Screenshots land in `target/screenshots/` (`E2E_SCREENSHOTS` overrides).
//! Needs `make build` (frontend/dist, node_modules) and /usr/bin/chromium
//! (`CHROMIUM` overrides).

use std::process::Stdio;
use std::time::Duration;

use taskspin_testkit::{HostOptions, PushService, TestApp, describe, workspace_root};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::process::Command;

#[tokio::test]
async fn the_web_app_in_a_browser() {
    let root = workspace_root();
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    assert!(
        std::path::Path::new(&chromium).exists(),
        "{chromium} is missing: `apt-get install chromium` (.ci/run does)"
    );
    assert!(
        root.join("frontend/node_modules/playwright-core").exists(),
        "frontend/node_modules is missing: run `make build`"
    );
    let push = PushService::start().await;
    let app = TestApp::spawn_with(HostOptions {
        env: push.spin_env(),
        ..HostOptions::default()
    })
    .await;
    let screenshots = std::env::var("E2E_SCREENSHOTS")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|_| root.join("target/screenshots"));

    let mut script = Command::new("node")
        .current_dir(&root)
        .arg("frontend/e2e/run.mjs")
        .env("BASE_URL", app.url(""))
        .env("CHROMIUM", &chromium)
        .env("SCREENSHOTS", &screenshots)
        .env("PUSH_SERVICE_URL", &push.origin)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .kill_on_drop(true)
        .spawn()
        .expect("run node frontend/e2e/run.mjs");
    let mut stdin = script.stdin.take().expect("stdin");
    let mut lines = BufReader::new(script.stdout.take().expect("stdout")).lines();

    let run = async {
        while let Some(line) = lines.next_line().await.expect("read the script's output") {
            match line.trim() {
                "@@agent-pass" => {
                    let output = app.run_agent().output().await.expect("run the agent");
                    assert!(output.status.success(), "agent pass: {}", describe(&output));
                    stdin
                        .write_all(b"@@done\n")
                        .await
                        .expect("answer the script");
                    stdin.flush().await.expect("answer the script");
                }
                _ => println!("{line}"),
            }
        }
        script.wait().await.expect("wait for the script")
    };
    let status = tokio::time::timeout(Duration::from_secs(300), run)
        .await
        .expect("the browser run took over 5 minutes");
    if !status.success() {
        eprintln!("--- host stderr\n{}", app.host.stderr_lines().join("\n"));
    }
    assert!(status.success(), "frontend/e2e/run.mjs failed: {status}");
}
