//! Bad input to the host: one clear error line and a non-zero exit, never a
//! panic or a backtrace.

use std::path::Path;
use std::process::Command;

use taskspin_testkit::{spinhost_bin, workspace_root};

fn wasm(name: &str) -> String {
    workspace_root()
        .join(format!("target/wasm32-wasip2/release/{name}.wasm"))
        .display()
        .to_string()
}

fn manifest(trigger: &str, source: &str) -> String {
    format!(
        r#"spin_manifest_version = 2
[application]
name = "bad"
{trigger}
[component.app]
source = "{source}"
"#
    )
}

const HTTP: &str = "[[trigger.http]]\nroute = \"/...\"\ncomponent = \"app\"";

/// Runs the host on `manifest_text` and returns its one error line.
fn error_line(dir: &Path, manifest_text: &str, command: &[&str]) -> String {
    let path = dir.join("spin.toml");
    std::fs::write(&path, manifest_text).unwrap();
    let mut host = Command::new(spinhost_bin());
    host.args(command).arg("-f").arg(&path);
    if command == ["up"] {
        host.args(["--listen", "127.0.0.1:0"]);
    }
    let output = host.output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr).trim().to_owned();
    assert!(
        !output.status.success(),
        "expected a failure, got success: {stderr}"
    );
    assert_eq!(stderr.lines().count(), 1, "one line: {stderr}");
    assert!(stderr.starts_with("spinhost: error: "), "{stderr}");
    assert!(
        !stderr.contains("panicked") && !stderr.contains("backtrace"),
        "{stderr}"
    );
    stderr
}

#[test]
fn malformed_manifest() {
    let dir = tempfile::tempdir().unwrap();
    let line = error_line(
        dir.path(),
        "spin_manifest_version = 2\n[application\nname=",
        &["up"],
    );
    assert!(line.contains("invalid manifest"), "{line}");
}

#[test]
fn unknown_keys_are_named() {
    let dir = tempfile::tempdir().unwrap();
    let text = manifest(HTTP, &wasm("health")) + "sqlite_databases = [\"default\"]\n";
    let line = error_line(dir.path(), &text, &["up"]);
    assert!(line.contains("sqlite_databases"), "{line}");
}

#[test]
fn missing_wasm_file() {
    let dir = tempfile::tempdir().unwrap();
    let line = error_line(dir.path(), &manifest(HTTP, "nowhere/app.wasm"), &["up"]);
    assert!(
        line.contains("cannot read") && line.contains("nowhere/app.wasm"),
        "{line}"
    );
}

#[test]
fn a_file_that_is_not_a_component() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("junk.wasm"), b"not wasm at all").unwrap();
    let line = error_line(dir.path(), &manifest(HTTP, "junk.wasm"), &["up"]);
    assert!(line.contains("not a valid component"), "{line}");
}

#[test]
fn unknown_trigger_type() {
    let dir = tempfile::tempdir().unwrap();
    let trigger = "[[trigger.redis]]\nchannel = \"x\"\ncomponent = \"app\"";
    let line = error_line(dir.path(), &manifest(trigger, &wasm("health")), &["up"]);
    assert!(line.contains("redis"), "{line}");
}

#[test]
fn an_import_the_host_does_not_provide() {
    let dir = tempfile::tempdir().unwrap();
    let component = wat::parse_str(
        r#"(component (import "spin:sqlite/sqlite@3.0.0" (instance (export "open" (func)))))"#,
    )
    .unwrap();
    std::fs::write(dir.path().join("sqlite.wasm"), component).unwrap();
    let line = error_line(dir.path(), &manifest(HTTP, "sqlite.wasm"), &["up"]);
    assert!(
        line.contains("spin:sqlite/sqlite@3.0.0") && line.contains("component `app`"),
        "{line}"
    );
}

#[test]
fn an_http_route_to_a_component_without_a_handler() {
    let dir = tempfile::tempdir().unwrap();
    let line = error_line(dir.path(), &manifest(HTTP, &wasm("migrate")), &["up"]);
    assert!(
        line.contains("does not export wasi:http/incoming-handler"),
        "{line}"
    );
}

#[test]
fn a_cron_expression_spin_would_refuse() {
    let dir = tempfile::tempdir().unwrap();
    let trigger = "[[trigger.cron]]\ncomponent = \"app\"\ncron_expression = \"*/5 * * * *\"";
    let line = error_line(dir.path(), &manifest(trigger, &wasm("health")), &["up"]);
    assert!(line.contains("six"), "{line}");
}

#[test]
fn run_needs_a_command_trigger() {
    let dir = tempfile::tempdir().unwrap();
    let line = error_line(dir.path(), &manifest(HTTP, &wasm("health")), &["run"]);
    assert!(line.contains("[[trigger.command]]"), "{line}");
}

#[test]
fn a_required_variable_without_a_value() {
    let dir = tempfile::tempdir().unwrap();
    let text = manifest(HTTP, &wasm("health")).replace(
        "[application]",
        "[variables]\nllm_api_key = { required = true }\n[application]",
    );
    let line = error_line(dir.path(), &text, &["up"]);
    assert!(line.contains("SPIN_VARIABLE_LLM_API_KEY"), "{line}");
}
