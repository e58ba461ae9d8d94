//! One tab at a time: the Web Locks API (`navigator.locks`), used so that only one tab
//! writes the saved read models at once, and only one syncs. Reached through `js_sys::Reflect` because
//! web-sys only offers it behind its unstable-API flag.

use std::future::Future;

use js_sys::{Function, Object, Promise, Reflect};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::future_to_promise;

/// Runs `work` while holding the lock `name`, unless another tab holds it right now (then
/// `work` is skipped: that tab is doing the same job). Where the browser has no Web Locks,
/// `work` just runs.
pub fn if_available<F>(name: &str, work: impl FnOnce() -> F + 'static)
where
    F: Future<Output = ()> + 'static,
{
    let Some((locks, request)) = lock_manager() else {
        wasm_bindgen_futures::spawn_local(work());
        return;
    };
    let options = Object::new();
    // Setting a property on a fresh plain object cannot fail.
    let _ = Reflect::set(&options, &"ifAvailable".into(), &JsValue::TRUE);
    let callback = Closure::once_into_js(move |lock: JsValue| -> Promise {
        if lock.is_null() {
            return Promise::resolve(&JsValue::UNDEFINED);
        }
        future_to_promise(async move {
            work().await;
            Ok(JsValue::UNDEFINED)
        })
    });
    // A refused request only means the read models are not saved this time.
    let _ = request.call3(&locks, &name.into(), &options, &callback);
}

/// Runs `work` once this tab holds the lock `name`, waiting for it as long as another tab
/// holds it (the lock is let go when that tab closes), and holds it while `work` runs.
/// Where the browser has no Web Locks, `work` just runs.
pub fn hold<F>(name: &str, work: impl FnOnce() -> F + 'static)
where
    F: Future<Output = ()> + 'static,
{
    let Some((locks, request)) = lock_manager() else {
        wasm_bindgen_futures::spawn_local(work());
        return;
    };
    let callback = Closure::once_into_js(move |_lock: JsValue| -> Promise {
        future_to_promise(async move {
            work().await;
            Ok(JsValue::UNDEFINED)
        })
    });
    // A refused request leaves this tab without the lock: another tab syncs, or none.
    let _ = request.call2(&locks, &name.into(), &callback);
}

fn lock_manager() -> Option<(JsValue, Function)> {
    let navigator = web_sys::window()?.navigator();
    let locks = Reflect::get(&navigator, &"locks".into())
        .ok()
        .filter(|l| !l.is_undefined())?;
    let request = Reflect::get(&locks, &"request".into())
        .ok()?
        .dyn_into::<Function>()
        .ok()?;
    Some((locks, request))
}
