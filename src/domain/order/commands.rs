//! What a seller asks of an order. A command carries everything its decision needs, ids and
//! times included; whether it is allowed is decided in `decide.rs`, not here.

use serde::{Deserialize, Serialize};

use super::events::PaymentMethod;
use super::line::{LineQuantity, OrderLine, ReturnedLine};
use crate::domain::{
    Currency, CustomerName, Discount, Email, LineId, Money, OrderName, Quantity, Remark, Tag,
    Timestamp,
};

/// Opens an order. Its initial lines come with it, so the one-line form is one command and
/// one atomic append: `OrderCreated` followed by a `LineAdded` per line.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreateOrder {
    pub name: Option<OrderName>,
    pub customer: CustomerName,
    pub email: Option<Email>,
    /// The customer record it is for, by id; `None` for a name typed alone.
    pub customer_id: Option<String>,
    /// The order (its stream) whose return this order exchanges.
    pub exchange_for: Option<String>,
    pub currency: Currency,
    /// Whether its prices include tax: the shop's setting, kept by the order.
    pub prices_include_tax: bool,
    pub lines: Vec<OrderLine>,
    pub created_at: Timestamp,
}

/// The money a return gives back, and how.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RefundGiven {
    pub amount: Money,
    pub currency: Currency,
    pub method: PaymentMethod,
}

/// Which units a fulfilment ships.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum FulfilLines {
    /// Everything not fulfilled yet.
    AllRemaining,
    /// These lines, so many units each.
    Only(Vec<LineQuantity>),
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum OrderCommand {
    Create(CreateOrder),
    AddLine(OrderLine),
    ChangeLineQuantity {
        line_id: LineId,
        quantity: Quantity,
    },
    RemoveLine {
        line_id: LineId,
    },
    /// Tax and shipping, as the seller entered them; they replace the earlier ones.
    SetCharges {
        tax: Money,
        shipping: Money,
    },
    /// A discount on the whole order, or none; it replaces the earlier one.
    SetDiscount {
        discount: Option<Discount>,
    },
    Place {
        at: Timestamp,
    },
    RecordPayment {
        amount: Money,
        currency: Currency,
        method: PaymentMethod,
        at: Timestamp,
    },
    Fulfil {
        lines: FulfilLines,
        at: Timestamp,
    },
    Cancel {
        reason: Remark,
        at: Timestamp,
    },
    RecordRefund {
        amount: Money,
        currency: Currency,
        /// How it is given back; `None` when not said (imports).
        #[serde(default)]
        method: Option<PaymentMethod>,
        at: Timestamp,
    },
    /// Fulfilled units come back, and (optionally) money with them, in one step.
    Return {
        lines: Vec<ReturnedLine>,
        refund: Option<RefundGiven>,
        at: Timestamp,
    },
    AddNote {
        text: Remark,
        at: Timestamp,
    },
    /// Takes back a payment recorded by mistake: the `payment`th of the order's payments and
    /// refunds, counted from 1 in the order they were recorded. Never an edit: a new event.
    VoidPayment {
        payment: u32,
        reason: Remark,
        at: Timestamp,
    },
    /// Takes a placed order with nothing paid and nothing fulfilled back to a draft.
    Reopen {
        at: Timestamp,
    },
    /// Files the order under a tag (at any stage); a tag it has already changes nothing.
    AddTag {
        tag: Tag,
    },
    RemoveTag {
        tag: Tag,
    },
}
