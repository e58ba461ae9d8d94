//! The cash-up: what a day (or a run of days) of the shop took and gave back, as a seller
//! counts the till at closing. A query over the orders' folds, like the dashboard, with its
//! definitions written on [`CashUp`].
//!
//! Every figure is placed on the shop's calendar by the time of its own event: a payment on
//! the day it was taken, a void on the day it was voided, a refund on the day it was given,
//! a sale on the day it was placed, a cancellation on the day it was cancelled. A later event
//! is counted on its own day and never moves an earlier one, so a past day's cash-up gives
//! what it gave that day (one exception: an order reopened as a draft leaves the day it was
//! placed on, and counts on the day it is placed again).

use time::Date;

use super::local_time::{local_date, LocalOffset};
use super::ShopFolds;
use crate::domain::order::TaxAtRate;
use crate::domain::{Money, Order, PaymentMethod, Stage, Timestamp};

/// The methods in the order a cash-up lists them.
pub const METHODS: [PaymentMethod; 4] = [
    PaymentMethod::Cash,
    PaymentMethod::Card,
    PaymentMethod::BankTransfer,
    PaymentMethod::Other,
];

/// The money one method moved in the period.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct MethodMoney {
    /// `None`: refunds recorded without their method (imported ones).
    pub method: Option<PaymentMethod>,
    /// Payments taken, each counted on the day it was taken, voided since or not.
    pub payments: Money,
    pub payment_count: u64,
    /// Payments voided in the period (taken then or earlier).
    pub voids: Money,
    pub refunds: Money,
    pub refund_count: u64,
}

impl MethodMoney {
    /// Payments − voids − refunds, in minor units: what the method should hold more at the
    /// end of the period than at its start (negative when more went back than came in).
    #[must_use]
    pub fn net(&self) -> i128 {
        i128::from(self.payments.cents())
            - i128::from(self.voids.cents())
            - i128::from(self.refunds.cents())
    }

    fn is_empty(&self) -> bool {
        self.payment_count == 0 && self.voids == Money::ZERO && self.refund_count == 0
    }
}

/// A period's cash-up: from its first to its last day, both included, on the shop's
/// calendar. Money is summed to the minor unit, a sum stopping at the largest amount.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CashUp {
    pub from: Date,
    pub to: Date,
    /// Every method of [`METHODS`], in that order, zeros included; then refunds without a
    /// method, when there are any.
    pub by_method: Vec<MethodMoney>,
    /// Orders placed in the period (cancelled since or not).
    pub placed: u64,
    /// The totals of the orders placed in the period.
    pub sales: Money,
    /// What discounts took off them: the lines' own and the orders'.
    pub discounts: Money,
    /// Their tax by rate (then the tax typed in as a charge), rates in the order first met.
    pub tax_by_rate: Vec<TaxAtRate>,
    /// Orders cancelled in the period that had been placed, and their totals.
    pub cancelled: u64,
    pub cancelled_sales: Money,
    /// Units returned in the period, and how many of them went back to stock.
    pub units_returned: u64,
    pub units_restocked: u64,
}

impl CashUp {
    /// The period's figures, from the orders as they stand; `zone` gives the shop's days.
    #[must_use]
    pub fn of(shop: &ShopFolds, from: Date, to: Date, zone: &dyn LocalOffset) -> CashUp {
        let within =
            |at: Timestamp| local_date(at, zone).is_some_and(|day| from <= day && day <= to);
        let mut cash_up = CashUp {
            from,
            to,
            by_method: METHODS
                .iter()
                .map(|method| MethodMoney {
                    method: Some(*method),
                    ..MethodMoney::default()
                })
                .collect(),
            placed: 0,
            sales: Money::ZERO,
            discounts: Money::ZERO,
            tax_by_rate: Vec::new(),
            cancelled: 0,
            cancelled_sales: Money::ZERO,
            units_returned: 0,
            units_restocked: 0,
        };
        for order in shop.orders() {
            cash_up.add_money(order, &within);
            cash_up.add_sale(order, &within);
        }
        cash_up
            .by_method
            .retain(|money| money.method.is_some() || !money.is_empty());
        cash_up
    }

    /// Payments − voids − refunds over every method, in minor units.
    #[must_use]
    pub fn net_taken(&self) -> i128 {
        self.by_method.iter().map(MethodMoney::net).sum()
    }

    /// The sums over every method: payments, voids, refunds.
    #[must_use]
    pub fn totals(&self) -> MethodMoney {
        self.by_method
            .iter()
            .fold(MethodMoney::default(), |sum, money| MethodMoney {
                method: None,
                payments: sum.payments.saturating_add(money.payments),
                payment_count: sum.payment_count + money.payment_count,
                voids: sum.voids.saturating_add(money.voids),
                refunds: sum.refunds.saturating_add(money.refunds),
                refund_count: sum.refund_count + money.refund_count,
            })
    }

    fn method_mut(&mut self, method: Option<PaymentMethod>) -> &mut MethodMoney {
        let index = self
            .by_method
            .iter()
            .position(|m| m.method == method)
            .unwrap_or_else(|| {
                self.by_method.push(MethodMoney {
                    method,
                    ..MethodMoney::default()
                });
                self.by_method.len() - 1
            });
        &mut self.by_method[index]
    }

    fn add_money(&mut self, order: &Order, within: &impl Fn(Timestamp) -> bool) {
        for payment in order.payments() {
            let method = self.method_mut(payment.method);
            if within(payment.at) {
                if payment.refund {
                    method.refunds = method.refunds.saturating_add(payment.amount);
                    method.refund_count += 1;
                } else {
                    method.payments = method.payments.saturating_add(payment.amount);
                    method.payment_count += 1;
                }
            }
            if payment.voided_at.is_some_and(within) {
                method.voids = method.voids.saturating_add(payment.amount);
            }
        }
        for taken_back in order.returns() {
            if within(taken_back.at) {
                for line in &taken_back.lines {
                    let units = u64::from(line.quantity.get());
                    self.units_returned += units;
                    if line.restock {
                        self.units_restocked += units;
                    }
                }
            }
        }
    }

    fn add_sale(&mut self, order: &Order, within: &impl Fn(Timestamp) -> bool) {
        let (placed_at, cancelled_at) = match order.stage() {
            Stage::Draft => return,
            Stage::Placed { placed_at } => (Some(*placed_at), None),
            Stage::Cancelled {
                placed_at,
                cancelled_at,
                ..
            } => (*placed_at, placed_at.map(|_| *cancelled_at)),
        };
        let total = order.total().unwrap_or_default();
        if cancelled_at.is_some_and(within) {
            self.cancelled += 1;
            self.cancelled_sales = self.cancelled_sales.saturating_add(total);
        }
        if !placed_at.is_some_and(within) {
            return;
        }
        self.placed += 1;
        self.sales = self.sales.saturating_add(total);
        self.discounts = self
            .discounts
            .saturating_add(order.discounts().unwrap_or_default());
        for at_rate in order.tax_by_rate().unwrap_or_default() {
            match self.tax_by_rate.iter_mut().find(|t| t.rate == at_rate.rate) {
                Some(sum) => {
                    sum.base = sum.base.saturating_add(at_rate.base);
                    sum.tax = sum.tax.saturating_add(at_rate.tax);
                }
                None => self.tax_by_rate.push(at_rate),
            }
        }
    }
}
