//! Spin's command trigger (the `trigger-command` plugin): run a component's
//! `wasi:cli/run` export once and report its exit status.

use wasmtime_wasi::I32Exit;
use wasmtime_wasi::p2::bindings::CommandPre;

use crate::app::{App, one_line};
use crate::state::State;

/// Runs the command component and returns the process exit code it asked for.
pub async fn run(app: &App, component: &str, args: &[String]) -> anyhow::Result<i32> {
    let prepared = app.component(component);
    let pre = CommandPre::new(prepared.pre.clone()).map_err(|e| {
        anyhow::anyhow!(
            "component `{component}` does not export wasi:cli/run: {}",
            one_line(&e.into())
        )
    })?;
    let mut argv = vec![component.to_owned()];
    argv.extend_from_slice(args);
    let mut store = app.new_store(State::new(prepared.config.clone(), &argv)?);
    let command = pre.instantiate_async(&mut store).await?;
    match command.wasi_cli_run().call_run(&mut store).await {
        Ok(Ok(())) => Ok(0),
        Ok(Err(())) => Ok(1),
        Err(trap) => match trap.downcast_ref::<I32Exit>() {
            Some(exit) => Ok(exit.0),
            None => {
                Err(anyhow::Error::from(trap).context(format!("component `{component}` trapped")))
            }
        },
    }
}
