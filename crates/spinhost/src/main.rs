use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::bail;
use clap::{Parser, Subcommand};
use spinhost::app::{App, one_line};
use spinhost::cron_trigger::CronTrigger;
use spinhost::http_trigger::HttpTrigger;
use spinhost::{command_trigger, cron_trigger};

/// Runs a Spin application's components on Wasmtime, the way `spin up` does.
#[derive(Parser)]
#[command(version)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the HTTP routes and run the cron schedules of an application.
    Up {
        /// The application manifest.
        #[arg(short = 'f', long = "from", default_value = "spin.toml")]
        manifest: PathBuf,
        /// Address to listen on; port 0 picks a free port.
        #[arg(long, default_value = "127.0.0.1:3000")]
        listen: SocketAddr,
    },
    /// Run a command-trigger component once and exit with its status.
    Run {
        /// The application manifest.
        #[arg(short = 'f', long = "from", default_value = "spin.toml")]
        manifest: PathBuf,
        /// The component to run; defaults to the manifest's only [[trigger.command]].
        component: Option<String>,
        /// Arguments passed to the component.
        #[arg(last = true)]
        args: Vec<String>,
    },
}

fn main() -> ExitCode {
    // A bug in the host must still end with one line, not a backtrace.
    std::panic::set_hook(Box::new(|info| {
        eprintln!("spinhost: internal error: {info}")
    }));
    tracing_subscriber::fmt()
        .json()
        .with_writer(std::io::stderr)
        .with_max_level(log_level())
        .with_target(false)
        .init();
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(runtime) => runtime,
        Err(error) => return fail(&error.into()),
    };
    match runtime.block_on(run(cli.command)) {
        Ok(code) => ExitCode::from(u8::try_from(code).unwrap_or(1)),
        Err(error) => fail(&error),
    }
}

fn fail(error: &anyhow::Error) -> ExitCode {
    eprintln!("spinhost: error: {}", one_line(error));
    ExitCode::FAILURE
}

fn log_level() -> tracing::Level {
    std::env::var("SPINHOST_LOG")
        .ok()
        .and_then(|level| level.parse().ok())
        .unwrap_or(tracing::Level::INFO)
}

async fn run(command: Command) -> anyhow::Result<i32> {
    match command {
        Command::Up { manifest, listen } => up(manifest, listen).await.map(|()| 0),
        Command::Run {
            manifest,
            component,
            args,
        } => {
            let app = App::load(&manifest, |loaded| {
                let commands = &loaded.manifest.trigger.command;
                let chosen = match (&component, commands.as_slice()) {
                    (Some(id), _) if commands.iter().any(|t| &t.component == id) => id.clone(),
                    (Some(id), _) => {
                        bail!("component `{id}` has no [[trigger.command]] in the manifest")
                    }
                    (None, [only]) => only.component.clone(),
                    (None, []) => bail!("the manifest has no [[trigger.command]]"),
                    (None, _) => bail!("the manifest has several [[trigger.command]]: name one"),
                };
                Ok(vec![chosen])
            })?;
            let id = component
                .unwrap_or_else(|| app.manifest.manifest.trigger.command[0].component.clone());
            command_trigger::run(&app, &id, &args).await
        }
    }
}

async fn up(manifest: PathBuf, listen: SocketAddr) -> anyhow::Result<()> {
    let app = App::load(&manifest, |loaded| {
        let triggers = &loaded.manifest.trigger;
        if !triggers.command.is_empty() {
            bail!(
                "the manifest has [[trigger.command]], which would end the app under `spin up`; \
                 give command components a manifest of their own and use `spinhost run`"
            );
        }
        for cron in &triggers.cron {
            cron_trigger::parse_schedule(&cron.cron_expression)?;
        }
        let mut ids: Vec<String> = triggers
            .http
            .iter()
            .map(|t| t.component.clone())
            .chain(triggers.cron.iter().map(|t| t.component.clone()))
            .collect();
        ids.sort();
        ids.dedup();
        Ok(ids)
    })?;
    let app = Arc::new(app);
    let cron = CronTrigger::new(app.clone())?;
    let has_http = !app.manifest.manifest.trigger.http.is_empty();
    let http = if has_http {
        Some(HttpTrigger::bind(app.clone(), listen).await?)
    } else {
        None
    };
    if let Some(http) = &http {
        eprintln!("Serving http://{}", http.local_addr());
        eprintln!("Available Routes:");
        for (component, route) in http.routes() {
            eprintln!("  {component}: http://{}{}", http.local_addr(), route);
        }
    }
    for (component, schedule) in cron.schedules() {
        eprintln!("Cron: {component} on `{schedule}` (UTC)");
    }
    let serve = async {
        match http {
            Some(http) => http.serve().await,
            None => std::future::pending().await,
        }
    };
    tokio::select! {
        result = serve => result,
        () = cron.run() => Ok(()),
        () = shutdown_signal() => Ok(()),
    }
}

async fn shutdown_signal() {
    let mut terminate = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        .expect("install SIGTERM handler");
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        _ = terminate.recv() => {}
    }
}
