//! An order as its decider sees it: the fold of its events (`evolve`), and the figures and
//! statuses derived from it (discounts, tax by rate, totals, balance due, financial and
//! fulfilment status). Nothing
//! here refuses anything: `evolve` is total, the rules live in `decide.rs`.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::events::{OrderEvent, PaymentMethod};
use super::line::{LineState, ReturnedLine};
use crate::domain::tax::share;
use crate::domain::{
    Currency, CustomerName, Discount, Email, LineId, Money, OrderName, Remark, Tag, TaxRate,
    Timestamp,
};

/// Who the order is for and in which currency, set once when it is created.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderHeader {
    pub name: Option<OrderName>,
    pub customer: CustomerName,
    pub email: Option<Email>,
    /// The customer record it is for, if any.
    #[serde(default)]
    pub customer_id: Option<String>,
    /// The order (its stream) whose return this one exchanges.
    #[serde(default)]
    pub exchange_for: Option<String>,
    pub currency: Currency,
    pub created_at: Timestamp,
    /// Its prices include tax; otherwise tax is added to them.
    #[serde(default)]
    pub prices_include_tax: bool,
}

/// Where an order is in its life.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Stage {
    /// Not created, or created and still taking lines and charges.
    #[default]
    Draft,
    /// Lines and charges are fixed; it takes payments and fulfilment.
    Placed { placed_at: Timestamp },
    /// It takes no payment or fulfilment; refunds are still recorded.
    Cancelled {
        placed_at: Option<Timestamp>,
        cancelled_at: Timestamp,
        reason: Remark,
    },
}

/// A payment received, or a refund given: what a receipt and a cash-up list.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Payment {
    pub amount: Money,
    /// How it was paid or given back; `None` only for a refund recorded without its method.
    pub method: Option<PaymentMethod>,
    /// Money given back, not received.
    pub refund: bool,
    pub at: Timestamp,
    /// When it was voided, as a mistake; `None` while it stands.
    pub voided_at: Option<Timestamp>,
}

impl Payment {
    #[must_use]
    pub fn is_void(&self) -> bool {
        self.voided_at.is_some()
    }
}

/// Units that came back, as one return recorded them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Return {
    pub lines: Vec<ReturnedLine>,
    pub at: Timestamp,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Note {
    pub text: Remark,
    pub at: Timestamp,
}

/// The money side of an order, as Shopify names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FinancialStatus {
    /// Nothing paid yet.
    Pending,
    PartiallyPaid,
    /// Nothing left to pay (a placed order with a total of zero counts as paid).
    Paid,
    PartiallyRefunded,
    /// Everything paid has been given back.
    Refunded,
    /// Cancelled with nothing paid.
    Voided,
}

impl fmt::Display for FinancialStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            FinancialStatus::Pending => "pending",
            FinancialStatus::PartiallyPaid => "partially paid",
            FinancialStatus::Paid => "paid",
            FinancialStatus::PartiallyRefunded => "partially refunded",
            FinancialStatus::Refunded => "refunded",
            FinancialStatus::Voided => "voided",
        })
    }
}

/// How much of an order has been shipped.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FulfilmentStatus {
    Unfulfilled,
    Partial,
    Fulfilled,
}

impl fmt::Display for FulfilmentStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            FulfilmentStatus::Unfulfilled => "unfulfilled",
            FulfilmentStatus::Partial => "partially fulfilled",
            FulfilmentStatus::Fulfilled => "fulfilled",
        })
    }
}

/// The state of one order stream. `Default` is the order before its first event.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Order {
    header: Option<OrderHeader>,
    stage: Stage,
    lines: Vec<LineState>,
    tax: Money,
    shipping: Money,
    #[serde(default)]
    discount: Option<Discount>,
    paid: Money,
    refunded: Money,
    /// Payments and refunds in the order they were recorded.
    payments: Vec<Payment>,
    /// Returns in the order they were recorded.
    returns: Vec<Return>,
    notes: Vec<Note>,
    /// The tags it is filed under, in the order added.
    tags: Vec<Tag>,
}

/// One line's money, as the order's figures build on it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LineFigures {
    pub line_id: LineId,
    /// Quantity × unit price.
    pub gross: Money,
    /// The line's own discount.
    pub line_discount: Money,
    /// Its share of the order's discount.
    pub order_discount: Money,
    /// Gross − both discounts: what the customer pays for the line, tax included or not as
    /// the order's prices are.
    pub net: Money,
    /// The tax on `net` at the line's rate, rounded half up; zero without a rate.
    pub tax: Money,
    pub rate: Option<TaxRate>,
}

/// The tax of an order at one rate; `rate: None` is the tax amount typed in as a charge
/// (imported orders, and orders recorded before rates existed).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TaxAtRate {
    pub rate: Option<TaxRate>,
    /// What the tax is on: the lines' net amounts, tax excluded.
    pub base: Money,
    pub tax: Money,
}

impl OrderHeader {
    /// The header `OrderCreated` sets; `None` for any other event.
    fn of(event: &OrderEvent) -> Option<OrderHeader> {
        let OrderEvent::OrderCreated {
            name,
            customer,
            email,
            customer_id,
            exchange_for,
            currency,
            created_at,
            prices_include_tax,
        } = event
        else {
            return None;
        };
        Some(OrderHeader {
            name: name.clone(),
            customer: customer.clone(),
            email: email.clone(),
            customer_id: customer_id.clone(),
            exchange_for: exchange_for.clone(),
            currency: *currency,
            created_at: *created_at,
            prices_include_tax: *prices_include_tax,
        })
    }
}

impl Order {
    /// Who and which currency; `None` before the order is created.
    #[must_use]
    pub fn header(&self) -> Option<&OrderHeader> {
        self.header.as_ref()
    }

    #[must_use]
    pub fn stage(&self) -> &Stage {
        &self.stage
    }

    #[must_use]
    pub fn lines(&self) -> &[LineState] {
        &self.lines
    }

    #[must_use]
    pub fn line(&self, line_id: LineId) -> Option<&LineState> {
        self.lines
            .iter()
            .find(|state| state.line.line_id == line_id)
    }

    #[must_use]
    pub fn notes(&self) -> &[Note] {
        &self.notes
    }

    #[must_use]
    pub fn tags(&self) -> &[Tag] {
        &self.tags
    }

    /// The tax typed in as a charge (see [`Order::total_tax`] for all of it).
    #[must_use]
    pub fn tax(&self) -> Money {
        self.tax
    }

    /// The discount set on the whole order, as set (a percentage or an amount).
    #[must_use]
    pub fn discount(&self) -> Option<Discount> {
        self.discount
    }

    #[must_use]
    pub fn prices_include_tax(&self) -> bool {
        self.header.as_ref().is_some_and(|h| h.prices_include_tax)
    }

    #[must_use]
    pub fn shipping(&self) -> Money {
        self.shipping
    }

    /// Every payment received, before refunds.
    #[must_use]
    pub fn paid(&self) -> Money {
        self.paid
    }

    #[must_use]
    pub fn refunded(&self) -> Money {
        self.refunded
    }

    /// Every payment and refund, as recorded.
    #[must_use]
    pub fn payments(&self) -> &[Payment] {
        &self.payments
    }

    /// Every return, as recorded.
    #[must_use]
    pub fn returns(&self) -> &[Return] {
        &self.returns
    }

    /// What the customer paid for `returning` units of each line, given what came back of it
    /// before: each line's net (with its tax when prices exclude it) shared over its units,
    /// so that returning every unit, at once or one by one, comes to the whole line. What a
    /// return proposes to refund, before it is held to what is refundable. `None` for an
    /// unknown line or on overflow.
    #[must_use]
    pub fn value_of_return(&self, returning: &[ReturnedLine]) -> Option<Money> {
        let figures = self.line_figures()?;
        let mut value = Money::ZERO;
        for wanted in returning {
            let state = self.line(wanted.line_id)?;
            let line = figures.iter().find(|f| f.line_id == wanted.line_id)?;
            let paid = if self.prices_include_tax() {
                line.net
            } else {
                line.net.checked_add(line.tax)?
            };
            let units = u64::from(state.line.quantity.get());
            let before = u64::from(state.returned).min(units);
            let after = before
                .saturating_add(u64::from(wanted.quantity.get()))
                .min(units);
            let share_of =
                |n: u64| share(paid, &[Money::from_cents(n), Money::from_cents(units - n)])[0];
            value = value.checked_add(share_of(after).checked_sub(share_of(before))?)?;
        }
        Some(value)
    }

    #[must_use]
    pub fn is_cancelled(&self) -> bool {
        matches!(self.stage, Stage::Cancelled { .. })
    }

    /// Still a draft: neither placed nor cancelled.
    #[must_use]
    pub fn is_draft(&self) -> bool {
        matches!(self.stage, Stage::Draft)
    }

    /// Placed at some point, whether cancelled since or not (an order cancelled as a draft
    /// never was).
    #[must_use]
    pub fn was_placed(&self) -> bool {
        matches!(
            self.stage,
            Stage::Placed { .. }
                | Stage::Cancelled {
                    placed_at: Some(_),
                    ..
                }
        )
    }

    /// Units over all lines.
    #[must_use]
    pub fn units(&self) -> u64 {
        self.lines
            .iter()
            .map(|state| u64::from(state.line.quantity.get()))
            .sum()
    }

    /// Units returned over all lines.
    #[must_use]
    pub fn units_returned(&self) -> u64 {
        self.lines
            .iter()
            .map(|state| u64::from(state.returned))
            .sum()
    }

    /// The sum of the lines' quantity × unit price − discount.
    ///
    /// `None` on overflow, which the decider refuses: it is `Some` for every order built
    /// from decided events (and so are the figures below).
    #[must_use]
    pub fn subtotal(&self) -> Option<Money> {
        self.lines.iter().try_fold(Money::ZERO, |sum, state| {
            sum.checked_add(state.line.total()?)
        })
    }

    /// What the order's discount takes off the subtotal: never more than the subtotal.
    #[must_use]
    pub fn order_discount(&self) -> Option<Money> {
        let subtotal = self.subtotal()?;
        Some(self.discount.map_or(Money::ZERO, |d| d.of(subtotal)))
    }

    /// Each line's money: its discounts (its own and its share of the order's, shared in
    /// proportion to the lines' totals), its net amount and its tax, rounded per line.
    #[must_use]
    pub fn line_figures(&self) -> Option<Vec<LineFigures>> {
        let totals: Vec<Money> = self
            .lines
            .iter()
            .map(|state| state.line.total())
            .collect::<Option<_>>()?;
        let shares = share(self.order_discount()?, &totals);
        let inclusive = self.prices_include_tax();
        self.lines
            .iter()
            .zip(totals.iter().zip(shares))
            .map(|(state, (total, order_discount))| {
                let net = total.checked_sub(order_discount)?;
                let tax = state.line.tax.as_ref().map_or(Money::ZERO, |tax| {
                    if inclusive {
                        tax.rate.included_in(net)
                    } else {
                        tax.rate.of(net)
                    }
                });
                Some(LineFigures {
                    line_id: state.line.line_id,
                    gross: state.line.gross()?,
                    line_discount: state.line.discount_amount()?,
                    order_discount,
                    net,
                    tax,
                    rate: state.line.tax.clone(),
                })
            })
            .collect()
    }

    /// Every discount: the lines' own and the order's.
    #[must_use]
    pub fn discounts(&self) -> Option<Money> {
        self.line_figures()?
            .iter()
            .try_fold(Money::ZERO, |sum, line| {
                sum.checked_add(line.line_discount)?
                    .checked_add(line.order_discount)
            })
    }

    /// The tax by rate, in the order the rates first appear on the lines, then the tax typed
    /// in as a charge (if any). A line without a rate is in none.
    #[must_use]
    pub fn tax_by_rate(&self) -> Option<Vec<TaxAtRate>> {
        let inclusive = self.prices_include_tax();
        let mut by_rate: Vec<TaxAtRate> = Vec::new();
        for line in self.line_figures()? {
            let Some(rate) = line.rate else { continue };
            let base = if inclusive {
                line.net.checked_sub(line.tax)?
            } else {
                line.net
            };
            match by_rate
                .iter_mut()
                .find(|at| at.rate.as_ref() == Some(&rate))
            {
                Some(at) => {
                    at.base = at.base.checked_add(base)?;
                    at.tax = at.tax.checked_add(line.tax)?;
                }
                None => by_rate.push(TaxAtRate {
                    rate: Some(rate),
                    base,
                    tax: line.tax,
                }),
            }
        }
        if self.tax > Money::ZERO {
            by_rate.push(TaxAtRate {
                rate: None,
                base: Money::ZERO,
                tax: self.tax,
            });
        }
        Some(by_rate)
    }

    /// All the order's tax: the lines' (included in their prices or added) and the tax
    /// typed in as a charge.
    #[must_use]
    pub fn total_tax(&self) -> Option<Money> {
        self.tax_by_rate()?
            .iter()
            .try_fold(Money::ZERO, |sum, at| sum.checked_add(at.tax))
    }

    /// The lines' net amounts (subtotal − the order's discount), + the lines' tax when
    /// prices exclude it, + the tax typed in as a charge, + shipping.
    #[must_use]
    pub fn total(&self) -> Option<Money> {
        if self.discount.is_none() && self.lines.iter().all(|state| state.line.tax.is_none()) {
            // Nothing to share out or tax (every imported order): the lines' totals as they are.
            return self
                .subtotal()?
                .checked_add(self.tax)?
                .checked_add(self.shipping);
        }
        let lines = self.line_figures()?;
        let mut total = Money::ZERO;
        for line in &lines {
            total = total.checked_add(line.net)?;
            if !self.prices_include_tax() {
                total = total.checked_add(line.tax)?;
            }
        }
        total.checked_add(self.tax)?.checked_add(self.shipping)
    }

    /// Total − payments received. A refund gives money back; it does not reopen the balance.
    #[must_use]
    pub fn balance_due(&self) -> Option<Money> {
        self.total()?.checked_sub(self.paid)
    }

    /// Payments received − refunds so far: the most a refund may give back.
    #[must_use]
    pub fn refundable(&self) -> Option<Money> {
        self.paid.checked_sub(self.refunded)
    }

    /// What a cancelled order still owes its customer; zero for an order not cancelled.
    #[must_use]
    pub fn refund_owed(&self) -> Money {
        if self.is_cancelled() {
            self.refundable().unwrap_or_default()
        } else {
            Money::ZERO
        }
    }

    #[must_use]
    pub fn financial_status(&self) -> FinancialStatus {
        let placed = matches!(self.stage, Stage::Placed { .. });
        let nothing_paid = self.paid == Money::ZERO;
        if self.is_cancelled() && nothing_paid {
            FinancialStatus::Voided
        } else if self.refunded > Money::ZERO && self.refunded >= self.paid {
            FinancialStatus::Refunded
        } else if self.refunded > Money::ZERO {
            FinancialStatus::PartiallyRefunded
        } else if self.balance_due() == Some(Money::ZERO) && (placed || !nothing_paid) {
            FinancialStatus::Paid
        } else if nothing_paid {
            FinancialStatus::Pending
        } else {
            FinancialStatus::PartiallyPaid
        }
    }

    #[must_use]
    pub fn fulfilment_status(&self) -> FulfilmentStatus {
        let fulfilled_any = self.lines.iter().any(|state| state.fulfilled > 0);
        let fulfilled_all = self.lines.iter().all(|state| state.remaining() == 0);
        match (fulfilled_any, fulfilled_all) {
            (true, true) => FulfilmentStatus::Fulfilled,
            (true, false) => FulfilmentStatus::Partial,
            (false, _) => FulfilmentStatus::Unfulfilled,
        }
    }

    fn line_mut(&mut self, line_id: LineId) -> Option<&mut LineState> {
        self.lines
            .iter_mut()
            .find(|state| state.line.line_id == line_id)
    }

    fn take_back(&mut self, lines: &[ReturnedLine], at: Timestamp) {
        for returned in lines {
            if let Some(state) = self.line_mut(returned.line_id) {
                let units = returned.quantity.get();
                state.returned = state.returned.saturating_add(units);
                if returned.restock {
                    state.restocked = state.restocked.saturating_add(units);
                }
            }
        }
        self.returns.push(Return {
            lines: lines.to_vec(),
            at,
        });
    }

    fn void(&mut self, payment: u32, amount: Money, at: Timestamp) {
        let index = usize::try_from(payment).unwrap_or(usize::MAX);
        if let Some(voided) = index.checked_sub(1).and_then(|i| self.payments.get_mut(i)) {
            voided.voided_at = Some(at);
        }
        self.paid = self.paid.checked_sub(amount).unwrap_or_default();
    }

    /// The order after `event`. Total: it never validates, the event already happened.
    #[must_use]
    pub fn evolve(mut self, event: &OrderEvent) -> Order {
        match event {
            OrderEvent::OrderCreated { .. } => self.header = OrderHeader::of(event),
            OrderEvent::LineAdded(line) => self.lines.push(LineState {
                line: line.clone(),
                fulfilled: 0,
                returned: 0,
                restocked: 0,
            }),
            OrderEvent::LineQuantityChanged { line_id, quantity } => {
                if let Some(state) = self.line_mut(*line_id) {
                    state.line.quantity = *quantity;
                }
            }
            OrderEvent::LineRemoved { line_id } => {
                self.lines.retain(|state| state.line.line_id != *line_id);
            }
            OrderEvent::ChargesSet { tax, shipping } => {
                self.tax = *tax;
                self.shipping = *shipping;
            }
            OrderEvent::OrderDiscountSet { discount } => self.discount = *discount,
            OrderEvent::OrderPlaced { at } => self.stage = Stage::Placed { placed_at: *at },
            OrderEvent::PaymentRecorded {
                amount, method, at, ..
            } => {
                self.paid = self.paid.saturating_add(*amount);
                self.payments.push(Payment {
                    amount: *amount,
                    method: Some(*method),
                    refund: false,
                    at: *at,
                    voided_at: None,
                });
            }
            OrderEvent::LinesFulfilled { lines, .. } => {
                for shipped in lines {
                    if let Some(state) = self.line_mut(shipped.line_id) {
                        state.fulfilled = state.fulfilled.saturating_add(shipped.quantity.get());
                    }
                }
            }
            OrderEvent::OrderCancelled { reason, at, .. } => {
                let placed_at = match &self.stage {
                    Stage::Draft => None,
                    Stage::Placed { placed_at } => Some(*placed_at),
                    Stage::Cancelled { placed_at, .. } => *placed_at,
                };
                self.stage = Stage::Cancelled {
                    placed_at,
                    cancelled_at: *at,
                    reason: reason.clone(),
                };
            }
            OrderEvent::RefundRecorded {
                amount, method, at, ..
            } => {
                self.refunded = self.refunded.saturating_add(*amount);
                self.payments.push(Payment {
                    amount: *amount,
                    method: *method,
                    refund: true,
                    at: *at,
                    voided_at: None,
                });
            }
            OrderEvent::LinesReturned { lines, at } => self.take_back(lines, *at),
            OrderEvent::PaymentVoided {
                payment,
                amount,
                at,
                ..
            } => self.void(*payment, *amount, *at),
            OrderEvent::OrderReopened { .. } => self.stage = Stage::Draft,
            OrderEvent::TagAdded { tag } => self.tags.push(tag.clone()),
            OrderEvent::TagRemoved { tag } => self.tags.retain(|t| !t.same_as(tag)),
            OrderEvent::NoteAdded { text, at } => self.notes.push(Note {
                text: text.clone(),
                at: *at,
            }),
        }
        self
    }
}
