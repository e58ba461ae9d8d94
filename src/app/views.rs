//! The read side for the views: restored from its saved copy at start, caught up with the
//! log, fed the events this tab writes. The only writer of the read models; components read
//! them through the `with_` methods, each subscribing to what it reads (see `changes.rs`).
//! Saving them is in `saving.rs`.

use std::cell::{Cell, RefCell};

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::changes::{Changes, LeftOut, Touched};
use super::time_travel::TimeTravel;
use super::Log;
use crate::domain::{Currency, RateName, Shop, Sku};
use crate::es::idb::IdbStore;
use crate::es::{catch_up_in_pages, Envelope, StoreError};
use crate::read::history::HistoryRow;
use crate::read::{PendingCommand, ReadModels, ReadSide};

/// How long folding one page of a replay may take, in milliseconds. The page's task also
/// holds the browser's reading of it and its conversion into envelopes, which take about
/// twice as long again (traced): the task stays near 25 ms, with room under the 50 ms that
/// make a task long for a collection of the garbage.
const PAGE_MS: f64 = 7.0;

/// How often a long replay tells the views what it changed, in milliseconds: each telling
/// reruns what they compute (the dashboard's figures over every order).
const TELL_EVERY_MS: f64 = 250.0;

/// The first page of a replay, before any page was timed.
const FIRST_PAGE: u32 = 500;

/// The bounds of a page: large enough that reads stay few, small enough for a slow device.
const PAGES: std::ops::RangeInclusive<u32> = 100..=5_000;

/// The size of the next page: as many events as fold in [`PAGE_MS`], at the pace of the last.
fn next_page(events: usize, took_ms: f64) -> u32 {
    let per_event = took_ms.max(0.01) / f64::from(u32::try_from(events.max(1)).unwrap_or(u32::MAX));
    // Bounded to `PAGES`, so the cast never truncates.
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let events =
        (PAGE_MS / per_event).clamp(f64::from(*PAGES.start()), f64::from(*PAGES.end())) as u32;
    events
}

fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|window| window.performance())
        .map_or(0.0, |performance| performance.now())
}

/// The read side, live and as time travel shows it.
#[derive(Clone, Copy)]
pub struct Views {
    /// The read side, up to date with the log: not a signal itself, so that a change
    /// notifies only the views that show it (see [`Changes`]).
    pub(super) side: StoredValue<ReadSide, LocalStorage>,
    changes: Changes,
    /// Live, or the past the user travelled to.
    pub time_travel: ReadSignal<TimeTravel>,
    pub(super) set_time_travel: WriteSignal<TimeTravel>,
    pub(super) log: Log,
}

impl Views {
    pub(super) fn new(log: Log) -> Views {
        let (time_travel, set_time_travel) = signal(TimeTravel::Live);
        Views {
            side: StoredValue::new_local(ReadSide::default()),
            changes: Changes::new(),
            time_travel,
            set_time_travel,
            log,
        }
    }

    /// Calls `read` with the read models the views show (live, or the past travelled to),
    /// subscribing to nothing of the live ones.
    fn shown<T>(self, read: impl FnOnce(&ReadModels) -> T) -> T {
        self.time_travel.with(|travel| match travel {
            TimeTravel::Past(past) => read(past.models.read_model()),
            TimeTravel::Live | TimeTravel::Loading(_) => {
                self.side.with_value(|side| read(side.read_model()))
            }
        })
    }

    /// Reads the orders (the list, their folds); reruns when any order changes.
    pub fn with_orders<T>(self, read: impl FnOnce(&ReadModels) -> T) -> T {
        self.changes.track_orders();
        self.shown(read)
    }

    /// Reads the products; reruns when any product changes.
    pub fn with_products<T>(self, read: impl FnOnce(&ReadModels) -> T) -> T {
        self.changes.track_products();
        self.shown(read)
    }

    /// Reads the orders and the products (the dashboard); reruns when either changes.
    pub fn with_shop<T>(self, read: impl FnOnce(&ReadModels) -> T) -> T {
        self.changes.track_orders();
        self.changes.track_products();
        self.shown(read)
    }

    /// Reads the customers with the orders (a customer's figures come from their orders);
    /// reruns when either changes.
    pub fn with_customers<T>(self, read: impl FnOnce(&ReadModels) -> T) -> T {
        self.changes.track_customers();
        self.changes.track_orders();
        self.shown(read)
    }

    /// Reads the shop's settings and invoice numbers; reruns when they change.
    pub fn with_settings<T>(self, read: impl FnOnce(&Shop) -> T) -> T {
        self.changes.track_settings();
        self.shown(|models| read(models.shop().settings()))
    }

    /// Reads one order; reruns only when the order in stream `stream_id` changes.
    pub fn with_order<T>(self, stream_id: &str, read: impl FnOnce(&ReadModels) -> T) -> T {
        self.changes.track_order(stream_id);
        self.shown(read)
    }

    /// The name of the rate the product with SKU `sku` sells at, as the shop stands now
    /// (subscribing to nothing); `None` for no such product or no rate of its own.
    #[must_use]
    pub fn product_rate(self, sku: &str) -> Option<RateName> {
        let sku = Sku::parse(sku).ok()?;
        self.with_live(|models| {
            models
                .shop()
                .product(&sku)
                .and_then(|product| product.tax_rate().cloned())
        })
    }

    /// Reads the live read models once, subscribing to nothing (an export).
    pub fn with_live<T>(self, read: impl FnOnce(&ReadModels) -> T) -> T {
        self.side.with_value(|side| read(side.read_model()))
    }

    /// The rows of the order in stream `stream_id`'s history after stream version `after`,
    /// from the events this tab folded since the last call (the history grows without reading
    /// the store); `None` when only the store has them.
    #[must_use]
    pub fn fresh_history(
        self,
        stream_id: &str,
        after: u64,
        currency: Currency,
    ) -> Option<Vec<HistoryRow>> {
        let fresh = self.changes.take_fresh(stream_id, after)?;
        Some(
            fresh
                .iter()
                .map(|event| HistoryRow::of(event, currency))
                .collect(),
        )
    }

    /// How many orders the shop has; subscribes to the orders' views.
    #[must_use]
    pub fn order_count(self) -> u64 {
        self.with_orders(|models| models.orders().rows().len() as u64)
    }

    /// The seq of the last event the live views hold.
    #[must_use]
    pub fn head(self) -> u64 {
        self.changes.head().get()
    }

    /// Stored events the views left out: unreadable ones and seqs missing from the log.
    #[must_use]
    pub fn left_out(self) -> Signal<LeftOut> {
        self.changes.left_out().into()
    }

    /// Forgets everything folded: the log was replaced.
    pub(super) fn reset(self) {
        self.set_time_travel.set(TimeTravel::Live);
        self.replace(ReadSide::default());
    }

    pub(super) fn replace(self, side: ReadSide) {
        self.side.set_value(side);
        self.side.with_value(|side| self.changes.replaced(side));
    }

    /// Folds `events` into the live read side with `fold`, which says how many it applied,
    /// and notes in `touched` what those it applied changed.
    fn fold(
        self,
        events: &[Envelope],
        touched: &mut Touched,
        fold: impl FnOnce(&mut ReadSide) -> usize,
    ) -> usize {
        let before = self.side.with_value(ReadSide::checkpoint);
        let applied = self.side.try_update_value(fold).unwrap_or(0);
        let after = self.side.with_value(ReadSide::checkpoint);
        let first = events.partition_point(|event| event.seq <= before);
        let last = events.partition_point(|event| event.seq <= after);
        self.changes
            .gather(touched, &events[first..last.max(first)]);
        applied
    }

    fn tell(self, touched: &Touched) {
        self.side
            .with_value(|side| self.changes.tell(touched, side));
    }

    /// Applies every stored event the read side has not seen yet, and says how many.
    ///
    /// Pages are sized by time, not by count: each is as many events as the last page folded
    /// in [`PAGE_MS`], so a long replay never blocks the page for long, on a fast device or a
    /// slow one; the views are told what changed every [`TELL_EVERY_MS`] and at the end, not
    /// after each page.
    pub(super) async fn catch_up(self, store: &IdbStore) -> Result<usize, StoreError> {
        let page = Cell::new(FIRST_PAGE);
        let touched = RefCell::new(Touched::default());
        let told = Cell::new(now_ms());
        let caught_up = catch_up_in_pages(
            store,
            || self.side.with_value(ReadSide::checkpoint),
            || page.get(),
            |from, batch| {
                let started = now_ms();
                let applied = self.fold(batch, &mut touched.borrow_mut(), |side| {
                    side.apply_stored(from, batch)
                });
                let now = now_ms();
                page.set(next_page(batch.len(), now - started));
                if now - told.get() >= TELL_EVERY_MS {
                    told.set(now);
                    // In a task of its own: what the views recompute is not added to this
                    // page's task.
                    let touched = touched.take();
                    spawn_local(async move {
                        crate::tasks::next_task().await;
                        self.tell(&touched);
                    });
                }
                applied
            },
        )
        .await;
        self.tell(&touched.take());
        caught_up
    }

    /// Folds events that follow the checkpoint (see
    /// [`crate::es::ProjectionRunner::apply_all`]), and says whether the read side now holds
    /// every one of them: `false` when it saw a gap (another tab wrote in between), which
    /// only a read of the store can fill.
    pub(super) fn apply(self, events: &[Envelope]) -> bool {
        let mut touched = Touched::default();
        self.fold(events, &mut touched, |side| side.apply_all(events));
        self.tell(&touched);
        let head = self.side.with_value(ReadSide::checkpoint);
        events.last().is_none_or(|last| head >= last.seq)
    }

    /// Folds events this tab wrote; reads the store only when that shows a gap.
    pub(super) async fn after_write(
        self,
        store: &IdbStore,
        written: &[Envelope],
    ) -> Result<(), StoreError> {
        if !self.apply(written) {
            self.catch_up(store).await?;
        }
        Ok(())
    }

    /// Hands over the product commands the stock process queued.
    pub(super) fn take_stock_commands(self) -> Vec<PendingCommand> {
        self.side
            .try_update_value(|side| side.read_model_mut().stock_mut().take_pending())
            .unwrap_or_default()
    }

    /// Puts back stock commands that could not be run, to run them next time.
    pub(super) fn retry_stock_commands(self, failed: Vec<PendingCommand>) {
        if !failed.is_empty() {
            self.side
                .update_value(|side| side.read_model_mut().stock_mut().retry_later(failed));
        }
    }
}
