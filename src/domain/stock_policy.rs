//! The stock policy: a process manager that reacts to an order's events with the product
//! commands they call for. Placing an order reserves stock for each line; a fulfilment
//! consumes what it shipped; a return puts back on the shelf the units the seller restocks;
//! cancelling releases what is still reserved or back-ordered for
//! the lines not fully shipped, and so does reopening (placing again reserves again).
//!
//! It is a pure function of the order (before the event) and the event: it never reads a
//! product, and running the commands is the shell's job. A SKU no product stream has
//! registered yet is still reserved: the product decider keeps a stock ledger for it from
//! zero, so the reservation is back-ordered (see `product.rs`).

use super::order::{Order, OrderEvent, Stage};
use super::product::{ProductCommand, ReservationId};
use super::Sku;

/// The product commands `event` calls for, each with the SKU of the product stream it goes
/// to, in the order of the order's lines. `before` is the order as it was before `event`.
#[must_use]
pub fn react(order_id: &str, before: &Order, event: &OrderEvent) -> Vec<(Sku, ProductCommand)> {
    let reservation = |line_id| ReservationId {
        order_id: order_id.to_owned(),
        line_id,
    };
    match event {
        OrderEvent::OrderPlaced { .. } => before
            .lines()
            .iter()
            .map(|state| {
                let line = &state.line;
                (
                    line.sku.clone(),
                    ProductCommand::Reserve {
                        reservation: reservation(line.line_id),
                        quantity: line.quantity,
                    },
                )
            })
            .collect(),
        OrderEvent::LinesFulfilled { lines, .. } => lines
            .iter()
            .filter_map(|shipped| {
                let state = before.line(shipped.line_id)?;
                Some((
                    state.line.sku.clone(),
                    ProductCommand::Consume {
                        reservation: reservation(shipped.line_id),
                        quantity: shipped.quantity,
                    },
                ))
            })
            .collect(),
        OrderEvent::LinesReturned { lines, .. } => lines
            .iter()
            .filter(|returned| returned.restock)
            .filter_map(|returned| {
                let state = before.line(returned.line_id)?;
                Some((
                    state.line.sku.clone(),
                    ProductCommand::Restock {
                        reservation: reservation(returned.line_id),
                        quantity: returned.quantity,
                    },
                ))
            })
            .collect(),
        OrderEvent::OrderCancelled { .. } | OrderEvent::OrderReopened { .. }
            if matches!(before.stage(), Stage::Placed { .. }) =>
        {
            before
                .lines()
                .iter()
                .filter(|state| state.remaining() > 0)
                .map(|state| {
                    (
                        state.line.sku.clone(),
                        ProductCommand::Release {
                            reservation: reservation(state.line.line_id),
                        },
                    )
                })
                .collect()
        }
        OrderEvent::OrderCreated { .. }
        | OrderEvent::LineAdded(_)
        | OrderEvent::LineQuantityChanged { .. }
        | OrderEvent::LineRemoved { .. }
        | OrderEvent::ChargesSet { .. }
        | OrderEvent::OrderDiscountSet { .. }
        | OrderEvent::PaymentRecorded { .. }
        | OrderEvent::OrderCancelled { .. }
        | OrderEvent::RefundRecorded { .. }
        | OrderEvent::NoteAdded { .. }
        | OrderEvent::PaymentVoided { .. }
        | OrderEvent::OrderReopened { .. }
        | OrderEvent::TagAdded { .. }
        | OrderEvent::TagRemoved { .. } => Vec::new(),
    }
}
