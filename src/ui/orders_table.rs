//! The orders list, newest first, with each order's total.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::app::use_app;
use crate::read::OrderRow;

#[component]
pub fn OrdersTable() -> impl IntoView {
    let app = use_app();
    let newest_first = Memo::new(move |_| {
        app.with_models(|models| {
            models
                .orders
                .read_model()
                .rows()
                .iter()
                .rev()
                .cloned()
                .collect::<Vec<OrderRow>>()
        })
    });
    view! {
        <section class="orders panel" aria-labelledby="orders-heading">
            <h2 id="orders-heading">"Orders"</h2>
            <Show when=move || !newest_first.with(Vec::is_empty) fallback=|| view! { <p>"No orders yet."</p> }>
                <table aria-labelledby="orders-heading">
                    <thead>
                        <tr>
                            <th scope="col">"Order"</th>
                            <th scope="col">"Customer"</th>
                            <th scope="col" class="num">"Items"</th>
                            <th scope="col" class="num">"Total"</th>
                        </tr>
                    </thead>
                    <tbody>
                        <For each=move || newest_first.get() key=|row| row.order_id.clone() let:row>
                            <tr>
                                <th scope="row">
                                    <A href=format!("/orders/{}", row.order_id)>{format!("#{}", row.number)}</A>
                                </th>
                                <td>{row.customer}</td>
                                <td class="num">{row.items}</td>
                                <td class="num">{row.total.to_string()}</td>
                            </tr>
                        </For>
                    </tbody>
                </table>
            </Show>
        </section>
    }
}
