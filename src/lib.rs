//! orderlog: an offline-first order desk that runs in the browser, built on CQRS and event
//! sourcing over IndexedDB.
//!
//! - [`domain`]: pure deciders: orders, products and stock, money, the values a seller
//!   types, and the stock policy linking orders to products.
//! - [`es`]: the generic event-sourcing engine: envelope, stores, command execution,
//!   projections.
//! - [`read`]: read models as plain folds of events.
//! - [`io`]: data in and out: a Shopify orders export read as commands.
//! - [`forms`]: what a seller types into a form, turned into commands or the reasons not.
//! - [`demo`]: the demo shop, a seeded plan of real commands.
//! - [`app`]: the shell wiring domain, engine and read models; holds read models as signals.
//! - [`ui`]: Leptos components: render and dispatch, nothing else.
//! - [`sync`]: the log between devices through NATS `JetStream`; so far its wire protocol.
//! - [`tasks`]: waiting for a later task of the page's event loop.
//!
//! `ARCHITECTURE.md` has the map, the life of a command and the invariants.

pub mod app;
#[cfg(all(feature = "bench", target_arch = "wasm32"))]
pub mod bench;
pub mod demo;
pub mod domain;
pub mod es;
pub mod forms;
pub mod io;
pub mod read;
pub mod sync;
pub mod tasks;
pub mod ui;
