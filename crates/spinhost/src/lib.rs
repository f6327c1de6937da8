//! A small Spin-compatible host on Wasmtime. It runs the same `spin.toml` and
//! `.wasm` files as `spin up`, for machines where the Spin CLI cannot be
//! installed. See this crate's README for exactly what it covers.

pub mod allowed_hosts;
pub mod app;
pub mod command_trigger;
pub mod cron_trigger;
pub mod http_trigger;
pub mod manifest;
pub mod postgres;
pub mod state;
pub mod variables;

/// Generated from the WIT files the guest SDK ships (see `build.rs`).
#[allow(clippy::all)]
pub mod bindings {
    include!(concat!(env!("OUT_DIR"), "/bindings.rs"));
}
