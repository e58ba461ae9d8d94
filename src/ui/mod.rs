//! Leptos components, by feature. They render read-only signals and dispatch through
//! [`crate::app::AppCtx`]; they hold no business rules and never touch storage.

mod announcer;
mod cash_up;
mod control;
mod customers;
mod dashboard;
mod event_log;
mod format;
mod import;
mod later;
mod locale;
mod new_order;
mod order_detail;
mod orders_table;
mod products;
mod receipt;
mod returns;
mod settings;
mod shell;
mod shortcuts;
mod sync;
mod time_travel;

pub use shell::App;
