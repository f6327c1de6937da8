use std::process::Command;

use crate::{Server, workspace_root};

/// A PostgreSQL server of a test's own (initdb + pg_ctl through
/// `scripts/pg-cluster.sh`), for tests that stop and start the database.
pub struct PgCluster {
    dir: std::path::PathBuf,
    pub port: u16,
}

impl PgCluster {
    pub fn start() -> Self {
        Self::start_with(&[])
    }

    /// A cluster started with these server settings (`max_connections=30`),
    /// kept across restarts.
    pub fn start_with(settings: &[&str]) -> Self {
        let dir =
            std::env::temp_dir().join(format!("taskspin-pg-{}", uuid::Uuid::new_v4().simple()));
        std::fs::create_dir_all(&dir).expect("cluster directory");
        let port = free_port();
        let cluster = Self { dir, port };
        let port_text = port.to_string();
        let dir_text = cluster.dir_str();
        let mut args = vec!["start", &dir_text, &port_text];
        args.extend_from_slice(settings);
        cluster.script(&args);
        cluster
    }

    pub fn server(&self) -> Server {
        Server {
            host: "127.0.0.1".into(),
            port: self.port,
            user: "postgres".into(),
            password: String::new(),
        }
    }

    pub fn stop(&self) {
        self.script(&["stop", &self.dir_str()]);
    }

    pub fn start_again(&self) {
        self.script(&["start", &self.dir_str(), &self.port.to_string()]);
    }

    fn dir_str(&self) -> String {
        self.dir.display().to_string()
    }

    fn script(&self, args: &[&str]) {
        let output = Command::new(workspace_root().join("scripts/pg-cluster.sh"))
            .args(args)
            .output()
            .expect("run scripts/pg-cluster.sh");
        assert!(
            output.status.success(),
            "pg-cluster.sh {args:?}: {}",
            crate::describe(&output)
        );
    }
}

impl Drop for PgCluster {
    fn drop(&mut self) {
        let _ = Command::new(workspace_root().join("scripts/pg-cluster.sh"))
            .args(["stop", &self.dir_str()])
            .output();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// A port nothing listens on right now.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map(|address| address.port())
        .expect("a free port")
}
