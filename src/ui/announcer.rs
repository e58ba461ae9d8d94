//! One polite live region that says when long work ends (an import, demo data, a restore):
//! a screen reader hears it whichever view the seller is on, and progress in between is not
//! read out.

use leptos::prelude::*;

use crate::app::BulkProgress;

/// What was last said, shown in the frame's live region.
#[derive(Clone, Copy)]
pub struct Announcer {
    said: RwSignal<String>,
}

impl Announcer {
    /// Creates the announcer and provides it to the component tree.
    pub fn provide() -> Announcer {
        let announcer = Announcer {
            said: RwSignal::new(String::new()),
        };
        provide_context(announcer);
        announcer
    }

    /// The text of the live region.
    #[must_use]
    pub fn said(self) -> String {
        self.said.get()
    }

    /// Says `text`. The region is emptied first and filled a frame later, so the same text
    /// twice (a second import of one file) is said twice.
    pub fn say(self, text: String) {
        self.said.set(String::new());
        request_animation_frame(move || self.said.set(text));
    }

    /// Says a bulk load's closing message when it ends (`progress`: the loads' progress).
    pub fn follow_loads(self, progress: ReadSignal<Option<BulkProgress>>) {
        Effect::new(move |was_running: Option<bool>| {
            let (running, message) = progress.with(|bulk| match bulk {
                Some(bulk) => (bulk.running, Some(bulk.message.clone())),
                None => (false, None),
            });
            if let (Some(true), false, Some(message)) = (was_running, running, message) {
                self.say(message);
            }
            running
        });
    }
}

/// The frame's announcer. Panics outside the frame.
#[must_use]
pub fn use_announcer() -> Announcer {
    expect_context::<Announcer>()
}
