//! What changed in the read side, as fine-grained signals. A view subscribes to what it shows
//! (the orders, the products, one order, the log's head, the events left out), so an event
//! repaints only the views it changes: a command on one order repaints that order's page and
//! the views of the orders, and nothing that shows the products.

use std::collections::HashMap;

use leptos::prelude::*;

use crate::domain::product_sku;
use crate::es::Envelope;
use crate::read::ReadSide;

/// Events the read side could not read (by seq, with why) and seqs missing from the log (as
/// inclusive ranges): left out of every view, and said so.
pub type LeftOut = (Vec<(u64, String)>, Vec<(u64, u64)>);

/// The subscriptions the views take, and the notifying of them after each fold.
#[derive(Clone, Copy)]
pub(super) struct Changes {
    orders: Trigger,
    products: Trigger,
    each_order: StoredValue<HashMap<String, ArcTrigger>, LocalStorage>,
    head: RwSignal<u64>,
    left_out: RwSignal<LeftOut>,
}

impl Changes {
    pub(super) fn new() -> Changes {
        Changes {
            orders: Trigger::new(),
            products: Trigger::new(),
            each_order: StoredValue::new_local(HashMap::new()),
            head: RwSignal::new(0),
            left_out: RwSignal::new((Vec::new(), Vec::new())),
        }
    }

    /// Subscribes the running effect or memo to every order.
    pub(super) fn track_orders(self) {
        self.orders.track();
    }

    /// Subscribes the running effect or memo to every product.
    pub(super) fn track_products(self) {
        self.products.track();
    }

    /// Subscribes the running effect or memo to the order in stream `stream_id` alone.
    pub(super) fn track_order(self, stream_id: &str) {
        let trigger = self.each_order.try_update_value(|each| {
            each.entry(stream_id.to_owned())
                .or_insert_with(ArcTrigger::new)
                .clone()
        });
        if let Some(trigger) = trigger {
            trigger.track();
        }
    }

    pub(super) fn head(self) -> RwSignal<u64> {
        self.head
    }

    pub(super) fn left_out(self) -> RwSignal<LeftOut> {
        self.left_out
    }

    /// Notifies the views of what `folded` (events the read side has just folded) changed.
    pub(super) fn folded(self, side: &ReadSide, folded: &[Envelope]) {
        let mut orders = false;
        let mut products = false;
        for envelope in folded {
            if product_sku(&envelope.stream_id).is_some() {
                products = true;
            } else {
                orders = true;
                if let Some(trigger) = self
                    .each_order
                    .with_value(|each| each.get(&envelope.stream_id).cloned())
                {
                    trigger.notify();
                }
            }
        }
        if orders {
            self.orders.notify();
        }
        if products {
            self.products.notify();
        }
        self.settled(side);
    }

    /// Notifies every view: the whole read side was replaced (restored, or reset).
    pub(super) fn replaced(self, side: &ReadSide) {
        self.orders.notify();
        self.products.notify();
        self.each_order
            .with_value(|each| each.values().for_each(ArcTrigger::notify));
        self.settled(side);
    }

    /// The head and what was left out, set only when they moved.
    fn settled(self, side: &ReadSide) {
        let head = side.checkpoint();
        if self.head.get_untracked() != head {
            self.head.set(head);
        }
        let left_out = (side.unreadable(), side.missing().to_vec());
        if self.left_out.with_untracked(|shown| *shown != left_out) {
            self.left_out.set(left_out);
        }
    }
}
