//! The servers a benchmark compares, each a process of its own started
//! here: our app and the floor on spinhost, the Node.js and axum peers.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::process::{Child, Command};

use taskspin_testkit::{TestDb, spinhost_bin, workspace_root};

pub struct Server {
    child: Child,
    pub address: SocketAddr,
    /// How long from spawning it to its first answered request.
    pub first_answer: Duration,
}

fn free_address() -> anyhow::Result<SocketAddr> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?)
}

/// The status code of one `GET`, or None when nothing answers yet.
pub async fn status(address: SocketAddr, path: &str) -> Option<u16> {
    let mut stream = tokio::net::TcpStream::connect(address).await.ok()?;
    let request = format!("GET {path} HTTP/1.1\r\nhost: {address}\r\nconnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).await.ok()?;
    let mut head = [0u8; 12];
    stream.read_exact(&mut head).await.ok()?;
    std::str::from_utf8(&head[9..12]).ok()?.parse().ok()
}

impl Server {
    async fn spawn(
        name: &'static str,
        mut command: Command,
        address: SocketAddr,
        ready_path: &str,
    ) -> anyhow::Result<Self> {
        let started = Instant::now();
        let mut child = command
            .stdin(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .with_context(|| format!("start {name}"))?;
        loop {
            if status(address, ready_path).await == Some(200) {
                break;
            }
            if let Some(exit) = child.try_wait()? {
                bail!("{name} exited with {exit} before answering");
            }
            if started.elapsed() > Duration::from_secs(120) {
                bail!("{name} did not answer {ready_path} within 120 s");
            }
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
        Ok(Self {
            first_answer: started.elapsed(),
            child,
            address,
        })
    }

    /// `spinhost up` serving `manifest` against `db`; components' stdout (one
    /// JSON line per request) goes to `log`.
    pub async fn spinhost(
        name: &'static str,
        manifest: &Path,
        db: &TestDb,
        ready_path: &str,
        log: &Path,
        env: &[(String, String)],
    ) -> anyhow::Result<Self> {
        let address = free_address()?;
        let mut command = up(spinhost_bin(), manifest, address, db);
        command
            .envs(env.iter().cloned())
            .stdout(std::fs::File::create(log)?)
            .stderr(Stdio::null());
        Self::spawn(name, command, address, ready_path).await
    }

    /// Real Spin (`spin up`) serving `manifest` against `db`, as spinhost
    /// does; its components' logs go to `log_dir`.
    pub async fn spin(
        name: &'static str,
        manifest: &Path,
        db: &TestDb,
        ready_path: &str,
        log_dir: &Path,
    ) -> anyhow::Result<Self> {
        let address = free_address()?;
        let mut command = up("spin".into(), manifest, address, db);
        command
            .arg("--log-dir")
            .arg(log_dir)
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        Self::spawn(name, command, address, ready_path).await
    }

    fn peer_command(command: &mut Command, db: &TestDb, address: SocketAddr) {
        command
            .env("PORT", address.port().to_string())
            .env("PGHOST", &db.server.host)
            .env("PGPORT", db.server.port.to_string())
            .env("PGDATABASE", &db.name)
            .env("PGUSER", &db.server.user)
            .env("PGPASSWORD", &db.server.password)
            .stdout(Stdio::null())
            .stderr(Stdio::null());
    }

    pub async fn node(db: &TestDb) -> anyhow::Result<Self> {
        let address = free_address()?;
        let mut command = Command::new(std::env::var("NODE").unwrap_or_else(|_| "node".into()));
        command.arg(workspace_root().join("bench/peers/node/server.js"));
        Self::peer_command(&mut command, db, address);
        Self::spawn("node", command, address, "/health").await
    }

    pub async fn axum(db: &TestDb) -> anyhow::Result<Self> {
        let address = free_address()?;
        let mut command = Command::new(bench_target().join("release/bench-peer-axum"));
        Self::peer_command(&mut command, db, address);
        Self::spawn("axum", command, address, "/health").await
    }

    pub fn pid(&self) -> u32 {
        self.child.id().unwrap_or(0)
    }

    /// Peak resident memory of the process so far (VmHWM), in bytes.
    pub fn peak_memory(&self) -> u64 {
        memory_field(self.pid(), "VmHWM:")
    }

    pub async fn stop(mut self) {
        let _ = self.child.kill().await;
    }
}

/// `<program> up` of `manifest` on `address` against `db`: spinhost and
/// Spin take the same arguments and variables.
fn up(program: PathBuf, manifest: &Path, address: SocketAddr, db: &TestDb) -> Command {
    let mut command = Command::new(program);
    command
        .arg("up")
        .arg("-f")
        .arg(manifest)
        .arg("--listen")
        .arg(address.to_string())
        .envs(db.spin_env())
        .env("SPIN_VARIABLE_COOKIE_SECURE", "false");
    command
}

/// Whether the `spin` CLI is on `PATH`: then real Spin serves the app and
/// the floor too.
pub fn spin_installed() -> bool {
    std::env::var_os("PATH")
        .is_some_and(|path| std::env::split_paths(&path).any(|dir| dir.join("spin").is_file()))
}

/// Where `make bench` builds the floor component and the axum peer.
pub fn bench_target() -> PathBuf {
    workspace_root().join("target/bench")
}

fn memory_field(pid: u32, field: &str) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|status| {
            status.lines().find_map(|line| {
                line.strip_prefix(field)?
                    .trim()
                    .strip_suffix("kB")?
                    .trim()
                    .parse::<u64>()
                    .ok()
            })
        })
        .map_or(0, |kib| kib * 1024)
}

/// Samples a process's resident memory every 50 ms until stopped; the
/// highest sample is the peak under the load measured meanwhile.
pub struct RssSampler {
    stop: Arc<AtomicBool>,
    peak: Arc<AtomicU64>,
    task: tokio::task::JoinHandle<()>,
}

impl RssSampler {
    pub fn start(pid: u32) -> Self {
        let stop = Arc::new(AtomicBool::new(false));
        let peak = Arc::new(AtomicU64::new(0));
        let task = tokio::spawn({
            let (stop, peak) = (stop.clone(), peak.clone());
            async move {
                while !stop.load(Ordering::Relaxed) {
                    peak.fetch_max(memory_field(pid, "VmRSS:"), Ordering::Relaxed);
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
            }
        });
        Self { stop, peak, task }
    }

    pub async fn finish(self) -> u64 {
        self.stop.store(true, Ordering::Relaxed);
        let _ = self.task.await;
        self.peak.load(Ordering::Relaxed)
    }
}

/// CPU time (user and system) used so far by the server and by PostgreSQL.
/// Under saturation throughput swings by several percent from run to run;
/// CPU per request says more steadily what each request costs.
#[derive(Debug, Clone, Copy)]
pub struct CpuTime {
    pub server: Duration,
    /// Every process named `postgres` on the machine: the backends serving
    /// the benchmark are most of it, but another cluster's would count too.
    pub postgres: Duration,
}

impl CpuTime {
    pub fn now(server: u32) -> Self {
        let postgres = std::fs::read_dir("/proc")
            .into_iter()
            .flatten()
            .flatten()
            .filter_map(|entry| entry.file_name().to_str()?.parse::<u32>().ok())
            .filter(|pid| {
                std::fs::read_to_string(format!("/proc/{pid}/comm"))
                    .is_ok_and(|comm| comm.trim() == "postgres")
            })
            .map(process_cpu)
            .sum();
        Self {
            server: process_cpu(server),
            postgres,
        }
    }

    /// What was used between `earlier` and now, per request.
    pub fn per_request(self, earlier: CpuTime, requests: u64) -> CpuTime {
        let requests = u32::try_from(requests.max(1)).unwrap_or(u32::MAX);
        CpuTime {
            server: self.server.saturating_sub(earlier.server) / requests,
            postgres: self.postgres.saturating_sub(earlier.postgres) / requests,
        }
    }
}

/// `utime` + `stime` of `/proc/<pid>/stat`, in the kernel's fixed 100 ticks
/// per second (USER_HZ).
fn process_cpu(pid: u32) -> Duration {
    let ticks = std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .ok()
        .and_then(|stat| {
            // The command name may hold spaces; the fields follow its `)`.
            let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
            Some(fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?)
        })
        .unwrap_or(0);
    Duration::from_millis(ticks * 10)
}

/// A folder with a copy of `manifest` whose relative paths still reach the
/// workspace's `target/` and `frontend/` (through links), so spinhost's
/// compile cache (`.spin/` next to the manifest) starts out empty there.
pub fn isolated_manifest(manifest: &str, replace: &[(&str, String)]) -> anyhow::Result<PathBuf> {
    let dir = std::env::temp_dir().join(format!(
        "taskspin-bench-{}-{}",
        std::process::id(),
        manifest.replace(['/', '.'], "-")
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir)?;
    let root = workspace_root();
    for link in ["target", "frontend"] {
        std::os::unix::fs::symlink(root.join(link), dir.join(link))?;
    }
    let mut text = std::fs::read_to_string(root.join(manifest))?;
    for (from, to) in replace {
        text = text.replace(from, to);
    }
    let copy = dir.join("spin.toml");
    std::fs::write(&copy, text)?;
    Ok(copy)
}
