//! Architecture invariants from ARCHITECTURE.md, checked on the source text.

use std::fs;
use std::path::{Path, PathBuf};

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(rust_files(&path));
        } else if path.extension().is_some_and(|ext| ext == "rs") {
            files.push(path);
        }
    }
    files.sort();
    files
}

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// Source lines, without the comments that may name what the code must not use.
fn code(path: &Path) -> String {
    fs::read_to_string(path)
        .unwrap()
        .lines()
        .filter(|line| !line.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn domain_read_models_and_io_formats_do_no_io_and_know_no_browser() {
    let forbidden = [
        "leptos",
        "web_sys",
        "js_sys",
        "indexed_db_futures",
        "gloo",
        "async ",
        ".await",
        "Date::now",
        "SystemTime",
        "rand",
    ];
    let mut offences = Vec::new();
    for dir in ["domain", "read", "io"] {
        for file in rust_files(&src().join(dir)) {
            let code = code(&file);
            for word in forbidden {
                if code.contains(word) {
                    offences.push(format!("{} uses {word}", file.display()));
                }
            }
        }
    }
    assert_eq!(offences, Vec::<String>::new());
}

#[test]
fn only_the_idb_store_knows_indexed_db() {
    let knowing: Vec<PathBuf> = rust_files(&src())
        .into_iter()
        .filter(|file| {
            code(file).contains("indexed_db_futures") || code(file).contains("web_sys::Idb")
        })
        .collect();
    assert_eq!(knowing, vec![src().join("es/idb.rs")]);
}

#[test]
fn every_module_opens_with_a_paragraph_saying_what_lives_there() {
    let undocumented: Vec<PathBuf> = rust_files(&src())
        .into_iter()
        .filter(|file| !file.ends_with("main.rs"))
        .filter(|file| !fs::read_to_string(file).unwrap().starts_with("//!"))
        .collect();
    assert_eq!(undocumented, Vec::<PathBuf>::new());
}

#[test]
fn the_engine_knows_nothing_of_orders() {
    let knowing: Vec<PathBuf> = rust_files(&src().join("es"))
        .into_iter()
        .filter(|file| {
            let code = code(file).to_lowercase().replace("orderlog", "");
            code.contains("domain::") || code.contains("order")
        })
        .collect();
    assert_eq!(knowing, Vec::<PathBuf>::new());
}
