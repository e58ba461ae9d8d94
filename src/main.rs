fn main() {
    // When the page's code starts (after the HTML, the script and the wasm are loaded): the
    // benchmark tells a start's loading from its reading of the log by this mark.
    if let Some(performance) = web_sys::window().and_then(|window| window.performance()) {
        let _ = performance.mark("orderlog-main");
    }
    orderlog::app::rescue::on_panic_offer_the_log();
    leptos::mount::mount_to_body(orderlog::ui::App);
}
