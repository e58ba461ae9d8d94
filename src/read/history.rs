//! What an event says, in the seller's words: the rows of an order's history and of the
//! event log, each decoded from its stored envelope here, so that the views only render
//! them. Presentation only; no rules.

use crate::domain::customer::CustomerEvent;
use crate::domain::{
    Currency, Discount, OrderEvent, OrderLine, PaymentMethod, ProductEvent, ReturnedLine,
    ShopEvent, ShopSettingsEvent,
};
use crate::es::{codec, Envelope};

/// One line of an order's history: when, what happened, and by which event and command.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HistoryRow {
    pub seq: u64,
    pub stream_version: u64,
    /// UTC milliseconds since the Unix epoch.
    pub recorded_at: i64,
    /// What happened, in a sentence; or the event's type and why it cannot be read.
    pub text: String,
    pub command_id: String,
}

impl HistoryRow {
    /// The row of a stored event of an order in `currency`, whose minor units its amounts
    /// are written in.
    #[must_use]
    pub fn of(envelope: &Envelope, currency: Currency) -> HistoryRow {
        let text = decode(envelope).map_or_else(
            |error| format!("{} (unreadable: {error})", envelope.event_type),
            |event| describe(&event, currency),
        );
        HistoryRow {
            seq: envelope.seq,
            stream_version: envelope.stream_version,
            recorded_at: envelope.recorded_at,
            text,
            command_id: envelope.command_id.clone(),
        }
    }
}

/// One stored event as the event log shows it: its place, its type, whether it can be read,
/// and the stored record itself.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EventRow {
    pub seq: u64,
    /// UTC milliseconds since the Unix epoch.
    pub recorded_at: i64,
    pub stream_id: String,
    pub event_type: String,
    /// Why the stored event cannot be read, when it cannot (every view leaves it out).
    pub damaged: Option<String>,
    /// The payload, indented when it is JSON, else as stored.
    pub payload: String,
    /// The whole envelope, indented.
    pub envelope: String,
}

impl EventRow {
    /// The row of a stored event.
    #[must_use]
    pub fn of(envelope: &Envelope) -> EventRow {
        let payload = serde_json::from_str::<serde_json::Value>(&envelope.payload)
            .and_then(|value| serde_json::to_string_pretty(&value))
            .unwrap_or_else(|_| envelope.payload.clone());
        EventRow {
            seq: envelope.seq,
            recorded_at: envelope.recorded_at,
            stream_id: envelope.stream_id.clone(),
            event_type: envelope.event_type.clone(),
            damaged: decode(envelope).err().map(|error| error.to_string()),
            payload,
            envelope: serde_json::to_string_pretty(envelope).unwrap_or_default(),
        }
    }
}

fn decode(envelope: &Envelope) -> Result<ShopEvent, codec::CodecError> {
    codec::decode(
        &envelope.event_type,
        envelope.schema_version,
        &envelope.payload,
    )
}

fn method(method: PaymentMethod) -> &'static str {
    match method {
        PaymentMethod::Cash => "in cash",
        PaymentMethod::Card => "by card",
        PaymentMethod::BankTransfer => "by bank transfer",
        PaymentMethod::Other => "by another method",
    }
}

/// One sentence for one event, its amounts in `currency`'s minor units.
#[must_use]
pub fn describe(event: &ShopEvent, currency: Currency) -> String {
    match event {
        ShopEvent::Order(event) => describe_order(event, currency),
        ShopEvent::Product(event) => describe_product(event, currency),
        ShopEvent::Shop(event) => describe_shop(event),
        ShopEvent::Customer(event) => describe_customer(event),
    }
}

fn describe_customer(event: &CustomerEvent) -> String {
    match event {
        CustomerEvent::CustomerRegistered(details) => {
            format!("Customer {} added", details.name.as_str())
        }
        CustomerEvent::CustomerChanged(details) => {
            format!("Customer {} changed", details.name.as_str())
        }
        CustomerEvent::CustomerMerged { into } => format!("Merged into customer {into}"),
    }
}

fn describe_shop(event: &ShopSettingsEvent) -> String {
    match event {
        ShopSettingsEvent::SettingsChanged(settings) => format!(
            "Shop settings changed: {}, {}, prices {} tax, {} tax rates",
            settings.currency,
            settings.time_zone.as_str(),
            if settings.prices_include_tax {
                "include"
            } else {
                "exclude"
            },
            settings.tax_rates.len()
        ),
        ShopSettingsEvent::InvoiceIssued {
            number, order_id, ..
        } => format!("Invoice {number} issued for {order_id}"),
    }
}

fn describe_order(event: &OrderEvent, currency: Currency) -> String {
    match event {
        OrderEvent::OrderCreated {
            customer, currency, ..
        } => {
            format!("Order created for {} in {currency}", customer.as_str())
        }
        OrderEvent::LineAdded(line) => line_added(line, currency),
        OrderEvent::LineQuantityChanged { line_id, quantity } => {
            format!("Line {line_id} changed to {quantity} units")
        }
        OrderEvent::LineRemoved { line_id } => format!("Line {line_id} removed"),
        OrderEvent::ChargesSet { tax, shipping } => {
            format!(
                "Tax set to {} and shipping to {}",
                tax.of(currency),
                shipping.of(currency)
            )
        }
        OrderEvent::OrderDiscountSet { discount } => match discount {
            None => "Order discount removed".to_owned(),
            Some(Discount::Percent(rate)) => format!("Order discount set to {rate}"),
            Some(Discount::Amount(amount)) => {
                format!("Order discount set to {}", amount.of(currency))
            }
        },
        OrderEvent::OrderPlaced { .. } => "Order placed".to_owned(),
        OrderEvent::PaymentRecorded {
            amount,
            currency,
            method: how,
            ..
        } => format!(
            "Payment of {} {currency} received {}",
            amount.of(*currency),
            method(*how)
        ),
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
                    "Order cancelled: {}; {} is owed back",
                    reason.as_str(),
                    refund_owed.of(currency)
                )
            }
        }
        OrderEvent::RefundRecorded {
            amount,
            currency,
            method: how,
            ..
        } => format!(
            "Refund of {} {currency} given{}",
            amount.of(*currency),
            how.map(|how| format!(" {}", method(how)))
                .unwrap_or_default()
        ),
        OrderEvent::LinesReturned { lines, .. } => returned(lines),
        OrderEvent::NoteAdded { text, .. } => format!("Note: {}", text.as_str()),
        OrderEvent::PaymentVoided {
            payment,
            amount,
            reason,
            ..
        } => format!(
            "Payment {payment} of {} voided: {}",
            amount.of(currency),
            reason.as_str()
        ),
        OrderEvent::OrderReopened { .. } => "Order reopened as a draft".to_owned(),
        OrderEvent::TagAdded { tag } => format!("Tagged {}", tag.as_str()),
        OrderEvent::TagRemoved { tag } => format!("Tag {} removed", tag.as_str()),
    }
}

fn line_added(line: &OrderLine, currency: Currency) -> String {
    format!(
        "Line {} added: {} × {} ({}) at {}{}",
        line.line_id,
        line.quantity,
        line.sku.as_str(),
        line.product_name.as_str(),
        line.unit_price.of(currency),
        match (line.discount.cents(), line.discount_percent) {
            (0, None) => String::new(),
            (_, None) => format!(", less {}", line.discount.of(currency)),
            (0, Some(rate)) => format!(", less {rate}"),
            (_, Some(rate)) => format!(", less {} and {rate}", line.discount.of(currency)),
        }
    ) + &line
        .tax
        .as_ref()
        .map(|tax| format!(", taxed at {tax}"))
        .unwrap_or_default()
}

fn returned(lines: &[ReturnedLine]) -> String {
    let each: Vec<String> = lines
        .iter()
        .map(|l| {
            let shelf = if l.restock {
                "restocked"
            } else {
                "not restocked"
            };
            format!("{} of line {}, {shelf}", l.quantity, l.line_id)
        })
        .collect();
    format!("Returned {}", each.join("; "))
}

fn describe_product(event: &ProductEvent, currency: Currency) -> String {
    match event {
        ProductEvent::ProductRegistered { sku, name, price } => {
            format!(
                "Product {} ({}) registered at {}",
                sku.as_str(),
                name.as_str(),
                price.of(currency)
            )
        }
        ProductEvent::StockReceived { quantity } => format!("{quantity} units received"),
        ProductEvent::StockAdjusted { by, reason } => {
            format!("Stock adjusted by {by:+}: {}", reason.as_str())
        }
        ProductEvent::ReorderLevelSet { level } => format!("Reorder level set to {level}"),
        ProductEvent::TaxRateSet { rate } => match rate {
            Some(rate) => format!("Sold at the rate {}", rate.as_str()),
            None => "Sold at the shop's default rate".to_owned(),
        },
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
        ProductEvent::StockRestocked {
            reservation,
            quantity,
        } => format!("{quantity} units back on the shelf from {reservation}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Remark, Timestamp};
    use crate::es::CommandMeta;

    /// `event` stored as the second event of an order's stream, at seq 7.
    fn stored(event: &OrderEvent) -> Envelope {
        let new = codec::encode(&ShopEvent::Order(event.clone())).unwrap();
        let meta = CommandMeta::direct("command-1".into(), 1_000);
        let mut envelope = Envelope::chain_after(None, "order-1", 1, &[new], &meta).remove(0);
        envelope.seq = 7;
        envelope
    }

    #[test]
    fn a_history_row_says_what_happened_when_and_by_which_command() {
        let note = OrderEvent::NoteAdded {
            text: Remark::parse("gift wrap").unwrap(),
            at: Timestamp(1_000),
        };
        assert_eq!(
            HistoryRow::of(&stored(&note), crate::domain::SHOP_CURRENCY),
            HistoryRow {
                seq: 7,
                stream_version: 2,
                recorded_at: 1_000,
                text: "Note: gift wrap".into(),
                command_id: "command-1".into(),
            }
        );
    }

    #[test]
    fn a_yen_orders_amounts_are_written_without_minor_units() {
        let paid = OrderEvent::PaymentRecorded {
            amount: crate::domain::Money::from_cents(1_350),
            currency: Currency::new(*b"JPY"),
            method: PaymentMethod::Cash,
            at: Timestamp(1),
        };
        assert_eq!(
            HistoryRow::of(&stored(&paid), Currency::new(*b"JPY")).text,
            "Payment of 1,350 JPY received in cash"
        );
    }

    #[test]
    fn an_unreadable_event_is_named_by_its_type_in_the_history_and_damaged_in_the_log() {
        let mut envelope = stored(&OrderEvent::OrderPlaced { at: Timestamp(1) });
        envelope.payload = "{not json".into();
        let text = HistoryRow::of(&envelope, crate::domain::SHOP_CURRENCY).text;
        assert!(text.starts_with("OrderPlaced (unreadable: "), "{text}");
        let row = EventRow::of(&envelope);
        assert!(row.damaged.is_some());
        assert_eq!(
            row.payload, "{not json",
            "a payload that is not JSON is shown as stored"
        );
    }

    #[test]
    fn an_event_log_row_shows_the_stored_record_indented() {
        let envelope = stored(&OrderEvent::OrderPlaced { at: Timestamp(1) });
        let row = EventRow::of(&envelope);
        assert_eq!(
            (row.seq, row.stream_id.as_str(), row.event_type.as_str()),
            (7, "order-1", "OrderPlaced")
        );
        assert_eq!(row.damaged, None);
        assert_eq!(row.payload, "{\n  \"at\": 1\n}");
        assert!(row.envelope.contains("\n  \"command_id\": \"command-1\","));
    }
}
