//! Syncing a shop's log between devices through NATS `JetStream` (issue 16): the wire
//! protocol ([`nats`]), the shop's log as `JetStream` holds it ([`jetstream`]), and the
//! engine that pushes and pulls it ([`engine`]). It knows streams, versions and commands,
//! never orders.

pub mod engine;
pub mod jetstream;
pub mod nats;

pub use engine::{
    Connection, Decider, Quarantined, Recorded, Redecision, Refused, SyncEngine, SyncError,
    SyncState, Synced,
};
pub use jetstream::ShopLog;
