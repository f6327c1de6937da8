use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

use crate::{TestDb, spinhost_bin, workspace_root};

#[derive(Debug, Clone, Default)]
pub struct HostOptions {
    /// The manifest to serve, relative to the workspace (default `spin.toml`).
    pub manifest: Option<PathBuf>,
    /// Extra environment, such as `SPIN_VARIABLE_*` overrides.
    pub env: Vec<(String, String)>,
}

/// A running `spinhost up`, killed when dropped.
pub struct Host {
    child: Child,
    pub address: SocketAddr,
    stdout: Arc<Mutex<Vec<String>>>,
    stderr: Arc<Mutex<Vec<String>>>,
}

impl Host {
    pub async fn start(db: &TestDb, options: HostOptions) -> Self {
        let manifest = options.manifest.unwrap_or_else(|| "spin.toml".into());
        let mut child = Command::new(spinhost_bin())
            .current_dir(workspace_root())
            .arg("up")
            .arg("-f")
            .arg(&manifest)
            .args(["--listen", "127.0.0.1:0"])
            .envs(db.spin_env())
            // Tests speak plain HTTP, where a Secure cookie would not come back.
            .env("SPIN_VARIABLE_COOKIE_SECURE", "false")
            .envs(options.env)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .expect("start spinhost");
        let stdout = collect(child.stdout.take().expect("stdout"));
        let stderr = collect(child.stderr.take().expect("stderr"));

        let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
        let address = loop {
            let serving = stderr
                .lock()
                .unwrap()
                .iter()
                .find_map(|line| line.strip_prefix("Serving http://").map(str::to_owned));
            if let Some(address) = serving {
                break address.parse().expect("the address spinhost prints");
            }
            if let Ok(Some(status)) = child.try_wait() {
                panic!(
                    "spinhost exited with {status}:\n{}",
                    stderr.lock().unwrap().join("\n")
                );
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "spinhost did not start in 30 s"
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        };
        Self {
            child,
            address,
            stdout,
            stderr,
        }
    }

    /// The host process's id, to read its memory use.
    pub fn pid(&self) -> Option<u32> {
        self.child.id()
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.address)
    }

    /// Every line the components wrote to stdout so far.
    pub fn stdout_lines(&self) -> Vec<String> {
        self.stdout.lock().unwrap().clone()
    }

    pub fn stderr_lines(&self) -> Vec<String> {
        self.stderr.lock().unwrap().clone()
    }

    /// Stdout lines parsed as JSON; panics on a line that is not.
    pub fn log_records(&self) -> Vec<serde_json::Value> {
        self.stdout_lines()
            .iter()
            .map(|line| {
                serde_json::from_str(line).unwrap_or_else(|e| panic!("not JSON ({e}): {line}"))
            })
            .collect()
    }

    /// Waits until a log record satisfies `matches` (logs arrive through a pipe).
    pub async fn wait_for_log(
        &self,
        matches: impl Fn(&serde_json::Value) -> bool,
    ) -> serde_json::Value {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
        loop {
            if let Some(record) = self.log_records().into_iter().find(&matches) {
                return record;
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "no matching log line in:\n{:#?}",
                self.stdout_lines()
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    pub async fn stop(mut self) {
        let _ = self.child.kill().await;
    }
}

fn collect(stream: impl tokio::io::AsyncRead + Unpin + Send + 'static) -> Arc<Mutex<Vec<String>>> {
    let lines = Arc::new(Mutex::new(Vec::new()));
    let sink = lines.clone();
    tokio::spawn(async move {
        let mut reader = BufReader::new(stream).lines();
        while let Ok(Some(line)) = reader.next_line().await {
            sink.lock().unwrap().push(line);
        }
    });
    lines
}
