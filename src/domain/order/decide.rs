//! The order's decision table: for each stage and command, the events it produces or why it
//! is refused. Pure: everything it needs is in the state and the command. The figures it
//! checks against (totals, balance due, refundable) are derived in `state.rs`.

use std::collections::BTreeSet;

use super::commands::{CreateOrder, FulfilLines, OrderCommand, RefundGiven};
use super::errors::OrderError;
use super::events::{OrderEvent, PaymentMethod};
use super::line::{LineQuantity, OrderLine, ReturnedLine};
use super::state::{FulfilmentStatus, Order, OrderHeader, Stage};
use crate::domain::{Currency, Discount, LineId, Money, Quantity, Timestamp, SHOP_CURRENCY};

type Decision = Result<Vec<OrderEvent>, OrderError>;

pub(super) fn decide(order: &Order, command: &OrderCommand) -> Decision {
    use OrderCommand as C;
    let Some(header) = order.header() else {
        return match command {
            C::Create(create) => created(create),
            _ => Err(OrderError::NotCreated),
        };
    };
    match (order.stage(), command) {
        (_, C::Create(_)) => Err(OrderError::AlreadyCreated),
        (_, C::AddNote { text, at }) => Ok(vec![OrderEvent::NoteAdded {
            text: text.clone(),
            at: *at,
        }]),
        (_, C::AddTag { tag }) if order.tags().iter().any(|t| t.same_as(tag)) => Ok(vec![]),
        (_, C::AddTag { tag }) => Ok(vec![OrderEvent::TagAdded { tag: tag.clone() }]),
        (_, C::RemoveTag { tag }) => match order.tags().iter().find(|t| t.same_as(tag)) {
            Some(kept) => Ok(vec![OrderEvent::TagRemoved { tag: kept.clone() }]),
            None => Err(OrderError::NoSuchTag(tag.as_str().to_owned())),
        },
        (
            Stage::Placed { .. } | Stage::Cancelled { .. },
            C::VoidPayment {
                payment,
                reason,
                at,
            },
        ) => void_payment(order, header, *payment, reason, *at),
        (
            Stage::Placed { .. } | Stage::Cancelled { .. },
            C::RecordRefund {
                amount,
                currency,
                method,
                at,
            },
        ) => refund(order, header, *amount, *currency, *method, *at),
        (Stage::Placed { .. } | Stage::Cancelled { .. }, C::Return { lines, refund, at }) => {
            return_lines(order, header, lines, refund.as_ref(), *at)
        }
        (Stage::Cancelled { .. }, _) => Err(OrderError::Cancelled),
        (Stage::Draft, C::AddLine(line)) => add_line(order, line),
        (Stage::Draft, C::ChangeLineQuantity { line_id, quantity }) => {
            change_quantity(order, *line_id, *quantity)
        }
        (Stage::Draft, C::RemoveLine { line_id }) => match order.line(*line_id) {
            Some(_) => Ok(vec![OrderEvent::LineRemoved { line_id: *line_id }]),
            None => Err(OrderError::UnknownLine(*line_id)),
        },
        (Stage::Draft, C::SetCharges { tax, shipping }) => set_charges(order, *tax, *shipping),
        (Stage::Draft, C::SetDiscount { discount }) => set_discount(order, *discount),
        (Stage::Draft, C::Place { .. }) if order.lines().is_empty() => Err(OrderError::NoLines),
        (Stage::Draft, C::Place { at }) => Ok(vec![OrderEvent::OrderPlaced { at: *at }]),
        (
            Stage::Draft,
            C::RecordPayment { .. }
            | C::RecordRefund { .. }
            | C::Fulfil { .. }
            | C::VoidPayment { .. }
            | C::Reopen { .. }
            | C::Return { .. },
        ) => Err(OrderError::NotPlaced),
        (
            Stage::Placed { .. },
            C::AddLine(_)
            | C::ChangeLineQuantity { .. }
            | C::RemoveLine { .. }
            | C::SetCharges { .. }
            | C::SetDiscount { .. },
        ) => Err(OrderError::LockedAfterPlacing),
        (Stage::Placed { .. }, C::Place { .. }) => Err(OrderError::AlreadyPlaced),
        (Stage::Placed { .. }, C::Reopen { .. })
            if order.paid() > Money::ZERO
                || order.lines().iter().any(|state| state.fulfilled > 0) =>
        {
            Err(OrderError::CannotReopen)
        }
        (Stage::Placed { .. }, C::Reopen { at }) => Ok(vec![OrderEvent::OrderReopened { at: *at }]),
        (
            Stage::Placed { .. },
            C::RecordPayment {
                amount,
                currency,
                method,
                at,
            },
        ) => payment(order, header, *amount, *currency, *method, *at),
        (Stage::Placed { .. }, C::Fulfil { lines, at }) => fulfil(order, lines, *at),
        (Stage::Placed { .. }, C::Cancel { .. })
            if order.fulfilment_status() == FulfilmentStatus::Fulfilled =>
        {
            Err(OrderError::AlreadyFulfilled)
        }
        (Stage::Placed { .. } | Stage::Draft, C::Cancel { reason, at }) => {
            Ok(vec![OrderEvent::OrderCancelled {
                reason: reason.clone(),
                refund_owed: order.refundable().unwrap_or_default(),
                at: *at,
            }])
        }
    }
}

/// `OrderCreated`, then a `LineAdded` per initial line, each line checked as `AddLine` would.
pub(super) fn created(create: &CreateOrder) -> Decision {
    let opened = OrderEvent::OrderCreated {
        name: create.name.clone(),
        customer: create.customer.clone(),
        email: create.email.clone(),
        customer_id: create.customer_id.clone(),
        exchange_for: create.exchange_for.clone(),
        currency: create.currency,
        created_at: create.created_at,
        prices_include_tax: create.prices_include_tax,
    };
    let mut draft = Order::default().evolve(&opened);
    let mut events = vec![opened];
    for line in &create.lines {
        for added in add_line(&draft, line)? {
            draft = draft.evolve(&added);
            events.push(added);
        }
    }
    Ok(events)
}

fn add_line(order: &Order, line: &OrderLine) -> Decision {
    if order.line(line.line_id).is_some() {
        return Err(OrderError::DuplicateLine(line.line_id));
    }
    discount_within_line(line, currency_of(order))?;
    keeping_a_total(order, OrderEvent::LineAdded(line.clone()))
}

fn change_quantity(order: &Order, line_id: LineId, quantity: Quantity) -> Decision {
    let Some(state) = order.line(line_id) else {
        return Err(OrderError::UnknownLine(line_id));
    };
    if state.line.quantity == quantity {
        return Ok(vec![]);
    }
    discount_within_line(
        &OrderLine {
            quantity,
            ..state.line.clone()
        },
        currency_of(order),
    )?;
    keeping_a_total(order, OrderEvent::LineQuantityChanged { line_id, quantity })
}

fn set_charges(order: &Order, tax: Money, shipping: Money) -> Decision {
    if (tax, shipping) == (order.tax(), order.shipping()) {
        return Ok(vec![]);
    }
    keeping_a_total(order, OrderEvent::ChargesSet { tax, shipping })
}

/// A fixed discount on the order may not exceed its subtotal (a percentage never does).
fn set_discount(order: &Order, discount: Option<Discount>) -> Decision {
    if discount == order.discount() {
        return Ok(vec![]);
    }
    let subtotal = order.subtotal().ok_or(OrderError::TotalTooLarge)?;
    if let Some(Discount::Amount(amount)) = discount {
        if amount > subtotal {
            return Err(OrderError::DiscountExceedsOrder {
                subtotal: subtotal.of(currency_of(order)),
            });
        }
    }
    Ok(vec![OrderEvent::OrderDiscountSet { discount }])
}

/// The order's currency, in which its refusals name amounts.
fn currency_of(order: &Order) -> Currency {
    order
        .header()
        .map_or(SHOP_CURRENCY, |header| header.currency)
}

fn discount_within_line(line: &OrderLine, currency: Currency) -> Result<(), OrderError> {
    let line_total = line.gross().ok_or(OrderError::TotalTooLarge)?;
    let discount = line.discount_amount().ok_or(OrderError::TotalTooLarge)?;
    if discount > line_total {
        return Err(OrderError::DiscountExceedsLine {
            line_id: line.line_id,
            line_total: line_total.of(currency),
        });
    }
    Ok(())
}

/// The event, if the order still has a total that fits in [`Money`] after it.
fn keeping_a_total(order: &Order, event: OrderEvent) -> Decision {
    match order.clone().evolve(&event).total() {
        Some(_) => Ok(vec![event]),
        None => Err(OrderError::TotalTooLarge),
    }
}

fn same_currency(header: &OrderHeader, given: Currency) -> Result<(), OrderError> {
    if given == header.currency {
        Ok(())
    } else {
        Err(OrderError::CurrencyMismatch {
            order: header.currency,
            given,
        })
    }
}

fn more_than_zero(amount: Money) -> Result<(), OrderError> {
    if amount == Money::ZERO {
        Err(OrderError::ZeroAmount)
    } else {
        Ok(())
    }
}

fn payment(
    order: &Order,
    header: &OrderHeader,
    amount: Money,
    currency: Currency,
    method: PaymentMethod,
    at: Timestamp,
) -> Decision {
    same_currency(header, currency)?;
    more_than_zero(amount)?;
    let due = order.balance_due().ok_or(OrderError::TotalTooLarge)?;
    if amount > due {
        return Err(OrderError::Overpayment {
            due: due.of(header.currency),
        });
    }
    Ok(vec![OrderEvent::PaymentRecorded {
        amount,
        currency,
        method,
        at,
    }])
}

fn refund(
    order: &Order,
    header: &OrderHeader,
    amount: Money,
    currency: Currency,
    method: Option<PaymentMethod>,
    at: Timestamp,
) -> Decision {
    same_currency(header, currency)?;
    more_than_zero(amount)?;
    let refundable = order.refundable().unwrap_or_default();
    if amount > refundable {
        return Err(OrderError::RefundExceedsPaid {
            refundable: refundable.of(header.currency),
        });
    }
    Ok(vec![OrderEvent::RefundRecorded {
        amount,
        currency,
        method,
        at,
    }])
}

/// Units that were fulfilled and not returned yet, each line listed once, then the refund
/// under the same rules as any refund.
fn return_lines(
    order: &Order,
    header: &OrderHeader,
    lines: &[ReturnedLine],
    refund_given: Option<&RefundGiven>,
    at: Timestamp,
) -> Decision {
    if lines.is_empty() {
        return Err(OrderError::NothingToReturn);
    }
    let mut seen = BTreeSet::new();
    for wanted in lines {
        if !seen.insert(wanted.line_id) {
            return Err(OrderError::LineListedTwice(wanted.line_id));
        }
        let state = order
            .line(wanted.line_id)
            .ok_or(OrderError::UnknownLine(wanted.line_id))?;
        if wanted.quantity.get() > state.returnable() {
            return Err(OrderError::ReturnExceedsFulfilled {
                line_id: wanted.line_id,
                returnable: state.returnable(),
            });
        }
    }
    let mut events = vec![OrderEvent::LinesReturned {
        lines: lines.to_vec(),
        at,
    }];
    if let Some(given) = refund_given {
        events.extend(refund(
            order,
            header,
            given.amount,
            given.currency,
            Some(given.method),
            at,
        )?);
    }
    Ok(events)
}

/// A payment (not a refund) not void yet, as long as what stays paid still covers what was
/// refunded.
fn void_payment(
    order: &Order,
    header: &OrderHeader,
    number: u32,
    reason: &crate::domain::Remark,
    at: Timestamp,
) -> Decision {
    let index = usize::try_from(number).unwrap_or(usize::MAX);
    let Some(payment) = index.checked_sub(1).and_then(|i| order.payments().get(i)) else {
        return Err(OrderError::UnknownPayment(number));
    };
    if payment.refund {
        return Err(OrderError::UnknownPayment(number));
    }
    if payment.is_void() {
        return Err(OrderError::AlreadyVoid(number));
    }
    let still_paid = order.paid().checked_sub(payment.amount).unwrap_or_default();
    if still_paid < order.refunded() {
        return Err(OrderError::VoidBelowRefunded {
            refunded: order.refunded().of(header.currency),
        });
    }
    Ok(vec![OrderEvent::PaymentVoided {
        payment: number,
        amount: payment.amount,
        reason: reason.clone(),
        at,
    }])
}

fn fulfil(order: &Order, lines: &FulfilLines, at: Timestamp) -> Decision {
    let shipped: Vec<LineQuantity> = match lines {
        FulfilLines::AllRemaining => order
            .lines()
            .iter()
            .filter_map(|state| {
                Quantity::new(state.remaining())
                    .ok()
                    .map(|quantity| LineQuantity {
                        line_id: state.line.line_id,
                        quantity,
                    })
            })
            .collect(),
        FulfilLines::Only(requested) => {
            let mut seen = BTreeSet::new();
            for wanted in requested {
                if !seen.insert(wanted.line_id) {
                    return Err(OrderError::LineListedTwice(wanted.line_id));
                }
                let state = order
                    .line(wanted.line_id)
                    .ok_or(OrderError::UnknownLine(wanted.line_id))?;
                if wanted.quantity.get() > state.remaining() {
                    return Err(OrderError::OverFulfilment {
                        line_id: wanted.line_id,
                        remaining: state.remaining(),
                    });
                }
            }
            requested.clone()
        }
    };
    if shipped.is_empty() {
        return Err(OrderError::NothingToFulfil);
    }
    Ok(vec![OrderEvent::LinesFulfilled { lines: shipped, at }])
}
