//! What happened to an order, in the past tense. These are stored: a variant's name is its
//! stored event type and its fields the stored JSON, so a rename is a schema change (pinned
//! by the golden tests in `tests/native/domain_order.rs`). No rules live here.

use serde::{Deserialize, Serialize};

use super::line::{LineQuantity, OrderLine, ReturnedLine};
use crate::domain::{
    Currency, CustomerName, Discount, Email, LineId, Money, OrderName, Quantity, Remark, Tag,
    Timestamp,
};

/// How a customer paid.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PaymentMethod {
    Cash,
    Card,
    BankTransfer,
    Other,
}

/// Stored as its variant's name, the event type, and its data, the payload (see `es::codec`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum OrderEvent {
    OrderCreated {
        name: Option<OrderName>,
        customer: CustomerName,
        email: Option<Email>,
        /// The customer record it is for; absent for a name typed alone, and in every order
        /// recorded before customers existed.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        customer_id: Option<String>,
        /// The order (its stream) whose return this one exchanges: the other way round, the
        /// read side finds it.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        exchange_for: Option<String>,
        currency: Currency,
        created_at: Timestamp,
        /// Its prices include tax (the shop's setting when it was created). Absent, as in
        /// every order recorded before rates existed: they do not.
        #[serde(default, skip_serializing_if = "is_false")]
        prices_include_tax: bool,
    },
    LineAdded(OrderLine),
    LineQuantityChanged {
        line_id: LineId,
        quantity: Quantity,
    },
    LineRemoved {
        line_id: LineId,
    },
    ChargesSet {
        tax: Money,
        shipping: Money,
    },
    /// The discount on the whole order; `None` takes it away.
    OrderDiscountSet {
        discount: Option<Discount>,
    },
    OrderPlaced {
        at: Timestamp,
    },
    PaymentRecorded {
        amount: Money,
        currency: Currency,
        method: PaymentMethod,
        at: Timestamp,
    },
    LinesFulfilled {
        lines: Vec<LineQuantity>,
        at: Timestamp,
    },
    /// `refund_owed`: what had been paid and not refunded when the order was cancelled.
    OrderCancelled {
        reason: Remark,
        refund_owed: Money,
        at: Timestamp,
    },
    /// Money given back. `method`: how; absent on refunds recorded before it was asked.
    RefundRecorded {
        amount: Money,
        currency: Currency,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        method: Option<PaymentMethod>,
        at: Timestamp,
    },
    /// Units of fulfilled lines came back, each line's either back to stock or not.
    LinesReturned {
        lines: Vec<ReturnedLine>,
        at: Timestamp,
    },
    NoteAdded {
        text: Remark,
        at: Timestamp,
    },
    /// The `payment`th payment (counted from 1 among payments and refunds) was a mistake:
    /// `amount` is no longer paid.
    PaymentVoided {
        payment: u32,
        amount: Money,
        reason: Remark,
        at: Timestamp,
    },
    /// A placed order with nothing paid or fulfilled is a draft again.
    OrderReopened {
        at: Timestamp,
    },
    TagAdded {
        tag: Tag,
    },
    TagRemoved {
        tag: Tag,
    },
}

#[allow(clippy::trivially_copy_pass_by_ref)] // serde's skip_serializing_if passes a reference
fn is_false(value: &bool) -> bool {
    !*value
}

/// Every order event is at schema version 1; nothing to upcast yet.
impl crate::es::EventSchema for OrderEvent {}
