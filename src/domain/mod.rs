//! The business of a small seller as pure deciders: values (money, quantities, names) that
//! cannot hold a bad state, and aggregates that `decide` on commands and `evolve` from events.
//!
//! Nothing here does I/O, is `async`, reads a clock or an RNG, or imports leptos, web-sys,
//! js-sys or `indexed_db_futures`: ids and timestamps arrive inside the commands. Everything is
//! tested natively (`cargo test`).

pub mod money;
pub mod order;
pub mod values;

pub use money::Money;
pub use order::{CreateOrder, Order, OrderCommand, OrderError, OrderEvent, OrderLine};
pub use values::{CustomerName, InputError, Quantity, Sku, Timestamp};
