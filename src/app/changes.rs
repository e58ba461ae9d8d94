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

#[cfg(test)]
mod tests {
    use super::*;

    fn event(seq: u64, stream_id: &str) -> Envelope {
        Envelope {
            seq,
            stream_id: stream_id.into(),
            stream_version: 1,
            event_type: "NoteAdded".into(),
            schema_version: 1,
            recorded_at: 0,
            command_id: format!("c{seq}"),
            correlation_id: format!("c{seq}"),
            causation_id: format!("c{seq}"),
            payload: "{}".into(),
            hash: String::new(),
        }
    }

    /// A memo whose value is how many times it ran, subscribed by `track`.
    fn counted(track: impl Fn() + Send + Sync + 'static) -> Memo<u64> {
        Memo::new(move |runs: Option<&u64>| {
            track();
            runs.map_or(1, |runs| runs + 1)
        })
    }

    #[test]
    fn an_event_reruns_the_views_of_what_it_changed_and_nothing_else() {
        let owner = Owner::new();
        owner.set();
        let changes = Changes::new();
        let order_a = counted(move || changes.track_order("order-a"));
        let order_b = counted(move || changes.track_order("order-b"));
        let orders = counted(move || changes.track_orders());
        let products = counted(move || changes.track_products());
        let runs = || [order_a, order_b, orders, products].map(|memo| memo.get_untracked());
        assert_eq!(runs(), [1, 1, 1, 1]);

        changes.folded(&ReadSide::default(), &[event(1, "order-a")]);
        assert_eq!(runs(), [2, 1, 2, 1], "order a's page and the orders");

        changes.folded(&ReadSide::default(), &[event(2, "product-TEA-1")]);
        assert_eq!(runs(), [2, 1, 2, 2], "the products alone");

        changes.replaced(&ReadSide::default());
        assert_eq!(
            runs(),
            [3, 2, 3, 3],
            "everything, when the read side is replaced"
        );
    }
}
