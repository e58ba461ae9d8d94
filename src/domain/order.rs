//! The order aggregate: what a seller records when a customer buys. This slice knows one
//! command, creating an order with its lines; payments, fulfilment and the rest follow.

use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::{CustomerName, Money, Quantity, Sku, Timestamp};
use crate::es::{Aggregate, EventSchema};

/// One line of an order: so many units of a SKU at a unit price.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderLine {
    pub sku: Sku,
    pub quantity: Quantity,
    pub unit_price: Money,
}

impl OrderLine {
    /// Quantity × unit price, or `None` when that does not fit in [`Money`].
    #[must_use]
    pub fn total(&self) -> Option<Money> {
        self.unit_price.checked_mul(u64::from(self.quantity.get()))
    }
}

/// The sum of the lines' totals, or `None` on overflow.
#[must_use]
pub fn lines_total(lines: &[OrderLine]) -> Option<Money> {
    lines
        .iter()
        .try_fold(Money::ZERO, |sum, line| sum.checked_add(line.total()?))
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CreateOrder {
    pub customer: CustomerName,
    pub lines: Vec<OrderLine>,
    pub created_at: Timestamp,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OrderCommand {
    Create(CreateOrder),
}

/// What happened to an order. Stored as `{"type": …, "data": …}`; a variant's name is its
/// stored event type, so renaming one is a schema change.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", content = "data")]
pub enum OrderEvent {
    OrderCreated {
        customer: CustomerName,
        lines: Vec<OrderLine>,
        created_at: Timestamp,
    },
}

/// Every order event is at schema version 1; nothing to upcast yet.
impl EventSchema for OrderEvent {}

#[derive(Clone, Debug, Error, PartialEq, Eq)]
pub enum OrderError {
    #[error("this order already exists")]
    AlreadyCreated,
    #[error("an order needs at least one line")]
    NoLines,
    #[error("the order total is too large to record")]
    TotalTooLarge,
}

/// An order as its decider sees it: nothing yet, or created.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Order {
    #[default]
    None,
    Created {
        customer: CustomerName,
        lines: Vec<OrderLine>,
        created_at: Timestamp,
    },
}

impl Aggregate for Order {
    type Command = OrderCommand;
    type Event = OrderEvent;
    type Error = OrderError;

    fn decide(&self, command: &OrderCommand) -> Result<Vec<OrderEvent>, OrderError> {
        match (self, command) {
            (Order::Created { .. }, OrderCommand::Create(_)) => Err(OrderError::AlreadyCreated),
            (Order::None, OrderCommand::Create(create)) if create.lines.is_empty() => {
                Err(OrderError::NoLines)
            }
            (Order::None, OrderCommand::Create(create)) if lines_total(&create.lines).is_none() => {
                Err(OrderError::TotalTooLarge)
            }
            (Order::None, OrderCommand::Create(create)) => Ok(vec![OrderEvent::OrderCreated {
                customer: create.customer.clone(),
                lines: create.lines.clone(),
                created_at: create.created_at,
            }]),
        }
    }

    fn evolve(self, event: &OrderEvent) -> Order {
        match event {
            OrderEvent::OrderCreated {
                customer,
                lines,
                created_at,
            } => Order::Created {
                customer: customer.clone(),
                lines: lines.clone(),
                created_at: *created_at,
            },
        }
    }
}
