//! The dashboard: the KPI tiles, the charts (each also a table for screen readers), back
//! orders and products to reorder; and the demo-shop loader.

use leptos::prelude::*;

use super::shell::Writes;
use leptos_router::components::A;

use super::format::{order_href, plural};
use super::locale::{self, KeptOffsets};
use crate::app::{use_app, StoreStatus};
use crate::domain::{Currency, Money, TimeZone};
use crate::read::DashboardFigures;

/// The shop's currency, in which the dashboard's amounts are.
type InCurrency = Memo<Currency>;

/// An amount of the shop's currency in the browser's locale.
fn money(amount: Money, currency: InCurrency) -> String {
    locale::amount(amount, currency.get())
}

#[component]
pub fn DashboardPage() -> impl IntoView {
    let app = use_app();
    let settings = Memo::new(move |_| app.views.with_settings(|shop| shop.settings().clone()));
    let currency: InCurrency = Memo::new(move |_| settings.with(|s| s.currency));
    let zone = Memo::new(move |_| settings.with(|s| s.time_zone.clone()));
    let figures = figures_in(zone);
    let tile = move |title: &'static str, value: fn(&DashboardFigures, InCurrency) -> String| {
        view! {
            <div class="tile" role="group" aria-label=title>
                <h3 aria-hidden="true">{title}</h3>
                <p class="value">{move || figures.with(|f| value(f, currency))}</p>
            </div>
        }
    };
    view! {
        <main class="dashboard">
            <section class="panel tiles-panel" aria-labelledby="figures-heading">
                <h2 id="figures-heading">"Dashboard"</h2>
                <p class="muted">{move || format!("Amounts in {}; days and months in {}.", currency.get(), zone.get().as_str())}</p>
                <div class="tiles">
                    {tile("Orders", |f, _| locale::count(f.orders))}
                    {tile("Cancelled", |f, _| locale::count(f.cancelled))}
                    {tile("Open orders", |f, _| locale::count(f.open))}
                    {tile("Sales", |f, c| money(f.sales, c))}
                    {tile("Discounts", |f, c| money(f.discounts, c))}
                    {tile("Refunds", |f, c| money(f.refunds, c))}
                    {tile("Net sales", |f, c| money(f.net_sales, c))}
                    {tile("Collected", |f, c| money(f.collected, c))}
                    {tile("Outstanding", |f, c| money(f.outstanding, c))}
                    {tile("Average order value", |f, c| f.average_order_value.map_or_else(|| "—".to_owned(), |a| money(a, c)))}
                    {tile("Units", |f, _| locale::count(f.units))}
                    {tile("Customers", |f, _| locale::count(f.customers))}
                    {tile("Repeat customers", |f, _| locale::count(f.repeat_customers))}
                </div>
            </section>
            <SalesByDay figures=figures currency=currency />
            <SalesByMonth figures=figures currency=currency />
            <section class="panel" aria-labelledby="financial-heading">
                <h2 id="financial-heading">"Orders by payment status"</h2>
                <StatusTable labelled_by="financial-heading"
                    rows=Signal::derive(move || figures.with(|f| f.by_financial_status.iter().map(|(s, n)| (s.to_string(), *n)).collect())) />
            </section>
            <section class="panel" aria-labelledby="fulfilment-heading">
                <h2 id="fulfilment-heading">"Live orders by fulfilment status"</h2>
                <StatusTable labelled_by="fulfilment-heading"
                    rows=Signal::derive(move || figures.with(|f| f.by_fulfilment_status.iter().map(|(s, n)| (s.to_string(), *n)).collect())) />
            </section>
            <section class="panel" aria-labelledby="top-heading">
                <h2 id="top-heading">"Top products by net sales"</h2>
                <table aria-labelledby="top-heading">
                    <thead><tr><th scope="col">"SKU"</th><th scope="col">"Product"</th><th scope="col" class="num">"Units"</th><th scope="col" class="num">"Net sales"</th></tr></thead>
                    <tbody>
                        {move || figures.with(|f| f.top_products.iter().map(|p| view! {
                            <tr><th scope="row">{p.sku.as_str().to_owned()}</th><td>{p.name.clone()}</td><td class="num">{p.units}</td><td class="num">{money(p.net_sales, currency)}</td></tr>
                        }).collect_view())}
                    </tbody>
                </table>
            </section>
            <section class="panel" aria-labelledby="backorders-heading">
                <h2 id="backorders-heading">"Back-ordered lines"</h2>
                <p>{move || figures.with(back_orders_summary)}</p>
                <table aria-labelledby="backorders-heading">
                    <thead><tr><th scope="col">"Order"</th><th scope="col">"Line"</th><th scope="col">"SKU"</th><th scope="col" class="num">"Back-ordered"</th></tr></thead>
                    <tbody>
                        {move || figures.with(|f| f.back_ordered_lines.iter().map(|l| {
                            let order = l.order_number.map_or_else(|| l.order_id.clone(), |n| format!("#{n}"));
                            view! {
                                <tr>
                                    <th scope="row"><A href=order_href(&l.order_id)>{order}</A></th>
                                    <td>{l.line_id.to_string()}</td><td>{l.sku.as_str().to_owned()}</td><td class="num">{l.back_ordered}</td>
                                </tr>
                            }
                        }).collect_view())}
                    </tbody>
                </table>
            </section>
            <section class="panel" aria-labelledby="reorder-heading">
                <h2 id="reorder-heading">"Products below their reorder level"</h2>
                <table aria-labelledby="reorder-heading">
                    <thead><tr><th scope="col">"SKU"</th><th scope="col">"Product"</th><th scope="col" class="num">"Available"</th><th scope="col" class="num">"Reorder level"</th></tr></thead>
                    <tbody>
                        {move || figures.with(|f| f.below_reorder_level.iter().map(|p| view! {
                            <tr><th scope="row">{p.sku.as_str().to_owned()}</th><td>{p.name.clone()}</td><td class="num">{p.available}</td><td class="num">{p.reorder_level}</td></tr>
                        }).collect_view())}
                    </tbody>
                </table>
            </section>
            <Writes><DemoLoader /></Writes>
        </main>
    }
}

/// The dashboard's figures on the calendar of `zone`. Its offsets are asked of Intl once per
/// hour of UTC and kept while the zone stays, so figures redrawn after each command do not
/// ask again.
fn figures_in(zone: Memo<TimeZone>) -> Memo<DashboardFigures> {
    let app = use_app();
    let kept = KeptOffsets::new();
    Memo::new(move |_| {
        let offsets = kept.of(&zone.get());
        app.views.with_shop(|models| models.figures(&*offsets))
    })
}

/// "3 lines wait for 5 units.", and which of them the table lists when not all.
fn back_orders_summary(figures: &DashboardFigures) -> String {
    let (lines, units) = (figures.back_orders.lines, figures.back_orders.units);
    if lines == 0 {
        return "No order line waits for stock.".to_owned();
    }
    let summary = format!(
        "{lines} {} {} for {units} {}.",
        plural(lines, "line", "lines"),
        plural(lines, "waits", "wait"),
        plural(units, "unit", "units"),
    );
    let listed = figures.back_ordered_lines.len();
    if (listed as u64) < lines {
        format!("{summary} The first {listed}, by order number, are listed here.")
    } else {
        summary
    }
}

#[component]
fn StatusTable(labelled_by: &'static str, rows: Signal<Vec<(String, u64)>>) -> impl IntoView {
    let most = move || rows.with(|rows| rows.iter().map(|(_, n)| *n).max().unwrap_or(0).max(1));
    view! {
        <table aria-labelledby=labelled_by class="bars">
            <thead><tr><th scope="col">"Status"</th><th scope="col" class="num">"Orders"</th><th scope="col"><span class="visually-hidden">"Share"</span></th></tr></thead>
            <tbody>
                {move || rows.get().into_iter().map(|(status, count)| {
                    #[allow(clippy::cast_precision_loss)] // a bar's width, not a figure
                    let width = format!("{:.1}", count as f64 * 100.0 / most() as f64);
                    // An SVG bar: its width is an attribute, not inline style, which the
                    // Content-Security-Policy forbids.
                    view! {
                        <tr><th scope="row">{status}</th><td class="num">{count}</td><td class="bar-cell" aria-hidden="true">
                            <svg class="bar-track" viewBox="0 0 100 10" preserveAspectRatio="none"><rect class="bar" x="0" y="0" height="10" width=width></rect></svg>
                        </td></tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
}

/// Sales and orders of the shop's latest days with sales, as a table.
#[component]
fn SalesByDay(figures: Memo<DashboardFigures>, currency: InCurrency) -> impl IntoView {
    view! {
        <section class="panel" aria-labelledby="days-heading">
            <h2 id="days-heading">"Sales by day"</h2>
            <table aria-labelledby="days-heading">
                <thead><tr><th scope="col">"Day"</th><th scope="col" class="num">"Orders"</th><th scope="col" class="num">"Sales"</th></tr></thead>
                <tbody>
                    {move || figures.with(|f| f.sales_by_day.iter().rev().map(|d| view! {
                        <tr><th scope="row">{locale::day(d.year, d.month, d.day)}</th><td class="num">{locale::count(d.orders)}</td><td class="num">{money(d.sales, currency)}</td></tr>
                    }).collect_view())}
                </tbody>
            </table>
        </section>
    }
}

/// Sales of live orders per month of their creation (the shop's months), as bars and as a
/// table.
#[component]
fn SalesByMonth(figures: Memo<DashboardFigures>, currency: InCurrency) -> impl IntoView {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let label = |year: i32, month: u8| {
        format!(
            "{} {year}",
            MONTHS
                .get(usize::from(month).saturating_sub(1))
                .unwrap_or(&"?")
        )
    };
    view! {
        <section class="panel wide" aria-labelledby="months-heading">
            <h2 id="months-heading">"Sales by month"</h2>
            {move || figures.with(|f| {
                let most = f.sales_by_month.iter().map(|m| m.sales.cents()).max().unwrap_or(0).max(1);
                let count = f.sales_by_month.len().max(1);
                #[allow(clippy::cast_precision_loss)] // positions in a drawing
                let bars = f.sales_by_month.iter().enumerate().map(|(i, m)| {
                    let height = m.sales.cents() as f64 * 160.0 / most as f64;
                    let width = 600.0 / count as f64;
                    let x = i as f64 * width;
                    view! {
                        <g>
                            <rect x=format!("{:.1}", x + width * 0.15) y=format!("{:.1}", 170.0 - height) width=format!("{:.1}", width * 0.7) height=format!("{height:.1}") class="bar" />
                            <text x=format!("{:.1}", x + width / 2.0) y="190" text-anchor="middle">{label(m.year, m.month)}</text>
                        </g>
                    }
                }).collect_view();
                view! {
                    <svg viewBox="0 0 600 200" class="chart" role="img" aria-label="Bar chart of sales by month; the table below has the figures">{bars}</svg>
                }
            })}
            <table aria-labelledby="months-heading">
                <thead><tr><th scope="col">"Month"</th><th scope="col" class="num">"Sales"</th></tr></thead>
                <tbody>
                    {move || figures.with(|f| f.sales_by_month.iter().map(|m| view! {
                        <tr><th scope="row">{label(m.year, m.month)}</th><td class="num">{money(m.sales, currency)}</td></tr>
                    }).collect_view())}
                </tbody>
            </table>
        </section>
    }
}

/// Loads a realistic demo shop through real commands, with a progress bar.
#[component]
fn DemoLoader() -> impl IntoView {
    let app = use_app();
    let orders = RwSignal::new(String::from("2000"));
    let error = RwSignal::new(None::<String>);
    // Until the shop's storage is open a load could not start: the button waits for it.
    let running = move || {
        app.loads
            .progress
            .with(|b| b.as_ref().is_some_and(|b| b.running))
    };
    let start = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        match orders.get_untracked().trim().parse::<usize>() {
            Ok(count) if (1..=100_000).contains(&count) => {
                error.set(None);
                app.loads.load_demo(count);
            }
            _ => error.set(Some("Give a number of orders from 1 to 100,000.".into())),
        }
    };
    view! {
        <section class="panel wide" aria-labelledby="demo-heading">
            <h2 id="demo-heading">"Demo data"</h2>
            <p>"Fill this browser with a small tea and homeware shop: products, and orders over six months in every state, each made by the same commands a seller would give. Loading it again adds nothing."</p>
            <form class="control" on:submit=start>
                <div class="field">
                    <label for="demo-orders">"Demo orders"</label>
                    <input id="demo-orders" type="text" inputmode="numeric" bind:value=orders aria-describedby="demo-error" />
                </div>
                <button type="submit" disabled=move || running() || app.log.status.get() != StoreStatus::Ready>"Load demo data"</button>
                <p class="field-error" id="demo-error" role="alert">{move || error.get()}</p>
            </form>
            {move || app.loads.progress.get().map(|bulk| view! {
                <div class="progress">
                    <progress aria-label="Demo data loaded" max=bulk.total.to_string() value=bulk.done.to_string()></progress>
                    // Not a live region: the frame's announcer says the end.
                    <p>{if bulk.running { format!("{} of {} commands…", bulk.done, bulk.total) } else { bulk.message }}</p>
                </div>
            })}
        </section>
    }
}
