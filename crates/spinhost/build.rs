//! Binds the host to the very WIT files the guest SDK ships: finds the
//! `spin-sdk` package of this workspace through `cargo metadata`, copies the
//! interfaces the host implements into OUT_DIR, and writes the `bindgen!`
//! invocation that points at them.

use std::path::{Path, PathBuf};
use std::process::Command;

fn main() {
    let manifest_dir = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap());
    let workspace = manifest_dir.join("../..");
    let out = PathBuf::from(std::env::var("OUT_DIR").unwrap());
    println!(
        "cargo:rerun-if-changed={}",
        workspace.join("Cargo.lock").display()
    );
    println!("cargo:rerun-if-changed={}", workspace.join("wit").display());

    let sdk_wit = spin_sdk_wit_dir(&workspace);
    let wit = out.join("wit");
    let _ = std::fs::remove_dir_all(&wit);
    let deps = wit.join("deps");
    copy_package(
        &sdk_wit.join("deps/spin-postgres@4.0.0"),
        &deps.join("spin-postgres"),
        None,
    );
    // `variables.wit` carries no package line of its own: it belongs to
    // `fermyon:spin@2.0.0`, whose world file would drag in every other interface.
    copy_package(
        &sdk_wit.join("deps/spin@2.0.0/variables.wit"),
        &deps.join("spin"),
        Some("package fermyon:spin@2.0.0;\n"),
    );
    copy_package(
        &workspace.join("wit/spin-cron.wit"),
        &deps.join("spin-cron"),
        None,
    );
    std::fs::write(
        wit.join("host.wit"),
        "package taskspin:host;\n\
         world spin-imports {\n  import spin:postgres/postgres@4.0.0;\n  import fermyon:spin/variables@2.0.0;\n}\n",
    )
    .unwrap();

    let bindings = format!(
        r#"
pub mod spin_host {{
    wasmtime::component::bindgen!({{
        path: {wit:?},
        world: "taskspin:host/spin-imports",
        imports: {{ default: async | trappable }},
        with: {{ "spin:postgres/postgres.connection": crate::postgres::PgConnection }},
    }});
}}
pub mod cron {{
    wasmtime::component::bindgen!({{
        path: {wit:?},
        world: "fermyon:spin-cron/spin-cron",
        exports: {{ default: async }},
    }});
}}
"#,
        wit = wit.display().to_string()
    );
    std::fs::write(out.join("bindings.rs"), bindings).unwrap();
}

fn spin_sdk_wit_dir(workspace: &Path) -> PathBuf {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let output = Command::new(cargo)
        .args(["metadata", "--format-version", "1", "--manifest-path"])
        .arg(workspace.join("Cargo.toml"))
        .output()
        .expect("run cargo metadata");
    assert!(
        output.status.success(),
        "cargo metadata failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let metadata: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let manifest_path = metadata["packages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "spin-sdk")
        .and_then(|p| p["manifest_path"].as_str())
        .expect("spin-sdk is a dependency of the workspace's components");
    Path::new(manifest_path).parent().unwrap().join("wit")
}

/// Copies one WIT file, or every file of a package directory, into `dest`.
fn copy_package(source: &Path, dest: &Path, prefix: Option<&str>) {
    std::fs::create_dir_all(dest).unwrap();
    let files: Vec<PathBuf> = if source.is_dir() {
        std::fs::read_dir(source)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect()
    } else {
        vec![source.to_path_buf()]
    };
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        let name = file.file_name().unwrap();
        std::fs::write(dest.join(name), format!("{}{text}", prefix.unwrap_or(""))).unwrap();
    }
}
