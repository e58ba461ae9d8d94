//! The order aggregate: what a seller records when a customer buys, from the draft (lines,
//! tax rates, discounts and charges) through placing, payments, fulfilment, returns,
//! cancellation and refunds.
//!
//! - `commands.rs`: what a seller asks; `events.rs`: what happened (the stored shape);
//!   `errors.rs`: why a command is refused.
//! - `decide.rs`: the decision table; `state.rs`: the fold of events and the figures derived
//!   from it (totals, balance due, statuses); `line.rs`: one line and its arithmetic.
//!
//! Stock is not here: `stock_policy.rs` turns order events into product commands.

mod commands;
mod decide;
mod errors;
mod events;
mod line;
mod state;

pub use commands::{CreateOrder, FulfilLines, OrderCommand, RefundGiven};
pub use errors::OrderError;
pub use events::{OrderEvent, PaymentMethod};
pub use line::{LineQuantity, LineState, OrderLine, ReturnedLine};
pub use state::{
    FinancialStatus, FulfilmentStatus, LineFigures, Note, Order, OrderHeader, Payment, Return,
    Stage, TaxAtRate,
};

use crate::es::Aggregate;

impl Aggregate for Order {
    type Command = OrderCommand;
    type Event = OrderEvent;
    type Error = OrderError;
    /// 2: payments keep when they were voided and whether they are refunds; lines what came
    /// back.
    const STATE_VERSION: u32 = 2;

    fn decide(&self, command: &OrderCommand) -> Result<Vec<OrderEvent>, OrderError> {
        decide::decide(self, command)
    }

    fn evolve(self, event: &OrderEvent) -> Order {
        Order::evolve(self, event)
    }
}

impl Order {
    /// The order `create` makes, as the decision table would create it: what the new-order
    /// form totals while the seller types, without the rest of the table.
    ///
    /// # Errors
    /// Why the order would be refused.
    pub fn would_create(create: &CreateOrder) -> Result<Order, OrderError> {
        Ok(decide::created(create)?
            .iter()
            .fold(Order::default(), Order::evolve))
    }
}
