//! Leptos components, by feature. They render read-only signals and dispatch through
//! [`crate::app::AppCtx`]; they hold no business rules and never touch storage.

mod new_order;
mod orders_table;
mod shell;

pub use shell::App;
