//! Every integration test in one binary: the compiled components on
//! spinhost against real PostgreSQL, the browser test, the API fuzzer and the
//! MCP client. One binary links once and lets `cargo test` run tests from
//! every file side by side, where a binary per file linked fifteen times and
//! ran them one file after another. Filter by module: `cargo test --test
//! integration tasks::` runs the tasks API's tests.

mod agents;
mod api_fuzz;
mod assistant;
mod auth;
mod calendar;
mod e2e;
mod explain;
mod faults;
mod health;
mod host_cli;
mod hostile;
mod imports;
mod mcp;
mod migrate;
mod misbehaving_guest;
mod projects;
mod push;
mod tasks;
mod web;
