//! The orders list: one row per order, in the order they were created, with its figures
//! and statuses. Each row is derived from the order's own fold (`Order::evolve` and its
//! totals), so the list and the decider cannot disagree; no rule is restated here.

use serde::{Deserialize, Serialize};

use super::OrderFolds;
use crate::domain::{FinancialStatus, FulfilmentStatus, Money, Order, ShopEvent, Stage, Timestamp};
use crate::es::{Envelope, Projection};

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
    pub total: Money,
    pub created_at: Timestamp,
    pub financial_status: FinancialStatus,
    pub fulfilment_status: FulfilmentStatus,
    pub balance_due: Money,
    /// Placed (taking payments and fulfilment) or cancelled after placing: no longer a draft.
    pub placed: bool,
    pub cancelled: bool,
    /// What search matches, lowercased: number, customer, email and every SKU.
    pub search_text: String,
}

/// The number the first order gets.
pub const FIRST_ORDER_NUMBER: u64 = 1001;

/// The number of the order created `creation_index`-th (from 0) in the log.
pub(super) fn order_number(creation_index: usize) -> u64 {
    FIRST_ORDER_NUMBER + creation_index as u64
}

/// Saved as its folds alone: the rows follow from them (rebuilt by `restored`), and leaving
/// them out makes the saved copy smaller (8.6 MB instead of 13.9 MB for 16,160 demo orders)
/// and quicker to read at start.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OrdersList {
    rows: Vec<OrderRow>,
    /// Each row's order, folded from its stream, at the same index as its row.
    orders: OrderFolds,
}

impl Serialize for OrdersList {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.orders.serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for OrdersList {
    /// The folds alone: the rows are rebuilt by [`Projection::restored`].
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(OrdersList {
            rows: Vec::new(),
            orders: OrderFolds::deserialize(deserializer)?,
        })
    }
}

impl OrdersList {
    /// Every order's number and state, in creation order.
    pub fn numbered_orders(&self) -> impl Iterator<Item = (u64, &Order)> {
        self.rows
            .iter()
            .map(|row| row.number)
            .zip(self.orders.orders())
    }

    /// The row and the order state of the order in stream `order_id`.
    #[must_use]
    pub fn order(&self, order_id: &str) -> Option<(&OrderRow, &Order)> {
        let index = self.orders.index(order_id)?;
        Some((self.rows.get(index)?, self.orders.orders().get(index)?))
    }

    /// Rows in the order the orders were created.
    #[must_use]
    pub fn rows(&self) -> &[OrderRow] {
        &self.rows
    }
}

impl Projection for OrdersList {
    type Event = ShopEvent;
    const NAME: &'static str = "orders_list";
    const VERSION: u32 = 4;

    fn apply(&mut self, envelope: &Envelope, event: &ShopEvent) {
        let ShopEvent::Order(event) = event else {
            return;
        };
        // An order that was never created has no row to update.
        let Some((index, order)) = self.orders.apply(&envelope.stream_id, event) else {
            return;
        };
        let row = row(&envelope.stream_id, order_number(index), order);
        match self.rows.get_mut(index) {
            Some(shown) => *shown = row,
            None => self.rows.push(row),
        }
    }

    /// Rebuilds the rows from the folds; a copy whose streams and folds disagree does not
    /// hold together.
    fn restored(&mut self) -> bool {
        let orders = self.orders.orders();
        let mut rows = vec![None; orders.len()];
        for (stream, index) in self.orders.streams() {
            if let (Some(slot), Some(order)) = (rows.get_mut(index), orders.get(index)) {
                *slot = Some(row(stream, order_number(index), order));
            }
        }
        match rows.into_iter().collect::<Option<Vec<_>>>() {
            Some(rows) => {
                self.rows = rows;
                true
            }
            None => false,
        }
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
        created_at: header.map_or(Timestamp(0), |h| h.created_at),
        financial_status: order.financial_status(),
        fulfilment_status: order.fulfilment_status(),
        balance_due: order.balance_due().unwrap_or_default(),
        placed: !matches!(order.stage(), Stage::Draft),
        cancelled: order.is_cancelled(),
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
