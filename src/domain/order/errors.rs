//! Why an order refuses a command, in words a shop owner understands. Only the refusals;
//! the rules that raise them live in `decide.rs`.

use thiserror::Error;

use crate::domain::money::Amount;
use crate::domain::{Currency, LineId};

#[derive(Clone, Debug, Error, PartialEq, Eq)]
pub enum OrderError {
    #[error("this order does not exist")]
    NotCreated,
    #[error("this order already exists")]
    AlreadyCreated,
    #[error("this order is cancelled")]
    Cancelled,
    #[error("this order is already placed")]
    AlreadyPlaced,
    #[error("lines and charges cannot change once the order is placed")]
    LockedAfterPlacing,
    #[error("place the order before recording payments, refunds or fulfilment")]
    NotPlaced,
    #[error("an order needs at least one line")]
    NoLines,
    #[error("this order already has a line {0}")]
    DuplicateLine(LineId),
    #[error("this order has no line {0}")]
    UnknownLine(LineId),
    #[error("the discount on line {line_id} exceeds its total of {line_total}")]
    DiscountExceedsLine { line_id: LineId, line_total: Amount },
    #[error("the discount exceeds the order's subtotal of {subtotal}")]
    DiscountExceedsOrder { subtotal: Amount },
    #[error("the order total is too large to record")]
    TotalTooLarge,
    #[error("this order is in {order}, not {given}")]
    CurrencyMismatch { order: Currency, given: Currency },
    #[error("the amount must be more than zero")]
    ZeroAmount,
    #[error("payment exceeds the balance due of {due}")]
    Overpayment { due: Amount },
    #[error("refund exceeds the {refundable} paid and not yet refunded")]
    RefundExceedsPaid { refundable: Amount },
    #[error("line {0} is listed twice")]
    LineListedTwice(LineId),
    #[error("line {line_id} has only {remaining} units left to fulfil")]
    OverFulfilment { line_id: LineId, remaining: u32 },
    #[error("nothing is left to fulfil")]
    NothingToFulfil,
    #[error("a fulfilled order cannot be cancelled")]
    AlreadyFulfilled,
    #[error("this order has no payment {0}")]
    UnknownPayment(u32),
    #[error("payment {0} is already void")]
    AlreadyVoid(u32),
    #[error("{refunded} has been refunded: void a payment only while what stays paid covers the refunds")]
    VoidBelowRefunded { refunded: Amount },
    #[error("only an order with nothing paid and nothing fulfilled can be reopened")]
    CannotReopen,
    #[error("this order has no tag {0}")]
    NoSuchTag(String),
    #[error("choose at least one unit to return")]
    NothingToReturn,
    #[error("line {line_id} has only {returnable} units fulfilled and not returned")]
    ReturnExceedsFulfilled { line_id: LineId, returnable: u32 },
}
