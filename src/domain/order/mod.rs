//! The order aggregate: what a seller records when a customer buys, from the draft (lines,
//! tax rates, discounts and charges) through placing, payments, fulfilment, cancellation and refunds.
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

pub use commands::{CreateOrder, FulfilLines, OrderCommand};
pub use errors::OrderError;
pub use events::{OrderEvent, PaymentMethod};
pub use line::{LineQuantity, LineState, OrderLine};
pub use state::{
    FinancialStatus, FulfilmentStatus, LineFigures, Note, Order, OrderHeader, Payment, Stage,
    TaxAtRate,
};

use crate::es::Aggregate;

impl Aggregate for Order {
    type Command = OrderCommand;
    type Event = OrderEvent;
    type Error = OrderError;

    fn decide(&self, command: &OrderCommand) -> Result<Vec<OrderEvent>, OrderError> {
        decide::decide(self, command)
    }

    fn evolve(self, event: &OrderEvent) -> Order {
        Order::evolve(self, event)
    }
}
