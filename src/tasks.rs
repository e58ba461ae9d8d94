//! Waiting for a later task of the page's event loop, so that long work (a replay, a large
//! append, saving the read side) leaves the browser room to paint and take input between
//! its steps.

/// Work a split point hands back to run once its code has arrived (see `ui::later`).
pub type Later<T> = std::pin::Pin<Box<dyn std::future::Future<Output = T>>>;

/// A split point (`#[wasm_split(…, fallible)]`) of `$part`. With the `split` feature (on by
/// default: the builds `scripts/split-wasm.mjs` cuts), the function's code goes into its
/// part's file, fetched when first called. Without it (the browser tests' builds, which
/// nothing cuts and which could not load a split point's import) it is an async function
/// calling its body, and its preload loads nothing.
macro_rules! split_point {
    (
        $part:ident $(, preload = $preload:ident)?;
        $(#[$attr:meta])*
        $vis:vis fn $name:ident($($arg:ident: $ty:ty),* $(,)?) -> $ret:ty $body:block
    ) => {
        #[cfg(feature = "split")]
        #[::leptos::wasm_split::wasm_split(
            $part, wasm_split_path = ::leptos::wasm_split, fallible $(, preload($preload))?
        )]
        #[allow(
            clippy::unnecessary_wraps,
            reason = "`fallible`: the caller sees the code not arriving as the error"
        )]
        $(#[$attr])*
        $vis fn $name($($arg: $ty),*) -> $ret $body

        #[cfg(not(feature = "split"))]
        #[allow(
            clippy::unnecessary_wraps,
            clippy::unused_async,
            reason = "the split point's signature, for builds that are not cut"
        )]
        $(#[$attr])*
        $vis async fn $name($($arg: $ty),*) -> $ret $body

        $(
            #[cfg(not(feature = "split"))]
            #[allow(clippy::unused_async, reason = "the split point's preload, nothing to load")]
            $vis async fn $preload() -> Result<(), ::leptos::wasm_split::SplitLoaderError> {
                Ok(())
            }
        )?
    };
}
pub(crate) use split_point;

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
