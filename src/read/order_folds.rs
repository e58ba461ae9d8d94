//! Every created order, folded from its stream with the decider's own `Order::evolve`, in
//! the order they were created: what the orders list and the dashboard both read, so that
//! neither restates a rule and the two cannot disagree.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::domain::{Order, OrderEvent};

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderFolds {
    /// In creation order: an order's index here gives its number.
    orders: Vec<Order>,
    index_by_stream: BTreeMap<String, usize>,
}

impl OrderFolds {
    /// Folds `event` into the order of `stream_id` and returns the order's index and its
    /// state after the event; `None` for an event of an order never created.
    pub fn apply(&mut self, stream_id: &str, event: &OrderEvent) -> Option<(usize, &Order)> {
        let index = match (self.index_by_stream.get(stream_id), event) {
            (Some(index), _) => *index,
            (None, OrderEvent::OrderCreated { .. }) => {
                let index = self.orders.len();
                self.index_by_stream.insert(stream_id.to_owned(), index);
                self.orders.push(Order::default());
                index
            }
            (None, _) => return None,
        };
        let order = &mut self.orders[index];
        *order = std::mem::take(order).evolve(event);
        Some((index, order))
    }

    /// Every created order, in creation order.
    #[must_use]
    pub fn orders(&self) -> &[Order] {
        &self.orders
    }

    /// Each order's stream id and creation index, in no particular order.
    pub fn streams(&self) -> impl Iterator<Item = (&str, usize)> {
        self.index_by_stream
            .iter()
            .map(|(stream, index)| (stream.as_str(), *index))
    }

    /// The creation index of the order in stream `stream_id`.
    #[must_use]
    pub fn index(&self, stream_id: &str) -> Option<usize> {
        self.index_by_stream.get(stream_id).copied()
    }
}
