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

/// The pure modules: no I/O, no browser, no clock and no RNG. The demo plan alone draws
/// from a generator, `fastrand`'s seeded one (built without `std`, fastrand has no other).
const PURE: [&str; 7] = [
    "domain",
    "read",
    "io",
    "forms",
    "demo.rs",
    "sync/nats.rs",
    "sync/jetstream.rs",
];

#[test]
fn the_pure_modules_do_no_io_and_know_no_browser() {
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
    for module in PURE {
        let path = src().join(module);
        let files = if path.is_dir() {
            rust_files(&path)
        } else {
            vec![path]
        };
        for file in files {
            let mut code = code(&file);
            if module == "demo.rs" {
                code = code.replace("use fastrand::Rng;", "");
            }
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
fn the_demo_plans_generator_can_only_be_seeded() {
    let manifest =
        fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.toml")).unwrap();
    assert!(manifest.contains(r#"fastrand = { version = "2", default-features = false }"#));
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

#[test]
fn the_ui_gets_rows_not_stored_events() {
    // The read side and the shell decode stored events; components render what they made.
    let decoding: Vec<PathBuf> = rust_files(&src().join("ui"))
        .into_iter()
        .filter(|file| code(file).contains("codec"))
        .collect();
    assert_eq!(decoding, Vec::<PathBuf>::new());
}

#[test]
fn the_read_side_folds_each_order_and_product_in_one_place() {
    // Folds per order: 1. Every read model and query reads `read/folds.rs`'s folds.
    let folding: Vec<PathBuf> = ["read", "ui"]
        .into_iter()
        .flat_map(|dir| rust_files(&src().join(dir)))
        .filter(|file| code(file).contains("evolve("))
        .collect();
    assert_eq!(folding, vec![src().join("read/folds.rs")]);
}
