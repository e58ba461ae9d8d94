//! Saving the read side, so that a start replays only the log's tail: after a long replay and
//! whenever the page is hidden, under a Web Lock so that one tab writes at a time; and
//! restoring it at start, a saved part per task.

use std::rc::Rc;

use leptos::prelude::*;
use leptos::wasm_split::SplitLoaderError;

use super::{locks, Views};
use crate::es::idb::IdbStore;
use crate::es::{EventStore, Projection, SnapshotStore, StoreError, UnreadableEvents};
use crate::read::{ReadModels, ReadSide};
use crate::tasks::{split_point, Later};

/// The Web Lock held while saving read models: one tab writes them at a time.
const SAVE_LOCK: &str = "orderlog-save-read-models";

impl Views {
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
        // The other parts are read at once, and each is decoded in a task of its own. Parts
        // that cannot be read leave the copy unfinished: the log is replayed instead.
        let names = restoring.parts_left();
        let parts = if names.is_empty() {
            Vec::new()
        } else {
            store.load_read_models(&names).await.unwrap_or_default()
        };
        for part in parts {
            crate::tasks::next_task().await;
            restoring.decode_part(part);
        }
        crate::tasks::next_task().await;
        self.replace(restoring.finish());
        Ok(())
    }

    /// Saves the read side with its checkpoint, unless another tab is saving it.
    pub(super) fn save(self) {
        let Ok(store) = self.log.store() else {
            return;
        };
        // A read side that left events out (unreadable or missing) is not saved: each start
        // reads the log again and reports them again, instead of a saved copy forgetting them.
        if !self.side.with_value(ReadSide::complete) {
            return;
        }
        locks::if_available(SAVE_LOCK, move || async move {
            // Not saving only makes the next start replay more of the log, so a save whose
            // code did not arrive is left for the next.
            if let Ok(saving) = save_later(self, store).await {
                saving.await;
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

split_point! {
    writes;
    /// Writing the saved copy as a split point: its code (every read model's serialising) is
    /// fetched the first time a page saves, not with the first download.
    fn save_later(views: Views, store: Rc<IdbStore>) -> Result<Later<()>, SplitLoaderError> {
        Ok(Box::pin(async move {
            // Every part in one write, so that a page closed midway keeps the old copy or the
            // new one.
            if let Ok(parts) = views.side.with_value(ReadSide::save) {
                let _ = store.save_read_model(&parts).await;
            }
        }))
    }
}
