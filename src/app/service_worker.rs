//! The service worker (`pwa/service-worker.js`, written into each build by
//! `pwa/post-build.mjs`): registered on start, so that once the app has been
//! opened it opens again with no network, and watched for a newer build. A newer build is
//! only offered: the page keeps the build it started with until the seller chooses to
//! reload into the new one. Debug builds do not register it, so that while developing every
//! change shows at once.

use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::{spawn_local, JsFuture};
use web_sys::{ServiceWorkerContainer, ServiceWorkerRegistration, ServiceWorkerState};

/// Where the build puts the worker; its scope is the whole site.
const WORKER: &str = "/sw.js";

/// The browser's service workers, where it has them (secure pages of browsers that do).
fn container() -> Option<ServiceWorkerContainer> {
    let navigator = web_sys::window()?.navigator();
    js_sys::Reflect::has(&navigator, &JsValue::from_str("serviceWorker"))
        .unwrap_or(false)
        .then(|| navigator.service_worker())
}

/// Registers the worker and calls `update_ready` once a newer build is installed and
/// waiting. Looks for a newer build whenever the page becomes visible or the browser comes
/// back online. Where service workers are missing or refused, the app works as before,
/// only not offline.
pub fn register(update_ready: impl Fn() + Clone + 'static) {
    if cfg!(debug_assertions) {
        return;
    }
    let Some(container) = container() else {
        return;
    };
    let registered = container.register(WORKER);
    spawn_local(async move {
        let Some(registration) = registration(registered).await else {
            return;
        };
        // A newer build found on an earlier visit, still waiting for its turn.
        if registration.waiting().is_some() && container.controller().is_some() {
            update_ready();
        }
        on_update_found(&registration, &container, update_ready);
        check_now_and_then(registration);
    });
}

/// The registration `promise` settles with, if any: a page with none registered, or a
/// browser refusing workers (a policy blocking them answers with no registration), has none.
async fn registration(promise: js_sys::Promise) -> Option<ServiceWorkerRegistration> {
    let registration = JsFuture::from(promise).await.ok()?;
    (!registration.is_undefined() && !registration.is_null()).then(|| registration.unchecked_into())
}

/// Calls `update_ready` when a newer build finishes installing while this page runs an
/// older one (with no controller, this is the first install: nothing to offer).
fn on_update_found(
    registration: &ServiceWorkerRegistration,
    container: &ServiceWorkerContainer,
    update_ready: impl Fn() + Clone + 'static,
) {
    let found_in = registration.clone();
    let container = container.clone();
    let found = Closure::<dyn Fn()>::new(move || {
        let Some(worker) = found_in.installing() else {
            return;
        };
        let (watched, container, update_ready) =
            (worker.clone(), container.clone(), update_ready.clone());
        let changed = Closure::<dyn Fn()>::new(move || {
            if watched.state() == ServiceWorkerState::Installed && container.controller().is_some()
            {
                update_ready();
            }
        });
        worker.set_onstatechange(Some(changed.as_ref().unchecked_ref()));
        changed.forget();
    });
    registration.set_onupdatefound(Some(found.as_ref().unchecked_ref()));
    // Listeners for as long as the page lives.
    found.forget();
}

/// Asks the browser to look for a newer worker whenever the page is shown again or the
/// network comes back: a seller who leaves the app open for days still hears of updates.
fn check_now_and_then(registration: ServiceWorkerRegistration) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let check = Closure::<dyn Fn()>::new(move || {
        let visible = web_sys::window()
            .and_then(|w| w.document())
            .is_some_and(|d| d.visibility_state() == web_sys::VisibilityState::Visible);
        if visible {
            if let Ok(checked) = registration.update() {
                // A failed check (offline) only means no update is known yet.
                spawn_local(async move {
                    let _ = JsFuture::from(checked).await;
                });
            }
        }
    });
    let listener = check.as_ref().unchecked_ref();
    let _ = window.add_event_listener_with_callback("online", listener);
    if let Some(document) = window.document() {
        let _ = document.add_event_listener_with_callback("visibilitychange", listener);
    }
    check.forget();
}

/// Resolves once this page is served by the worker (at once if it is already, or where there
/// is none: service workers missing or refused, or a debug build). On a first visit that is
/// once the worker has cached the build and taken the page, so what the page fetches after
/// comes from that cache and is not downloaded a second time. Never, if the worker fails to
/// install: whatever waits on it is then fetched when first needed.
pub async fn controlling() {
    if cfg!(debug_assertions) {
        return;
    }
    let Some(container) = container() else {
        return;
    };
    if container.controller().is_some() {
        return;
    }
    if registration(container.get_registration()).await.is_none() {
        return;
    }
    let taken = js_sys::Promise::new(&mut |resolve, _| {
        let _ = container.add_event_listener_with_callback("controllerchange", &resolve);
    });
    // The worker may have taken the page while the registration was read.
    if container.controller().is_none() {
        let _ = JsFuture::from(taken).await;
    }
}

/// Reloads the page into the newer build: the waiting worker takes over, and the page
/// reloads once it controls it (so the reload is served by the new build, whole). Without
/// service workers, or with none waiting, a plain reload.
pub fn reload_into_update() {
    let Some(container) = container() else {
        reload();
        return;
    };
    let on_controller_change = Closure::<dyn Fn()>::new(reload);
    container.set_oncontrollerchange(Some(on_controller_change.as_ref().unchecked_ref()));
    on_controller_change.forget();
    spawn_local(async move {
        let waiting = registration(container.get_registration())
            .await
            .and_then(|registration| registration.waiting());
        match waiting {
            Some(worker) => {
                let _ = worker.post_message(&JsValue::from_str("skip-waiting"));
            }
            // Nothing waits (another tab took the update first): reload into what serves.
            None => reload(),
        }
    });
}

fn reload() {
    if let Some(window) = web_sys::window() {
        let _ = window.location().reload();
    }
}
