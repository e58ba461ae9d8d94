//! Every native integration test, in one test binary: each `tests/*.rs` would be a binary of
//! its own, linked again on every change. One module per concern, grouped by layer; run one
//! with a filter (`cargo test --test native engine::`). The browser tests (`tests/browser.rs`)
//! and the store benchmark (`tests/bench_store.rs`) are wasm32 binaries of their own.
#![cfg(not(target_arch = "wasm32"))]

// Shared with `tests/browser.rs`, hence outside this directory. `conformance` comes first:
// its `for_each_case!` is in scope in the modules declared after it.
#[macro_use]
#[path = "../conformance/mod.rs"]
mod conformance;
#[path = "../support/mod.rs"]
mod support;

// domain: the deciders as specifications, golden JSON, properties
mod domain_corrections;
mod domain_customer;
mod domain_order;
mod domain_product;
mod domain_properties;
mod domain_returns;
mod domain_tax;
mod shop_events;
mod stock_policy;

// es: execution, the stored shape, projections, the store contract
mod codec;
mod engine;
mod projections;
mod store_memory;

// read: the views as folds
mod orders_query;
mod read_cash_up;
mod read_customers;
mod read_dashboard;
mod read_orders_list;
mod read_products;

// io: the Shopify import and backups
mod backup;
mod import_shopify;

// app: bulk loads, the demo, the stock process, two tabs
mod bulk;
mod demo_plan;
mod stock_process;
mod two_tabs;

// sync: the NATS protocol, parsed and against a real JetStream (`ORDERLOG_NATS`), and the
// sync engine between devices through it
mod nats;
mod sync;
mod sync_faults;

// every input path fuzzed (`FUZZ_CASES` per target; the test command runs `fuzz::` alone)
mod fuzz;

// the architecture invariants, on the source text
mod tidy;
