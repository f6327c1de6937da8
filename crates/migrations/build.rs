//! Embeds `migrations/NNNN_name.sql` from the workspace root, with each file's
//! SHA-256, so a component carries its schema and knows the version it needs.

use sha2::{Digest, Sha256};
use std::fmt::Write;
use std::path::PathBuf;

fn main() {
    let dir = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap()).join("../../migrations");
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut files: Vec<(u32, String, PathBuf)> = std::fs::read_dir(&dir)
        .expect("read migrations/")
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "sql"))
        .map(|path| {
            let stem = path.file_stem().unwrap().to_str().unwrap().to_owned();
            let (number, name) = stem
                .split_once('_')
                .unwrap_or_else(|| panic!("migration {stem}.sql must be named NNNN_name.sql"));
            let version = number
                .parse()
                .unwrap_or_else(|_| panic!("migration {stem}.sql: bad number"));
            (version, name.to_owned(), path)
        })
        .collect();
    files.sort();
    for (index, (version, name, _)) in files.iter().enumerate() {
        assert_eq!(
            *version as usize,
            index + 1,
            "migration {name}: versions must run 1, 2, 3... without gaps"
        );
    }

    let mut out = String::from("pub const MIGRATIONS: &[Migration] = &[\n");
    for (version, name, path) in &files {
        println!("cargo:rerun-if-changed={}", path.display());
        let sql = std::fs::read(path).unwrap();
        let checksum = hex::encode(Sha256::digest(&sql));
        writeln!(
            out,
            "    Migration {{ version: {version}, name: {name:?}, checksum: {checksum:?}, sql: include_str!({path:?}) }},",
            path = path.canonicalize().unwrap()
        )
        .unwrap();
    }
    out.push_str("];\n");
    std::fs::write(
        PathBuf::from(std::env::var("OUT_DIR").unwrap()).join("migrations.rs"),
        out,
    )
    .unwrap();
}
