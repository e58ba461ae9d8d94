//! Read models: plain structs that fold stored events into what a view shows. They record
//! what happened and hold no business rules; they do no I/O and know nothing of signals or
//! IndexedDB. Each implements [`crate::es::Projection`] and is tested by folding events.

mod orders_list;

pub use orders_list::{OrderRow, OrdersList};
