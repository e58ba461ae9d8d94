fn main() {
    // When the page's code starts (after the HTML, the script and the wasm are loaded): the
    // benchmark tells a start's loading from its reading of the log by this mark.
    if let Some(performance) = web_sys::window().and_then(|window| window.performance()) {
        let _ = performance.mark("orderlog-main");
    }
    orderlog::app::rescue::on_panic_offer_the_log();
    leptos::mount::mount_to_body(orderlog::ui::App);
    // The loading frame index.html painted before this code arrived gives way to the app.
    if let Some(frame) = web_sys::window()
        .and_then(|window| window.document())
        .and_then(|document| document.get_element_by_id("boot"))
    {
        frame.remove();
    }
}
