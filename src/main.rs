fn main() {
    orderlog::app::rescue::on_panic_offer_the_log();
    leptos::mount::mount_to_body(orderlog::ui::App);
}
