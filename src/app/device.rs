//! What the browser says about where the data lives: online or not (nothing needs the
//! network; the seller is told only so they know), whether storage is persistent, and how
//! much of the quota is used, with a warning well before it is full; and this device's own
//! settings: the theme, and a newer build of the app waiting to be reloaded into.

use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::StorageEstimate;

use super::prefs::{self, Theme};
use super::service_worker;

/// The device's state as signals, and what the seller sets on it.
#[derive(Clone, Copy)]
pub struct Device {
    /// Online or not.
    pub online: ReadSignal<bool>,
    /// The storage used; `None` until the browser answered.
    pub storage: ReadSignal<Option<StorageUse>>,
    set_storage: WriteSignal<Option<StorageUse>>,
    /// A newer build of the app is installed and waits for the seller to reload into it.
    pub update_ready: ReadSignal<bool>,
    /// The theme shown: the one the seller picked, else the system's.
    pub theme: Signal<Theme>,
    /// The theme the seller picked, if they did.
    picked: RwSignal<Option<Theme>>,
    /// A reading of the storage use is on its way: more writes meanwhile need no other.
    measuring: StoredValue<bool, LocalStorage>,
}

/// How long after a write the storage use is read again: a run of writes (a seller adding
/// notes, a bulk load) costs one reading, not one each.
const MEASURE_AFTER_MS: i32 = 1_000;

impl Device {
    /// Starts watching the network, the storage and the service worker.
    pub(super) fn watch() -> Device {
        let (online_now, set_online) = signal(online());
        let (storage, set_storage) = signal(None);
        let (update_ready, set_update_ready) = signal(false);
        let picked = RwSignal::new(prefs::load_theme());
        let system = system_theme();
        let theme = Signal::derive(move || picked.get().unwrap_or_else(|| system.get()));
        let device = Device {
            online: online_now,
            storage,
            set_storage,
            update_ready,
            theme,
            picked,
            measuring: StoredValue::new_local(true),
        };
        watch_online(move |online| set_online.set(online));
        spawn_local(async move {
            if let Some(used) = storage_use(true).await {
                set_storage.set(Some(used));
            }
            device.measuring.set_value(false);
        });
        service_worker::register(move || set_update_ready.set(true));
        device
    }

    /// Reads the storage use again a moment after writes (see [`MEASURE_AFTER_MS`]).
    pub fn refresh_storage(self) {
        if self.measuring.get_value() {
            return;
        }
        self.measuring.set_value(true);
        spawn_local(async move {
            crate::tasks::after_ms(MEASURE_AFTER_MS).await;
            let persistent = self
                .storage
                .with_untracked(|used| used.as_ref().map(|u| u.persistent));
            if let Some(mut used) = storage_use(persistent.is_none()).await {
                used.persistent |= persistent.unwrap_or(false);
                self.set_storage.set(Some(used));
            }
            self.measuring.set_value(false);
        });
    }

    /// Switches between the light and the dark theme, and remembers the choice: from then on
    /// the system's setting no longer decides.
    pub fn toggle_theme(self) {
        let theme = self.theme.get_untracked().toggled();
        prefs::save_theme(theme);
        self.picked.set(Some(theme));
    }

    /// Reloads the page into the newer build that [`Device::update_ready`] announced. The
    /// orders are in the log, so nothing is lost; text typed in a form and not saved is.
    pub fn reload_into_update(self) {
        service_worker::reload_into_update();
    }

    /// Once the service worker serves this page (see `service_worker::controlling`): what is
    /// fetched after that comes from its cache.
    pub async fn served_by_worker(self) {
        service_worker::controlling().await;
    }
}

/// The system's theme (`prefers-color-scheme`), followed as it changes.
fn system_theme() -> ReadSignal<Theme> {
    let query = window()
        .match_media("(prefers-color-scheme: dark)")
        .ok()
        .flatten();
    let of = |dark: bool| if dark { Theme::Dark } else { Theme::Light };
    let (theme, set_theme) = signal(of(query
        .as_ref()
        .is_some_and(web_sys::MediaQueryList::matches)));
    if let Some(query) = query {
        let watched = query.clone();
        let changed = Closure::<dyn Fn()>::new(move || set_theme.set(of(watched.matches())));
        let _ = query.add_event_listener_with_callback("change", changed.as_ref().unchecked_ref());
        // The listener lives as long as the page.
        changed.forget();
    }
    theme
}

/// Storage use at or above this share of the quota is warned about.
pub const WARN_AT_PERCENT: u64 = 80;

/// How much the browser lets this site keep, and how much it keeps.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StorageUse {
    pub used_bytes: u64,
    pub quota_bytes: u64,
    /// The browser promised not to evict the data under storage pressure.
    pub persistent: bool,
}

impl StorageUse {
    /// `Storage: 1.2 MB of 2.0 GB used (kept: the browser will not clear it)`.
    #[must_use]
    pub fn describe(&self) -> String {
        let kept = if self.persistent {
            "kept: the browser will not clear it on its own"
        } else {
            "not guaranteed: the browser may clear it if space runs low; export a backup"
        };
        format!(
            "Storage: {} of {} used ({kept})",
            bytes(self.used_bytes),
            bytes(self.quota_bytes)
        )
    }

    /// A warning once use reaches [`WARN_AT_PERCENT`] of the quota.
    #[must_use]
    pub fn warning(&self) -> Option<String> {
        let percent = self
            .used_bytes
            .saturating_mul(100)
            .checked_div(self.quota_bytes)?;
        (percent >= WARN_AT_PERCENT).then(|| {
            format!(
                "Storage is {percent}% full. Export a backup and free space before the browser refuses new orders."
            )
        })
    }
}

/// `512 B`, `1.2 kB`, `3.4 MB`, `2.0 GB` (powers of 1,000).
#[must_use]
pub fn bytes(count: u64) -> String {
    const UNITS: [&str; 4] = ["kB", "MB", "GB", "TB"];
    if count < 1_000 {
        return format!("{count} B");
    }
    let mut scaled = count;
    let mut unit = 0;
    while scaled >= 1_000_000 && unit + 1 < UNITS.len() {
        scaled /= 1_000;
        unit += 1;
    }
    format!(
        "{}.{} {}",
        scaled / 1_000,
        scaled % 1_000 / 100,
        UNITS[unit]
    )
}

/// Reads the use and quota, first asking the browser to keep the data (persistent storage)
/// when `ask_to_persist`: once a page is enough. `None` where the browser offers no storage
/// manager.
pub async fn storage_use(ask_to_persist: bool) -> Option<StorageUse> {
    let storage = web_sys::window()?.navigator().storage();
    let persistent = match ask_to_persist.then(|| storage.persist()) {
        Some(Ok(promise)) => JsFuture::from(promise)
            .await
            .ok()
            .and_then(|v| v.as_bool())
            .unwrap_or(false),
        _ => false,
    };
    let estimate: StorageEstimate = JsFuture::from(storage.estimate().ok()?)
        .await
        .ok()?
        .unchecked_into();
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    // byte counts, whole and non-negative
    let to_bytes = |value: Option<f64>| value.unwrap_or(0.0) as u64;
    Some(StorageUse {
        used_bytes: to_bytes(estimate.get_usage()),
        quota_bytes: to_bytes(estimate.get_quota()),
        persistent,
    })
}

/// Whether the browser believes it is online now.
#[must_use]
pub fn online() -> bool {
    web_sys::window().is_none_or(|w| w.navigator().on_line())
}

/// Calls `changed` with the new state whenever the browser goes online or offline.
pub fn watch_online(changed: impl Fn(bool) + Clone + 'static) {
    let Some(window) = web_sys::window() else {
        return;
    };
    for (event, state) in [("online", true), ("offline", false)] {
        let changed = changed.clone();
        let listener = Closure::<dyn Fn()>::new(move || changed(state));
        // The listeners live as long as the page.
        let _ = window.add_event_listener_with_callback(event, listener.as_ref().unchecked_ref());
        listener.forget();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn byte_counts_read_in_thousands() {
        assert_eq!(bytes(512), "512 B");
        assert_eq!(bytes(1_234), "1.2 kB");
        assert_eq!(bytes(3_456_789), "3.4 MB");
        assert_eq!(bytes(2_000_000_000), "2.0 GB");
    }

    fn use_of(used_bytes: u64, quota_bytes: u64) -> StorageUse {
        StorageUse {
            used_bytes,
            quota_bytes,
            persistent: true,
        }
    }

    #[test]
    fn storage_is_warned_about_from_eighty_percent() {
        assert_eq!(use_of(79, 100).warning(), None);
        assert_eq!(
            use_of(80, 100).warning().as_deref(),
            Some("Storage is 80% full. Export a backup and free space before the browser refuses new orders.")
        );
        assert_eq!(
            use_of(5, 0).warning(),
            None,
            "no quota reported, no warning"
        );
    }
}
