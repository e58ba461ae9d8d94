//! Saving the read side, so that a start replays only the log's tail: after a long replay and
//! whenever the page is hidden, under a Web Lock so that one tab writes at a time.

use leptos::prelude::*;

use super::{locks, Views};
use crate::es::SnapshotStore;
use crate::read::ReadSide;

/// The Web Lock held while saving read models: one tab writes them at a time.
const SAVE_LOCK: &str = "orderlog-save-read-models";

impl Views {
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
            // Every part in one write, so that a page closed midway keeps the old copy or
            // the new one; not saving only makes the next start replay more of the log.
            if let Ok(parts) = self.side.with_value(ReadSide::save) {
                let _ = store.save_read_model(&parts).await;
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
