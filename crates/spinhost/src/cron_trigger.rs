//! Spin's cron trigger (the `trigger-cron` plugin): six-field expressions,
//! seconds first, evaluated in UTC; each tick runs a fresh instance.

use std::str::FromStr;
use std::sync::Arc;

use anyhow::Context;
use chrono::Utc;

use crate::app::{App, one_line};
use crate::bindings::cron::{SpinCronPre, fermyon::spin_cron::cron_types::Metadata};
use crate::state::State;

struct Job {
    component: String,
    schedule: cron::Schedule,
    pre: SpinCronPre<State>,
}

pub struct CronTrigger {
    app: Arc<App>,
    jobs: Vec<Job>,
}

impl CronTrigger {
    pub fn new(app: Arc<App>) -> anyhow::Result<Self> {
        let jobs =
            app.manifest
                .manifest
                .trigger
                .cron
                .iter()
                .map(|trigger| {
                    let schedule = parse_schedule(&trigger.cron_expression).with_context(|| {
                        format!("[[trigger.cron]] for component `{}`", trigger.component)
                    })?;
                    let pre = SpinCronPre::new(app.component(&trigger.component).pre.clone())
                        .map_err(|e| {
                            anyhow::anyhow!(
                                "component `{}` does not export handle-cron-event: {}",
                                trigger.component,
                                one_line(&e.into())
                            )
                        })?;
                    Ok(Job {
                        component: trigger.component.clone(),
                        schedule,
                        pre,
                    })
                })
                .collect::<anyhow::Result<_>>()?;
        Ok(Self { app, jobs })
    }

    pub fn schedules(&self) -> impl Iterator<Item = (&str, String)> {
        self.jobs
            .iter()
            .map(|job| (job.component.as_str(), job.schedule.to_string()))
    }

    /// Runs every schedule; never returns, even with no schedules.
    pub async fn run(self) {
        for job in self.jobs {
            tokio::spawn(run_schedule(self.app.clone(), job));
        }
        std::future::pending::<()>().await
    }
}

pub fn parse_schedule(expression: &str) -> anyhow::Result<cron::Schedule> {
    let fields = expression.split_whitespace().count();
    anyhow::ensure!(
        fields == 6,
        "cron_expression `{expression}` has {fields} fields; Spin's cron trigger takes six, seconds first"
    );
    cron::Schedule::from_str(expression)
        .with_context(|| format!("invalid cron_expression `{expression}`"))
}

async fn run_schedule(app: Arc<App>, job: Job) {
    let job = Arc::new(job);
    for next in job.schedule.upcoming_owned(Utc) {
        let wait = (next - Utc::now()).to_std().unwrap_or_default();
        tokio::time::sleep(wait).await;
        // Ticks run concurrently: a slow run never delays the next one.
        let (app, job) = (app.clone(), job.clone());
        tokio::spawn(async move {
            let timestamp = next.timestamp().max(0) as u64;
            if let Err(error) = fire(&app, &job, timestamp).await {
                tracing::error!(
                    component = job.component,
                    error = one_line(&error),
                    "cron run failed"
                );
            }
        });
    }
}

async fn fire(app: &App, job: &Job, timestamp: u64) -> anyhow::Result<()> {
    let config = app.component(&job.component).config.clone();
    let mut store = app.new_store(State::new(config, &[])?);
    let instance = job.pre.instantiate_async(&mut store).await?;
    instance
        .call_handle_cron_event(&mut store, Metadata { timestamp })
        .await?
        .map_err(|error| anyhow::anyhow!("component reported {error:?}"))
}
