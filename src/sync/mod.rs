//! Syncing a shop's log between devices through NATS `JetStream` (issue 16). So far the wire
//! protocol ([`nats`]); the engine that pushes and pulls the log comes next. It knows
//! streams, versions and commands, never orders.

pub mod nats;
