//! Waiting for a later task of the page's event loop, so that long work (a replay, a large
//! append, saving the read side) leaves the browser room to paint and take input between
//! its steps.

/// Work a split point hands back to run once its code has arrived (see `ui::later`).
pub type Later<T> = std::pin::Pin<Box<dyn std::future::Future<Output = T>>>;

/// Resolves in a later task of the page's event loop (a zero timeout), so the browser can
/// paint and handle input in between.
pub async fn next_task() {
    after_ms(0).await;
}

/// Resolves after `ms` milliseconds, in a later task of the page's event loop.
pub async fn after_ms(ms: i32) {
    let later = js_sys::Promise::new(&mut |resolve, _| {
        let scheduled = web_sys::window().is_some_and(|window| {
            window
                .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms)
                .is_ok()
        });
        if !scheduled {
            let _ = resolve.call0(&wasm_bindgen::JsValue::NULL);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(later).await;
}
