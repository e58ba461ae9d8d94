//! The orders list: one row per order, in the order they were created, with its figures
//! and statuses. Each row is derived from the order's shared fold (`Order::evolve` and its
//! totals), so the list and the decider cannot disagree; no rule is restated here.

use serde::{Deserialize, Serialize};

use super::{Folded, ReadModel, ShopFolds};
use crate::domain::{
    Currency, FinancialStatus, FulfilmentStatus, Money, Order, Timestamp, SHOP_CURRENCY,
};
use crate::es::Envelope;

/// What the orders table shows of one order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderRow {
    /// The order's stream id.
    pub order_id: String,
    /// The seller-facing number: 1001 for the first order, then 1002, …, in log order.
    pub number: u64,
    pub customer: String,
    /// Units over all lines.
    pub items: u64,
    /// Subtotal + tax + shipping.
    /// The order's currency, in which its total and balance are.
    pub currency: Currency,
    pub total: Money,
    pub created_at: Timestamp,
    pub financial_status: FinancialStatus,
    pub fulfilment_status: FulfilmentStatus,
    pub balance_due: Money,
    /// Neither placed nor cancelled yet (`Order::is_draft`).
    pub draft: bool,
    pub cancelled: bool,
    /// The tags it is filed under, lowercased.
    #[serde(default)]
    pub tags: Vec<String>,
    /// What search matches, lowercased: number, customer, email and every SKU.
    pub search_text: String,
}

/// The number the first order gets.
pub const FIRST_ORDER_NUMBER: u64 = 1001;

/// The number of the order created `creation_index`-th (from 0) in the log.
pub(super) fn order_number(creation_index: usize) -> u64 {
    FIRST_ORDER_NUMBER + creation_index as u64
}

/// The rows alone, derived from the shared folds: saved as nothing, rebuilt on restore.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrdersList {
    #[serde(skip)]
    rows: Vec<OrderRow>,
}

impl OrdersList {
    /// Rows in the order the orders were created.
    #[must_use]
    pub fn rows(&self) -> &[OrderRow] {
        &self.rows
    }
}

impl ReadModel for OrdersList {
    fn apply(&mut self, _: &Envelope, folded: &Folded, shop: &ShopFolds) {
        let Folded::Order(index) = *folded else {
            return;
        };
        let Some((stream, order)) = shop.order_at(index) else {
            return;
        };
        let row = row(stream, order_number(index), order);
        match self.rows.get_mut(index) {
            Some(shown) => *shown = row,
            None => self.rows.push(row),
        }
    }

    fn restored(&mut self, shop: &ShopFolds) -> bool {
        for index in self.rows.len()..shop.orders().len() {
            let Some((stream, order)) = shop.order_at(index) else {
                return false;
            };
            self.rows.push(row(stream, order_number(index), order));
        }
        true
    }
}

/// The row of a created order.
fn row(order_id: &str, number: u64, order: &Order) -> OrderRow {
    let header = order.header();
    OrderRow {
        order_id: order_id.to_owned(),
        number,
        customer: header.map_or_else(String::new, |h| h.customer.as_str().to_owned()),
        items: order.units(),
        // The decider refuses any change whose total overflows.
        total: order.total().unwrap_or_default(),
        currency: header.map_or(SHOP_CURRENCY, |h| h.currency),
        created_at: header.map_or(Timestamp(0), |h| h.created_at),
        financial_status: order.financial_status(),
        fulfilment_status: order.fulfilment_status(),
        balance_due: order.balance_due().unwrap_or_default(),
        draft: order.is_draft(),
        cancelled: order.is_cancelled(),
        tags: order
            .tags()
            .iter()
            .map(|tag| tag.as_str().to_lowercase())
            .collect(),
        search_text: search_text(number, order),
    }
}

fn search_text(number: u64, order: &Order) -> String {
    let mut text = format!("#{number}");
    if let Some(header) = order.header() {
        text.push(' ');
        text.push_str(header.customer.as_str());
        if let Some(email) = &header.email {
            text.push(' ');
            text.push_str(email.as_str());
        }
    }
    for line in order.lines() {
        text.push(' ');
        text.push_str(line.line.sku.as_str());
    }
    text.to_lowercase()
}
