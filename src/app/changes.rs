//! What changed in the read side, as fine-grained signals. A view subscribes to what it shows
//! (the orders, the products, one order, the log's head, the events left out), so an event
//! repaints only the views it changes: a command on one order repaints that order's page and
//! the views of the orders, and nothing that shows the products.

use std::collections::{BTreeSet, HashMap};

use leptos::prelude::*;

use crate::domain::customer::customer_id;
use crate::domain::{product_sku, SHOP_STREAM};
use crate::es::Envelope;
use crate::read::ReadSide;

/// Events the read side could not read (by seq, with why) and seqs missing from the log (as
/// inclusive ranges): left out of every view, and said so.
pub type LeftOut = (Vec<(u64, String)>, Vec<(u64, u64)>);

/// An order a view shows: its trigger, and its events folded since the view last took them
/// (so that its history grows without reading the store).
#[derive(Default)]
struct Watched {
    trigger: ArcTrigger,
    fresh: Vec<Envelope>,
}

/// The kinds of stream a view follows as a whole, each with its trigger.
#[derive(Clone, Copy, Debug)]
enum Kind {
    Orders,
    Products,
    Settings,
    Customers,
}

impl Kind {
    const ALL: [Kind; 4] = [
        Kind::Orders,
        Kind::Products,
        Kind::Settings,
        Kind::Customers,
    ];

    fn of(stream_id: &str) -> Kind {
        if product_sku(stream_id).is_some() {
            Kind::Products
        } else if stream_id == SHOP_STREAM {
            Kind::Settings
        } else if customer_id(stream_id).is_some() {
            Kind::Customers
        } else {
            Kind::Orders
        }
    }
}

/// What folded events changed, gathered until the views are told.
#[derive(Debug, Default)]
pub(super) struct Touched {
    /// By [`Kind`].
    kinds: [bool; Kind::ALL.len()],
    /// The streams of shown orders.
    shown: BTreeSet<String>,
}

/// The most events kept for a shown order between two looks of its view; past that, the view
/// reads the store.
const FRESH_AT_MOST: usize = 256;

/// The subscriptions the views take, and the notifying of them after each fold.
#[derive(Clone, Copy)]
pub(super) struct Changes {
    /// By [`Kind`].
    kinds: [Trigger; Kind::ALL.len()],
    each_order: StoredValue<HashMap<String, Watched>, LocalStorage>,
    head: RwSignal<u64>,
    left_out: RwSignal<LeftOut>,
}

impl Changes {
    pub(super) fn new() -> Changes {
        Changes {
            kinds: Kind::ALL.map(|_| Trigger::new()),
            each_order: StoredValue::new_local(HashMap::new()),
            head: RwSignal::new(0),
            left_out: RwSignal::new((Vec::new(), Vec::new())),
        }
    }

    /// Subscribes the running effect or memo to every order.
    pub(super) fn track_orders(self) {
        self.kinds[Kind::Orders as usize].track();
    }

    /// Subscribes the running effect or memo to every product.
    pub(super) fn track_products(self) {
        self.kinds[Kind::Products as usize].track();
    }

    /// Subscribes the running effect or memo to the shop's settings and invoices.
    pub(super) fn track_settings(self) {
        self.kinds[Kind::Settings as usize].track();
    }

    /// Subscribes the running effect or memo to every customer.
    pub(super) fn track_customers(self) {
        self.kinds[Kind::Customers as usize].track();
    }

    /// Subscribes the running effect or memo to the order in stream `stream_id` alone.
    pub(super) fn track_order(self, stream_id: &str) {
        let trigger = self.each_order.try_update_value(|each| {
            each.entry(stream_id.to_owned())
                .or_default()
                .trigger
                .clone()
        });
        if let Some(trigger) = trigger {
            trigger.track();
        }
    }

    /// The events of the shown order in stream `stream_id` folded since the last call, when
    /// they follow stream version `after` without a gap; `None` when the store must be read
    /// instead (none kept, too many, or some missed).
    pub(super) fn take_fresh(self, stream_id: &str, after: u64) -> Option<Vec<Envelope>> {
        let fresh = self
            .each_order
            .try_update_value(|each| {
                each.get_mut(stream_id)
                    .map(|watched| std::mem::take(&mut watched.fresh))
            })
            .flatten()?;
        let fresh: Vec<Envelope> = fresh
            .into_iter()
            .filter(|event| event.stream_version > after)
            .collect();
        let follows = fresh
            .iter()
            .zip(after + 1..)
            .all(|(event, version)| event.stream_version == version);
        (follows && !fresh.is_empty()).then_some(fresh)
    }

    pub(super) fn head(self) -> RwSignal<u64> {
        self.head
    }

    pub(super) fn left_out(self) -> RwSignal<LeftOut> {
        self.left_out
    }

    /// Notes in `touched` what `folded` changed, to tell the views later (a replay tells
    /// them now and then, not after each page).
    pub(super) fn gather(self, touched: &mut Touched, folded: &[Envelope]) {
        for envelope in folded {
            let kind = Kind::of(&envelope.stream_id);
            touched.kinds[kind as usize] = true;
            if !matches!(kind, Kind::Orders) {
                continue;
            }
            let shown = self.each_order.try_update_value(|each| {
                let watched = each.get_mut(&envelope.stream_id)?;
                if watched.fresh.len() < FRESH_AT_MOST {
                    watched.fresh.push(envelope.clone());
                }
                Some(())
            });
            if shown.flatten().is_some() {
                touched.shown.insert(envelope.stream_id.clone());
            }
        }
    }

    /// Notifies the views of what `touched` gathered.
    pub(super) fn tell(self, touched: &Touched, side: &ReadSide) {
        for stream_id in &touched.shown {
            if let Some(watched) = self
                .each_order
                .with_value(|each| each.get(stream_id).map(|w| w.trigger.clone()))
            {
                watched.notify();
            }
        }
        for (trigger, touched) in self.kinds.iter().zip(touched.kinds) {
            if touched {
                trigger.notify();
            }
        }
        self.settled(side);
    }

    /// Notifies every view: the whole read side was replaced (restored, or reset).
    pub(super) fn replaced(self, side: &ReadSide) {
        for trigger in &self.kinds {
            trigger.notify();
        }
        self.each_order.update_value(|each| {
            for watched in each.values_mut() {
                watched.fresh.clear();
                watched.trigger.notify();
            }
        });
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
        versioned(seq, stream_id, 1)
    }

    fn versioned(seq: u64, stream_id: &str, stream_version: u64) -> Envelope {
        Envelope {
            seq,
            stream_id: stream_id.into(),
            stream_version,
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

    /// Tells the views what `events` changed, as a fold does.
    fn folded(changes: Changes, side: &ReadSide, events: &[Envelope]) {
        let mut touched = Touched::default();
        changes.gather(&mut touched, events);
        changes.tell(&touched, side);
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

        folded(changes, &ReadSide::default(), &[event(1, "order-a")]);
        assert_eq!(runs(), [2, 1, 2, 1], "order a's page and the orders");

        folded(changes, &ReadSide::default(), &[event(2, "product-TEA-1")]);
        assert_eq!(runs(), [2, 1, 2, 2], "the products alone");

        changes.replaced(&ReadSide::default());
        assert_eq!(
            runs(),
            [3, 2, 3, 3],
            "everything, when the read side is replaced"
        );
    }

    #[test]
    fn a_shown_orders_history_grows_from_what_was_folded_and_reads_the_store_only_for_a_gap() {
        let owner = Owner::new();
        owner.set();
        let changes = Changes::new();
        let side = ReadSide::default();
        let versions = |events: Option<Vec<Envelope>>| {
            events.map(|e| e.iter().map(|e| e.stream_version).collect::<Vec<_>>())
        };
        folded(changes, &side, &[versioned(1, "order-a", 1)]);
        assert_eq!(
            changes.take_fresh("order-a", 0),
            None,
            "not shown: nothing kept"
        );

        changes.track_order("order-a");
        folded(
            changes,
            &side,
            &[versioned(2, "order-a", 2), versioned(3, "order-b", 1)],
        );
        folded(changes, &side, &[versioned(4, "order-a", 3)]);
        assert_eq!(versions(changes.take_fresh("order-a", 1)), Some(vec![2, 3]));
        assert_eq!(changes.take_fresh("order-a", 3), None, "taken: nothing new");

        folded(changes, &side, &[versioned(6, "order-a", 5)]);
        assert_eq!(
            changes.take_fresh("order-a", 3),
            None,
            "version 4 was missed: read the store"
        );
    }
}
