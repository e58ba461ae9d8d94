//! What an event says, in the seller's words: the lines of an order's history and of the
//! event log. Presentation only; no rules.

use crate::domain::{OrderEvent, PaymentMethod, ProductEvent, ShopEvent};

fn method(method: PaymentMethod) -> &'static str {
    match method {
        PaymentMethod::Cash => "in cash",
        PaymentMethod::Card => "by card",
        PaymentMethod::BankTransfer => "by bank transfer",
        PaymentMethod::Other => "by another method",
    }
}

/// One sentence for one event.
#[must_use]
pub fn describe(event: &ShopEvent) -> String {
    match event {
        ShopEvent::Order(event) => describe_order(event),
        ShopEvent::Product(event) => describe_product(event),
    }
}

fn describe_order(event: &OrderEvent) -> String {
    match event {
        OrderEvent::OrderCreated {
            customer, currency, ..
        } => {
            format!("Order created for {} in {currency}", customer.as_str())
        }
        OrderEvent::LineAdded(line) => format!(
            "Line {} added: {} × {} ({}) at {}{}",
            line.line_id,
            line.quantity,
            line.sku.as_str(),
            line.product_name.as_str(),
            line.unit_price,
            if line.discount.cents() == 0 {
                String::new()
            } else {
                format!(", less {}", line.discount)
            }
        ),
        OrderEvent::LineQuantityChanged { line_id, quantity } => {
            format!("Line {line_id} changed to {quantity} units")
        }
        OrderEvent::LineRemoved { line_id } => format!("Line {line_id} removed"),
        OrderEvent::ChargesSet { tax, shipping } => {
            format!("Tax set to {tax} and shipping to {shipping}")
        }
        OrderEvent::OrderPlaced { .. } => "Order placed".to_owned(),
        OrderEvent::PaymentRecorded {
            amount,
            currency,
            method: how,
            ..
        } => format!("Payment of {amount} {currency} received {}", method(*how)),
        OrderEvent::LinesFulfilled { lines, .. } => format!(
            "Fulfilled {}",
            lines
                .iter()
                .map(|l| format!("{} of line {}", l.quantity, l.line_id))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        OrderEvent::OrderCancelled {
            reason,
            refund_owed,
            ..
        } => {
            if refund_owed.cents() == 0 {
                format!("Order cancelled: {}", reason.as_str())
            } else {
                format!(
                    "Order cancelled: {}; {refund_owed} is owed back",
                    reason.as_str()
                )
            }
        }
        OrderEvent::RefundRecorded {
            amount, currency, ..
        } => format!("Refund of {amount} {currency} given"),
        OrderEvent::NoteAdded { text, .. } => format!("Note: {}", text.as_str()),
    }
}

fn describe_product(event: &ProductEvent) -> String {
    match event {
        ProductEvent::ProductRegistered { sku, name, price } => {
            format!(
                "Product {} ({}) registered at {price}",
                sku.as_str(),
                name.as_str()
            )
        }
        ProductEvent::StockReceived { quantity } => format!("{quantity} units received"),
        ProductEvent::StockAdjusted { by, reason } => {
            format!("Stock adjusted by {by:+}: {}", reason.as_str())
        }
        ProductEvent::ReorderLevelSet { level } => format!("Reorder level set to {level}"),
        ProductEvent::StockReserved {
            reservation,
            reserved,
            back_ordered,
        } => {
            if *back_ordered == 0 {
                format!("{reserved} units reserved for {reservation}")
            } else {
                format!(
                    "{reserved} units reserved and {back_ordered} back-ordered for {reservation}"
                )
            }
        }
        ProductEvent::ReservationReleased {
            reservation,
            reserved,
            back_ordered,
        } => format!(
            "Released {reserved} reserved and {back_ordered} back-ordered units of {reservation}"
        ),
        ProductEvent::StockConsumed {
            reservation,
            from_reserved,
            from_available,
            not_on_hand,
        } => format!(
            "{} units shipped for {reservation}",
            from_reserved + from_available + not_on_hand
        ),
    }
}
