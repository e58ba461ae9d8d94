//! When the app panics (a bug: nothing in it should), the page must not freeze with the
//! seller's orders out of reach. The panic hook logs the panic as before and hands its
//! message to `pwa/rescue.js`, plain JavaScript loaded by `index.html`, which replaces the
//! page with what happened and a button that downloads the event log as a backup file
//! straight from IndexedDB: it works even though the wasm no longer runs.

use wasm_bindgen::{JsCast, JsValue};

/// Installs the panic hook: the console message, then the rescue view.
pub fn on_panic_offer_the_log() {
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        hand_over(&info.to_string());
    }));
}

/// Hands `message` to the rescue view (`window.orderlogRescue`), when the page has it.
pub fn hand_over(message: &str) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let rescue = js_sys::Reflect::get(&window, &JsValue::from_str("orderlogRescue"));
    if let Ok(rescue) = rescue.and_then(JsCast::dyn_into::<js_sys::Function>) {
        let _ = rescue.call1(&window, &JsValue::from_str(message));
    }
}
