//! Keeping open tabs in sync. After a tab appends, it announces the log's new head on a
//! `BroadcastChannel`; every other tab then reads from its checkpoint. The message carries
//! no events: the log in IndexedDB stays the one source of truth, and the checkpoint makes
//! sure no tab applies an event twice or misses one.

use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{BroadcastChannel, MessageEvent};

const CHANNEL: &str = "orderlog-events";
/// The message that says the whole log was replaced.
const REPLACED: &str = "log-replaced";

/// This tab's end of the channel. Dropping it stops listening.
pub struct TabChannel {
    channel: BroadcastChannel,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
}

impl TabChannel {
    /// Listens for other tabs' announcements; `on_news` runs for each new head. When another
    /// tab replaced the whole log (a restored backup), this tab reloads: its read models
    /// describe a log that is gone. `None` where the browser has no `BroadcastChannel`: the
    /// tab then sees other tabs' orders on reload.
    pub fn open(mut on_news: impl FnMut() + 'static) -> Option<TabChannel> {
        let channel = BroadcastChannel::new(CHANNEL).ok()?;
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |message: MessageEvent| {
            if message.data().as_string().as_deref() == Some(REPLACED) {
                if let Some(window) = web_sys::window() {
                    let _ = window.location().reload();
                }
            } else {
                on_news();
            }
        });
        channel.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        Some(TabChannel {
            channel,
            _on_message: on_message,
        })
    }

    /// Tells the other tabs that the log now reaches `head`.
    pub fn announce(&self, head: u64) {
        #[allow(clippy::cast_precision_loss)] // seqs stay far below 2^53
        let head = JsValue::from_f64(head as f64);
        // A tab that cannot post only delays the others until their next read.
        let _ = self.channel.post_message(&head);
    }
}

impl TabChannel {
    /// Tells the other tabs that the whole log was replaced.
    pub fn announce_replaced(&self) {
        let _ = self.channel.post_message(&JsValue::from_str(REPLACED));
    }
}

impl Drop for TabChannel {
    fn drop(&mut self) {
        self.channel.set_onmessage(None);
        self.channel.close();
    }
}
