//! What the test binaries share: the given/when/then harness of the deciders'
//! specifications, a tiny aggregate (`Tally`) for the engine, and builders of commands and
//! stored events. The native tests (`tests/native/`) and the browser tests each use part of it.
#![allow(dead_code)] // each test binary compiles this module and uses only some of it

#[cfg(not(target_arch = "wasm32"))]
pub mod random_shop;
pub mod shop;

use std::fmt::Debug;

use futures::executor::block_on;
use orderlog::domain::Order;
use orderlog::domain::{
    CreateOrder, Currency, CustomerName, LineId, Money, OrderCommand, OrderLine, ProductName,
    Quantity, Sku, Timestamp,
};
use orderlog::es::{
    execute, Aggregate, CommandMeta, Envelope, EventSchema, EventStore, MemoryStore, NewEvent,
};
use serde::{Deserialize, Serialize};
use thiserror::Error;

pub struct Given<A>(A);

pub struct Then<A: Aggregate>(Result<Vec<A::Event>, A::Error>);

/// The aggregate after `events`.
pub fn given<A: Aggregate>(events: impl IntoIterator<Item = A::Event>) -> Given<A> {
    Given(
        events
            .into_iter()
            .fold(A::default(), |state, event| state.evolve(&event)),
    )
}

impl<A: Aggregate> Given<A> {
    #[allow(clippy::needless_pass_by_value)] // `.when(command)` reads as the specification
    pub fn when(self, command: A::Command) -> Then<A> {
        Then(self.0.decide(&command))
    }
}

impl<A: Aggregate> Then<A>
where
    A::Event: Debug + PartialEq,
    A::Error: PartialEq,
{
    #[track_caller]
    pub fn then(self, expected: Vec<A::Event>) {
        assert_eq!(self.0, Ok(expected));
    }

    #[track_caller]
    pub fn then_err(self, expected: A::Error) {
        assert_eq!(self.0, Err(expected));
    }
}

pub fn meta(command_id: &str) -> CommandMeta {
    CommandMeta::direct(command_id.into(), 1_767_225_600_000)
}

/// The log of one order per `(customer, quantity, cents)`, each created by a command of its
/// own (stream `order-n`, command `cn`): an `OrderCreated` and a `LineAdded` each.
pub fn orders_log(orders: &[(&str, u32, u64)]) -> Vec<Envelope> {
    let store = MemoryStore::new();
    for (n, &(customer, quantity, cents)) in orders.iter().enumerate() {
        block_on(execute::<Order, _>(
            &store,
            &format!("order-{n}"),
            &create_order(customer, quantity, cents),
            &meta(&format!("c{n}")),
        ))
        .unwrap();
    }
    block_on(store.read_all(1, u32::MAX)).unwrap()
}

pub fn create_order(customer: &str, quantity: u32, cents: u64) -> OrderCommand {
    OrderCommand::Create(CreateOrder {
        name: None,
        customer: CustomerName::parse(customer).unwrap(),
        email: None,
        customer_id: None,
        exchange_for: None,
        currency: Currency::new(*b"USD"),
        prices_include_tax: false,
        lines: vec![OrderLine {
            line_id: LineId(1),
            sku: Sku::parse("TEA-1").unwrap(),
            product_name: ProductName::parse("Tea").unwrap(),
            quantity: Quantity::new(quantity).unwrap(),
            unit_price: Money::from_cents(cents),
            discount: Money::ZERO,
            discount_percent: None,
            tax: None,
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
