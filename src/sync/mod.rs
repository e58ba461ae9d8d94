//! Syncing a shop's log between devices through NATS `JetStream` (issue 16): the wire
//! protocol ([`nats`]), a client over any transport of bytes ([`client`]; a WebSocket in the
//! browser, [`websocket`]), the shop's log as `JetStream` holds it ([`jetstream`]), and the
//! engine that pushes and pulls it ([`engine`]). It knows streams, versions and commands,
//! never orders.

pub mod client;
pub mod engine;
pub mod jetstream;
pub mod nats;
pub mod websocket;

pub use client::{NatsClient, Transport};
pub use engine::{
    Connection, Decider, Quarantined, Redecision, Refused, SyncEngine, SyncError, SyncState, Synced,
};
pub use jetstream::ShopLog;
pub use websocket::WebSocketTransport;
