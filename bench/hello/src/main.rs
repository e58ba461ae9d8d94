//! Hello, world, in Leptos: the smallest app orderlog's pipeline builds.
use leptos::prelude::*;

fn main() {
    leptos::mount::mount_to_body(|| view! { <p>"Hello, world"</p> });
}
