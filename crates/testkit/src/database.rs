use std::process::Output;
use std::str::FromStr;

use tokio_postgres::{Client, Config, NoTls};

use crate::{spinhost_bin, workspace_root};

/// A PostgreSQL server the tests may create databases on.
#[derive(Debug, Clone)]
pub struct Server {
    pub host: String,
    pub port: u16,
    pub user: String,
    pub password: String,
}

impl Server {
    /// The server in `DATABASE_URL`, else the local one on 127.0.0.1:5432.
    pub fn from_env() -> Self {
        let url = std::env::var("DATABASE_URL")
            .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into());
        Self::from_url(&url)
    }

    pub fn from_url(url: &str) -> Self {
        let config = Config::from_str(url).expect("DATABASE_URL is a valid connection string");
        let host = match config.get_hosts().first() {
            Some(tokio_postgres::config::Host::Tcp(host)) => host.clone(),
            _ => "127.0.0.1".into(),
        };
        Self {
            host,
            port: config.get_ports().first().copied().unwrap_or(5432),
            user: config.get_user().unwrap_or("postgres").to_owned(),
            password: config
                .get_password()
                .map(|p| String::from_utf8_lossy(p).into_owned())
                .unwrap_or_default(),
        }
    }

    pub async fn connect(&self, database: &str) -> anyhow::Result<Client> {
        let mut config = Config::new();
        config
            .host(&self.host)
            .port(self.port)
            .user(&self.user)
            .password(&self.password)
            .dbname(database)
            .connect_timeout(std::time::Duration::from_secs(5));
        let (client, connection) = config.connect(NoTls).await?;
        tokio::spawn(connection);
        Ok(client)
    }
}

/// A database of one test's own, dropped when the test ends.
pub struct TestDb {
    pub name: String,
    pub server: Server,
}

impl TestDb {
    pub async fn create() -> Self {
        Self::create_on(Server::from_env()).await
    }

    pub async fn create_on(server: Server) -> Self {
        let name = format!("taskspin_test_{}", uuid::Uuid::new_v4().simple());
        let admin = server
            .connect("postgres")
            .await
            .expect("connect to the test server");
        admin
            .batch_execute(&format!("CREATE DATABASE {name}"))
            .await
            .expect("create the test database");
        Self { name, server }
    }

    /// The `SPIN_VARIABLE_*` settings that point a component at this database.
    pub fn spin_env(&self) -> Vec<(String, String)> {
        [
            ("DB_HOST", self.server.host.clone()),
            ("DB_PORT", self.server.port.to_string()),
            ("DB_NAME", self.name.clone()),
            ("DB_USER", self.server.user.clone()),
            ("DB_PASSWORD", self.server.password.clone()),
            ("DB_SSLMODE", "disable".into()),
        ]
        .into_iter()
        .map(|(name, value)| (format!("SPIN_VARIABLE_{name}"), value))
        .collect()
    }

    pub async fn connect(&self) -> Client {
        self.server
            .connect(&self.name)
            .await
            .expect("connect to the test database")
    }

    /// Runs the real `migrate` component through the host.
    pub async fn migrate(&self) -> Output {
        self.run_migrate().output().await.expect("run spinhost")
    }

    /// The migrate command, to start several at once.
    pub fn run_migrate(&self) -> tokio::process::Command {
        self.command_app("spin-migrate.toml")
    }

    /// One pass of the agents (`spin-agent.toml`), to start several at once.
    pub fn run_agent(&self) -> tokio::process::Command {
        self.command_app("spin-agent.toml")
    }

    /// `spinhost run` of a command-trigger manifest against this database.
    fn command_app(&self, manifest: &str) -> tokio::process::Command {
        let mut command = tokio::process::Command::new(spinhost_bin());
        command
            .current_dir(workspace_root())
            .args(["run", "-f", manifest])
            .envs(self.spin_env())
            .kill_on_drop(true);
        command
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        let (server, name) = (self.server.clone(), self.name.clone());
        // Drop runs outside async code: use a runtime of its own.
        let dropped = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .ok()?;
            runtime.block_on(async {
                let admin = server.connect("postgres").await.ok()?;
                admin
                    .batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                    .await
                    .ok()
            })
        })
        .join();
        if !matches!(dropped, Ok(Some(()))) {
            eprintln!("warning: could not drop test database {}", self.name);
        }
    }
}
