//! What several test files share: a tiny aggregate (`Tally`) and builders of commands and
//! stored events. Each test file uses part of it.
#![allow(dead_code)] // every test file compiles this module and uses only some of it

use orderlog::domain::{
    CreateOrder, CustomerName, Money, OrderCommand, OrderLine, Quantity, Sku, Timestamp,
};
use orderlog::es::{Aggregate, CommandMeta, Envelope, EventSchema, NewEvent};
use serde::{Deserialize, Serialize};
use thiserror::Error;

pub fn meta(command_id: &str) -> CommandMeta {
    CommandMeta::direct(command_id.into(), 1_767_225_600_000)
}

pub fn create_order(customer: &str, quantity: u32, cents: u64) -> OrderCommand {
    OrderCommand::Create(CreateOrder {
        customer: CustomerName::parse(customer).unwrap(),
        lines: vec![OrderLine {
            sku: Sku::parse("TEA-1").unwrap(),
            quantity: Quantity::new(quantity).unwrap(),
            unit_price: Money::from_cents(cents),
        }],
        created_at: Timestamp(1_767_225_600_000),
    })
}

/// A counter with a ceiling: enough of a domain to exercise the engine.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tally {
    pub count: u32,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TallyCommand {
    /// Add one, unless the tally is at the ceiling.
    Add { ceiling: u32 },
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", content = "data")]
pub enum TallyEvent {
    /// Carries the count it reached, so that a wrongly loaded state shows in the events.
    Added { reached: u32 },
}

impl EventSchema for TallyEvent {}

#[derive(Clone, Debug, Error, PartialEq, Eq)]
pub enum TallyError {
    #[error("the tally is full")]
    Full,
}

impl Aggregate for Tally {
    type Command = TallyCommand;
    type Event = TallyEvent;
    type Error = TallyError;

    fn decide(&self, command: &TallyCommand) -> Result<Vec<TallyEvent>, TallyError> {
        match command {
            TallyCommand::Add { ceiling } if self.count >= *ceiling => Err(TallyError::Full),
            TallyCommand::Add { .. } => Ok(vec![TallyEvent::Added {
                reached: self.count + 1,
            }]),
        }
    }

    fn evolve(self, event: &TallyEvent) -> Tally {
        match event {
            TallyEvent::Added { reached } => Tally { count: *reached },
        }
    }
}

pub fn new_event(event_type: &str, payload: &str) -> NewEvent {
    NewEvent {
        event_type: event_type.into(),
        schema_version: 1,
        payload: payload.into(),
    }
}

/// A stored event at `seq`, alone in its stream, with no hash.
pub fn stored(seq: u64, event_type: &str, payload: &str) -> Envelope {
    Envelope {
        seq,
        stream_id: format!("stream-{seq}"),
        stream_version: 1,
        event_type: event_type.into(),
        schema_version: 1,
        recorded_at: 0,
        command_id: format!("c{seq}"),
        correlation_id: format!("c{seq}"),
        causation_id: format!("c{seq}"),
        payload: payload.into(),
        hash: format!("hash-{seq}"),
    }
}
