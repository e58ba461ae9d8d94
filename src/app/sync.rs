//! The shop's side of sync: how a command is recorded for the sync engine
//! ([`RecordedCommand`]), decided again when the shop's order changed under it, and how an
//! event pulled from the shop's log is checked before it is applied ([`ShopDecider`]).

use serde::{Deserialize, Serialize};

use crate::domain::customer::{customer_id, customer_stream, Customer};
use crate::domain::{
    product_sku, product_stream, Order, Product, Shop, ShopCommand, ShopEvent, SHOP_STREAM,
};
use crate::es::{codec, execute, CommandMeta, EventStore, ExecuteError, SnapshotStore};
use crate::sync::jetstream::WireEvent;
use crate::sync::{Decider, Redecision};

/// A command as a device records it for sync: the command with its time, which it keeps
/// when decided again.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordedCommand {
    pub command: ShopCommand,
    /// When it was first recorded, UTC milliseconds: its events' `recorded_at`.
    pub recorded_at: i64,
}

impl RecordedCommand {
    /// Its text, as the sync engine keeps it.
    ///
    /// # Panics
    /// Never: a command is plain data.
    #[must_use]
    pub fn text(&self) -> String {
        serde_json::to_string(self).expect("a command always serialises")
    }
}

/// Decides the shop's recorded commands again, with the aggregates' own rules.
#[derive(Clone, Copy, Debug, Default)]
pub struct ShopDecider;

impl<S: EventStore + SnapshotStore> Decider<S> for ShopDecider {
    async fn redecide(&self, store: &S, command_id: &str, command: &str) -> Result<(), Redecision> {
        let recorded: RecordedCommand = serde_json::from_str(command).map_err(|error| {
            Redecision::Refused(format!("this change could not be read again: {error}"))
        })?;
        let meta = CommandMeta::direct(command_id.to_owned(), recorded.recorded_at);
        match &recorded.command {
            ShopCommand::Order { stream_id, command } => {
                execute::<Order, _>(store, stream_id, command, &meta)
                    .await
                    .map(drop)
                    .map_err(redecision)
            }
            ShopCommand::Product { sku, command } => {
                execute::<Product, _>(store, &product_stream(sku), command, &meta)
                    .await
                    .map(drop)
                    .map_err(redecision)
            }
            ShopCommand::Shop(command) => execute::<Shop, _>(store, SHOP_STREAM, command, &meta)
                .await
                .map(drop)
                .map_err(redecision),
            ShopCommand::Customer {
                customer_id,
                command,
            } => execute::<Customer, _>(store, &customer_stream(customer_id), command, &meta)
                .await
                .map(drop)
                .map_err(redecision),
        }
    }

    fn check(&self, event: &WireEvent) -> Result<(), String> {
        let decoded =
            codec::decode::<ShopEvent>(&event.event_type, event.schema_version, &event.payload)
                .map_err(|error| error.to_string())?;
        let fits = match decoded {
            ShopEvent::Order(_) => event.stream_id.starts_with("order-"),
            ShopEvent::Product(_) => product_sku(&event.stream_id).is_some(),
            ShopEvent::Shop(_) => event.stream_id == SHOP_STREAM,
            ShopEvent::Customer(_) => customer_id(&event.stream_id).is_some(),
        };
        if fits {
            Ok(())
        } else {
            Err(format!(
                "a {} event does not belong in {}",
                event.event_type, event.stream_id
            ))
        }
    }
}

fn redecision<E: std::fmt::Display>(error: ExecuteError<E>) -> Redecision {
    match error {
        ExecuteError::Domain(refusal) => Redecision::Refused(refusal.to_string()),
        ExecuteError::Store(error) => Redecision::Failed(error),
        other => Redecision::Refused(other.to_string()),
    }
}
