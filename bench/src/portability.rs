//! `make bench`'s import and export of 50,000 tasks: a Todoist CSV of one
//! project (50 sections, every fifth task a subtask, every tenth dated in
//! quick-add words) uploaded and previewed, run by the import job, then
//! the account exported as JSON, CSV and iCalendar. Prints each step's
//! time and the host process's peak memory while it ran.

use std::time::{Duration, Instant};

use taskspin_testkit::{Account, TestApp};

use crate::mib;
use crate::servers::RssSampler;

pub const TASKS: usize = 50_000;

/// The CSV, written as Todoist exports it.
fn todoist_csv() -> String {
    let mut csv = String::from(
        "TYPE,CONTENT,DESCRIPTION,PRIORITY,INDENT,AUTHOR,RESPONSIBLE,DATE,DATE_LANG,TIMEZONE\n",
    );
    for n in 0..TASKS {
        if n % 1000 == 0 {
            csv.push_str(&format!("section,Section {},,,,,,,,\n", n / 1000));
        }
        let indent = if n % 5 == 4 { 2 } else { 1 };
        let date = match n % 10 {
            0 => "every monday",
            3 => "tomorrow 5pm",
            _ => "",
        };
        csv.push_str(&format!(
            "task,Task {n} @bench,Imported for the benchmark,{},{indent},Bench,,{date},en,Europe/Berlin\n",
            1 + n % 4
        ));
    }
    csv
}

async fn timed<T>(pid: u32, work: impl std::future::Future<Output = T>) -> (T, f64, u64) {
    let sampler = RssSampler::start(pid);
    let started = Instant::now();
    let value = work.await;
    let seconds = started.elapsed().as_secs_f64();
    (value, seconds, sampler.finish().await)
}

pub async fn run() -> anyhow::Result<()> {
    let app = TestApp::spawn().await;
    let pid = app
        .host
        .pid()
        .ok_or_else(|| anyhow::anyhow!("the host has no pid"))?;
    let account = Account::new(&app, "bench@example.org").await;
    let file = todoist_csv();
    println!("\nImport and export of {TASKS} tasks (spinhost, one person)");
    println!(
        "{:<32} {:>9} {:>12} {:>14}",
        "step", "seconds", "size (MiB)", "peak RSS (MiB)"
    );
    let size = file.len() as f64 / (1 << 20) as f64;
    let (preview, seconds, rss) = timed(pid, async {
        let response = account
            .client
            .post(account.url("/api/imports?name=Bench.csv"))
            .body(file)
            .send()
            .await?;
        anyhow::ensure!(response.status() == 201, "upload: {}", response.status());
        Ok::<_, anyhow::Error>(response.json::<serde_json::Value>().await?)
    })
    .await;
    let preview = preview?;
    println!(
        "{:<32} {seconds:>9.2} {size:>12.1} {:>14.1}",
        "upload and preview",
        mib(rss)
    );
    anyhow::ensure!(
        preview["preview"]["tasks"] == TASKS,
        "preview: {}",
        preview["preview"]
    );
    let id = preview["id"].as_str().unwrap_or_default().to_owned();

    let (done, seconds, rss) = timed(pid, async {
        let confirmed = account.post(&format!("/api/imports/{id}/confirm")).await;
        anyhow::ensure!(confirmed.status() == 202, "confirm: {}", confirmed.status());
        loop {
            let import = account.get(&format!("/api/imports/{id}")).await;
            if import["status"] == "done" || import["status"] == "failed" {
                return Ok(import);
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    })
    .await;
    let done = done?;
    anyhow::ensure!(
        done["result"]["created"]["tasks"] == TASKS,
        "import: {done}"
    );
    println!(
        "{:<32} {seconds:>9.2} {:>12} {:>14.1}",
        "import job (to done)",
        "",
        mib(rss)
    );

    for format in ["json", "csv", "ics"] {
        let (bytes, seconds, rss) = timed(pid, async {
            let response = account
                .client
                .get(account.url(&format!("/api/export?format={format}")))
                .send()
                .await?;
            anyhow::ensure!(response.status() == 200, "export: {}", response.status());
            Ok::<_, anyhow::Error>(response.bytes().await?.len())
        })
        .await;
        let size = bytes? as f64 / (1 << 20) as f64;
        println!(
            "{:<32} {seconds:>9.2} {size:>12.1} {:>14.1}",
            format!("export {format}"),
            mib(rss)
        );
    }
    Ok(())
}
