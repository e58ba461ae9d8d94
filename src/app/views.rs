//! The read side in signals: restored from its saved copy at start, caught up with the log,
//! fed the events this tab writes, saved when the page is hidden. The only writer of the read
//! models; components read them through [`Views::with_models`] and the signals.

use std::cell::Cell;

use leptos::prelude::*;

use super::time_travel::TimeTravel;
use super::{locks, Log};
use crate::es::idb::IdbStore;
use crate::es::UnreadableEvents;
use crate::es::{catch_up_in_pages, Envelope, EventStore, Projection, SnapshotStore, StoreError};
use crate::read::{PendingCommand, ReadModels, ReadSide};

/// The Web Lock held while saving read models: one tab writes them at a time.
const SAVE_LOCK: &str = "orderlog-save-read-models";

/// How long folding one page of a replay may take, in milliseconds: with the reading of the
/// page in the same task, well under the 50 ms that make a task long.
const PAGE_MS: f64 = 12.0;

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
    /// The read side, up to date with the log.
    pub live: ReadSignal<ReadSide>,
    set_live: WriteSignal<ReadSide>,
    /// Live, or the past the user travelled to.
    pub time_travel: ReadSignal<TimeTravel>,
    pub(super) set_time_travel: WriteSignal<TimeTravel>,
    pub(super) log: Log,
}

impl Views {
    pub(super) fn new(log: Log) -> Views {
        let (live, set_live) = signal(ReadSide::default());
        let (time_travel, set_time_travel) = signal(TimeTravel::Live);
        Views {
            live,
            set_live,
            time_travel,
            set_time_travel,
            log,
        }
    }

    /// Calls `read` with the read models the views show: live, or the past travelled to.
    pub fn with_models<T>(self, read: impl FnOnce(&ReadModels) -> T) -> T {
        self.time_travel.with(|travel| match travel {
            TimeTravel::Past(past) => read(past.models.read_model()),
            TimeTravel::Live | TimeTravel::Loading(_) => {
                self.live.with(|side| read(side.read_model()))
            }
        })
    }

    /// The seq of the last event the live views hold.
    #[must_use]
    pub fn head(self) -> u64 {
        self.live.with(ReadSide::checkpoint)
    }

    /// Resumes from the saved copy when it fits this log (same projection version, the hash
    /// of the event at its checkpoint matches); otherwise starts empty, to replay the whole
    /// log. An unreadable saved copy is the same as none.
    pub(super) async fn restore(self, store: &IdbStore) -> Result<(), StoreError> {
        let saved = store
            .load_read_model(ReadModels::NAME)
            .await
            .unwrap_or(None);
        let at_checkpoint = match &saved {
            Some(saved) => store
                .read_all(saved.checkpoint, 1)
                .await?
                .into_iter()
                .next(),
            None => None,
        };
        let mut restoring = ReadSide::decode_saved(
            saved,
            at_checkpoint.as_ref(),
            UnreadableEvents::SkipAndReport,
        );
        // Each part of the saved copy is decoded in a task of its own.
        while let Some(name) = restoring.next_part() {
            let part = store.load_read_model(&name).await.unwrap_or(None);
            super::next_task().await;
            restoring.decode_part(part);
        }
        super::next_task().await;
        self.set_live.set(restoring.finish());
        Ok(())
    }

    /// Forgets everything folded: the log was replaced.
    pub(super) fn reset(self) {
        self.set_time_travel.set(TimeTravel::Live);
        self.set_live.set(ReadSide::default());
    }

    /// Applies every stored event the read side has not seen yet, and says how many.
    ///
    /// Pages are sized by time, not by count: each is as many events as the last page folded
    /// in [`PAGE_MS`], so a long replay never blocks the page for long, on a fast device or a
    /// slow one.
    pub(super) async fn catch_up(self, store: &IdbStore) -> Result<usize, StoreError> {
        let page = Cell::new(FIRST_PAGE);
        catch_up_in_pages(
            store,
            || self.live.with_untracked(ReadSide::checkpoint),
            || page.get(),
            |from, batch| {
                let started = now_ms();
                let applied = self
                    .set_live
                    .try_update(|side| side.apply_stored(from, batch))
                    .unwrap_or(0);
                page.set(next_page(batch.len(), now_ms() - started));
                applied
            },
        )
        .await
    }

    /// Folds events that follow the checkpoint (see
    /// [`crate::es::ProjectionRunner::apply_all`]), and says whether the read side now holds
    /// every one of them: `false` when it saw a gap (another tab wrote in between), which
    /// only a read of the store can fill.
    pub(super) fn apply(self, events: &[Envelope]) -> bool {
        self.set_live
            .try_update(|side| {
                side.apply_all(events);
                events
                    .last()
                    .is_none_or(|last| side.checkpoint() >= last.seq)
            })
            .unwrap_or(false)
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
        self.set_live
            .try_update(|side| side.read_model_mut().stock_mut().take_pending())
            .unwrap_or_default()
    }

    /// Puts back stock commands that could not be run, to run them next time.
    pub(super) fn retry_stock_commands(self, failed: Vec<PendingCommand>) {
        if !failed.is_empty() {
            self.set_live
                .update(|side| side.read_model_mut().stock_mut().retry_later(failed));
        }
    }

    /// Saves the read side with its checkpoint, unless another tab is saving it.
    pub(super) fn save(self) {
        let Ok(store) = self.log.store() else {
            return;
        };
        // A read side that left events out (unreadable or missing) is not saved: each start
        // reads the log again and reports them again, instead of a saved copy forgetting them.
        if !self.live.with_untracked(ReadSide::complete) {
            return;
        }
        locks::if_available(SAVE_LOCK, move || async move {
            // Not saving only makes the next start replay more of the log; a part left
            // unsaved is seen at the next start, which replays the whole log instead.
            if let Ok(parts) = self.live.with_untracked(ReadSide::save) {
                for part in &parts {
                    if store.save_read_model(part).await.is_err() {
                        return;
                    }
                }
            }
        });
    }

    /// Saves the read side whenever the page is hidden (tab switched, window closed), the
    /// last moment a browser reliably gives a page.
    pub(super) fn save_when_hidden(self) {
        let Some(document) = web_sys::window().and_then(|w| w.document()) else {
            return;
        };
        let on_change = wasm_bindgen::closure::Closure::<dyn FnMut()>::new(move || {
            let hidden = web_sys::window()
                .and_then(|w| w.document())
                .is_some_and(|d| d.visibility_state() == web_sys::VisibilityState::Hidden);
            if hidden {
                self.save();
            }
        });
        // The listener lives as long as the page.
        let _ = document.add_event_listener_with_callback(
            "visibilitychange",
            wasm_bindgen::JsCast::unchecked_ref(on_change.as_ref()),
        );
        on_change.forget();
    }
}
