//! The orders list: one row per order, in the order they were created.

use serde::{Deserialize, Serialize};

use crate::domain::order::lines_total;
use crate::domain::{Money, OrderEvent, Timestamp};
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
    pub total: Money,
    pub created_at: Timestamp,
}

/// The number the first order gets.
pub const FIRST_ORDER_NUMBER: u64 = 1001;

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrdersList {
    rows: Vec<OrderRow>,
}

impl OrdersList {
    /// Rows in the order the orders were created.
    #[must_use]
    pub fn rows(&self) -> &[OrderRow] {
        &self.rows
    }
}

impl Projection for OrdersList {
    type Event = OrderEvent;
    const NAME: &'static str = "orders_list";
    const VERSION: u32 = 1;

    fn apply(&mut self, envelope: &Envelope, event: &OrderEvent) {
        match event {
            OrderEvent::OrderCreated {
                customer,
                lines,
                created_at,
            } => self.rows.push(OrderRow {
                order_id: envelope.stream_id.clone(),
                number: FIRST_ORDER_NUMBER + self.rows.len() as u64,
                customer: customer.as_str().to_owned(),
                items: lines
                    .iter()
                    .map(|line| u64::from(line.quantity.get()))
                    .sum(),
                // The decider refused any order whose total overflows.
                total: lines_total(lines).unwrap_or_default(),
                created_at: *created_at,
            }),
        }
    }
}
