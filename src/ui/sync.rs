//! Sync for the seller: the Sync page (the server, the shop, who this device is there, Start
//! and Stop), the choices sync waits for (start the shop, start fresh from it), the changes
//! refused on sync, and the shell's one line on where the shop's copies are.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;

use super::format::{customer_href, order_href, plural, utc};
use super::import::download_backup;
use crate::app::sync::RecordedCommand;
use crate::app::{use_app, AppCtx, Problem, SyncStatus};
use crate::domain::customer::CustomerCommand;
use crate::domain::{OrderCommand, ProductCommand, ShopCommand, ShopSettingsCommand};
use crate::forms::sync::SyncForm;
use crate::sync::Refused;

#[component]
pub fn SyncPage() -> impl IntoView {
    view! {
        <main class="sync-page">
            <SyncSettingsForm />
            <SyncChoice />
            <RefusedOnSync />
        </main>
    }
}

#[component]
fn SyncSettingsForm() -> impl IntoView {
    let app = use_app();
    let saved = app.syncing.settings();
    let server = RwSignal::new(saved.as_ref().map(|s| s.server.clone()).unwrap_or_default());
    let shop = RwSignal::new(saved.as_ref().map(|s| s.shop.clone()).unwrap_or_default());
    let user = RwSignal::new(saved.as_ref().map(|s| s.user.clone()).unwrap_or_default());
    let password = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let has_password = move || app.syncing.settings().is_some();
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        if app.syncing.on() {
            app.syncing.stop();
            return;
        }
        let form = SyncForm {
            server: server.get_untracked(),
            shop: shop.get_untracked(),
            user: user.get_untracked(),
            password: password.get_untracked(),
        };
        match form.to_settings(app.syncing.settings().as_ref()) {
            Ok(settings) => {
                error.set(None);
                password.set(String::new());
                app.syncing.start(settings);
            }
            Err(refused) => error.set(Some(format!("Sync did not start: {refused}."))),
        }
    };
    let locked = move || app.syncing.on();
    view! {
        <section class="panel" aria-labelledby="sync-heading">
            <h2 id="sync-heading">"Sync"</h2>
            <p>
                "Sync keeps this device's orders in your shop's log on a NATS server, and brings \
                 in what your other devices record. Everything keeps working offline; changes \
                 wait here until the server can be reached. The user and password are kept on \
                 this device only, and never in a backup."
            </p>
            <form on:submit=submit>
                <div class="field">
                    <label for="sync-server">"Server address"</label>
                    <input id="sync-server" type="text" inputmode="url" autocomplete="url"
                        placeholder="wss://sync.example.com" prop:value=move || server.get()
                        prop:disabled=locked
                        on:input=move |ev| server.set(event_target_value(&ev)) />
                </div>
                <div class="field">
                    <label for="sync-shop">"Shop"</label>
                    <input id="sync-shop" type="text" autocomplete="off" prop:value=move || shop.get()
                        prop:disabled=locked
                        on:input=move |ev| shop.set(event_target_value(&ev)) />
                </div>
                <div class="field">
                    <label for="sync-user">"User"</label>
                    <input id="sync-user" type="text" autocomplete="username" prop:value=move || user.get()
                        prop:disabled=locked
                        on:input=move |ev| user.set(event_target_value(&ev)) />
                </div>
                <div class="field">
                    <label for="sync-password">"Password"</label>
                    <input id="sync-password" type="password" autocomplete="current-password"
                        placeholder=move || if has_password() { "saved on this device" } else { "" }
                        prop:value=move || password.get()
                        prop:disabled=locked
                        on:input=move |ev| password.set(event_target_value(&ev)) />
                </div>
                <p class="form-error" role="alert">{move || error.get()}</p>
                <button type="submit">
                    {move || if app.syncing.on() { "Stop syncing" } else { "Start syncing" }}
                </button>
            </form>
            {move || app.syncing.read_only().then(|| view! {
                <p role="note">
                    "This device only reads the shop: its user may not change it, so it offers \
                     no changes."
                </p>
            })}
        </section>
    }
}

/// What sync waits for the seller to choose.
#[component]
fn SyncChoice() -> impl IntoView {
    let app = use_app();
    let error = RwSignal::new(None::<String>);
    move || match app.syncing.status.get() {
        SyncStatus::Stopped(Problem::NoShop {
            shop,
            may_start: true,
        }) => view! {
            <section class="panel" aria-labelledby="choice-heading">
                <h2 id="choice-heading">"Start the shop"</h2>
                <p>{format!(
                    "The server has no shop named {shop}. If the name is right, start it from this \
                     device: its orders become the shop's first."
                )}</p>
                <button type="button" on:click=move |_| app.syncing.start_shop()>
                    {format!("Start {shop} on the server")}
                </button>
            </section>
        }
        .into_any(),
        SyncStatus::Stopped(Problem::BothHaveOrders { here, shop }) => view! {
            <section class="panel" aria-labelledby="choice-heading">
                <h2 id="choice-heading">"This device and the shop both have orders"</h2>
                <p>{format!(
                    "This device holds {here} {} and the shop {shop}. Joining would mix two \
                     shops' books, so sync waits. Download a backup of this device first, then \
                     start fresh from the shop: this device's log is replaced by the shop's.",
                    plural(here, "change", "changes")
                )}</p>
                <button type="button" on:click=move |_| {
                    spawn_local(async move { error.set(download_backup(&app).await.err()); });
                }>"Download a backup"</button>
                <button type="button" on:click=move |_| {
                    spawn_local(async move {
                        match app.backups.restore(Vec::new()).await {
                            Ok(()) => {
                                error.set(None);
                                app.syncing.nudge();
                            }
                            Err(reason) => error.set(Some(reason)),
                        }
                    });
                }>"Start fresh from the shop"</button>
                <p class="form-error" role="alert">{move || error.get()}</p>
            </section>
        }
        .into_any(),
        _ => ().into_any(),
    }
}

/// The changes the shop's order refused when they were decided again.
#[component]
fn RefusedOnSync() -> impl IntoView {
    let app = use_app();
    move || {
        let refused = app.syncing.refused.get();
        (!refused.is_empty()).then(|| {
            let items = refused
                .into_iter()
                .map(|refused| view! { <RefusedItem refused /> })
                .collect_view();
            view! {
                <section class="panel" aria-labelledby="refused-heading">
                    <h2 id="refused-heading">"Refused on sync"</h2>
                    <p>
                        "Another device changed the same thing first, so these changes made here \
                         were not kept. Each says why; open it to do it again if it still applies."
                    </p>
                    <ul class="refused">{items}</ul>
                </section>
            }
        })
    }
}

#[component]
fn RefusedItem(refused: Refused) -> impl IntoView {
    let app = use_app();
    let recorded: Option<RecordedCommand> = serde_json::from_str(&refused.command).ok();
    let what = recorded.as_ref().map_or_else(
        || "a change made before sync was on".to_owned(),
        |recorded| what(&recorded.command),
    );
    let link = recorded.and_then(|recorded| match recorded.command {
        ShopCommand::Order { stream_id, .. } => Some(order_href(&stream_id)),
        ShopCommand::Customer { customer_id, .. } => Some(customer_href(&customer_id)),
        ShopCommand::Product { .. } | ShopCommand::Shop(_) => None,
    });
    let command_id = refused.command_id.clone();
    view! {
        <li>
            <p><strong>{what}</strong>": "{refused.reason}"."</p>
            {link.map(|href| view! { <A href=href>"Open the order"</A> })}
            <button type="button" on:click=move |_| app.syncing.dismiss(command_id.clone())>
                "Dismiss"
            </button>
        </li>
    }
}

/// A command in a few words.
fn what(command: &ShopCommand) -> String {
    match command {
        ShopCommand::Order { command, .. } => match command {
            OrderCommand::Create(_) => "A new order".to_owned(),
            OrderCommand::AddLine(_) => "A line added to an order".to_owned(),
            OrderCommand::ChangeLineQuantity { .. } => "A line's quantity changed".to_owned(),
            OrderCommand::RemoveLine { .. } => "A line removed".to_owned(),
            OrderCommand::SetCharges { .. } => "An order's charges".to_owned(),
            OrderCommand::SetDiscount { .. } => "An order's discount".to_owned(),
            OrderCommand::Place { .. } => "Placing an order".to_owned(),
            OrderCommand::RecordPayment { amount, .. } => format!("A payment of {amount}"),
            OrderCommand::Fulfil { .. } => "A fulfilment".to_owned(),
            OrderCommand::Cancel { .. } => "Cancelling an order".to_owned(),
            OrderCommand::RecordRefund { amount, .. } => format!("A refund of {amount}"),
            OrderCommand::AddNote { .. } => "A note".to_owned(),
            OrderCommand::VoidPayment { payment, .. } => format!("Voiding payment {payment}"),
            OrderCommand::Reopen { .. } => "Reopening an order".to_owned(),
            OrderCommand::Return { .. } => "A return".to_owned(),
            OrderCommand::AddTag { tag } | OrderCommand::RemoveTag { tag } => {
                format!("An order's tag {}", tag.as_str())
            }
        },
        ShopCommand::Product { sku, command } => {
            let sku = sku.as_str();
            match command {
                ProductCommand::Register { .. } => format!("Registering product {sku}"),
                ProductCommand::ReceiveStock { .. } => format!("Stock received for {sku}"),
                ProductCommand::AdjustStock { .. } => format!("A stock count of {sku}"),
                ProductCommand::SetReorderLevel { .. } => format!("{sku}'s reorder level"),
                ProductCommand::SetTaxRate { .. } => format!("{sku}'s tax rate"),
                ProductCommand::Reserve { .. }
                | ProductCommand::Release { .. }
                | ProductCommand::Consume { .. }
                | ProductCommand::Restock { .. } => format!("Stock of {sku}"),
            }
        }
        ShopCommand::Shop(ShopSettingsCommand::Change { .. }) => {
            "A change of the shop's settings".to_owned()
        }
        ShopCommand::Shop(ShopSettingsCommand::IssueInvoice { .. }) => "An invoice".to_owned(),
        ShopCommand::Customer { command, .. } => match command {
            CustomerCommand::Register(details) => {
                format!("A new customer, {}", details.name.as_str())
            }
            CustomerCommand::Change(details) => {
                format!("A change to customer {}", details.name.as_str())
            }
            CustomerCommand::MergeInto { .. } => "Merging two customers".to_owned(),
        },
    }
}

/// The shell's line on where the shop's copies are: sync's state, or, without sync, the
/// last backup and the reminder to download one.
#[component]
pub fn SyncStatusLine() -> impl IntoView {
    let app = use_app();
    let text = move || match app.syncing.status.get() {
        SyncStatus::Off => Some(only_copy(&app)),
        SyncStatus::Connecting => Some("Syncing…".to_owned()),
        SyncStatus::Pulling { pulled, of } => {
            Some(format!("Syncing: {pulled} of {of} changes from the shop"))
        }
        SyncStatus::Synced => Some(match app.syncing.confirmed_at() {
            Some(at) => format!("Synced: the server confirmed everything at {} UTC", utc(at)),
            None => "Synced".to_owned(),
        }),
        SyncStatus::Waiting { changes } => Some(format!(
            "{changes} {} waiting to sync.{}",
            plural(changes, "change", "changes"),
            last_confirmed(app.syncing.confirmed_at())
        )),
        SyncStatus::Offline { changes } => Some(format!(
            "Offline: changes are kept on this device{}.{}",
            if changes > 0 {
                format!(" ({changes} waiting to sync)")
            } else {
                String::new()
            },
            last_confirmed(app.syncing.confirmed_at())
        )),
        SyncStatus::InAnotherTab => Some("Syncing in another orderlog tab".to_owned()),
        SyncStatus::Stopped(problem) => Some(stopped(&problem)),
    };
    view! {
        <div class="sync-status">
            <p role="status" aria-label="Sync">{text}</p>
            {move || match app.syncing.status.get() {
                SyncStatus::Pulling { pulled, of } => Some(view! {
                    <progress aria-label="Sync progress" max=of.to_string() value=pulled.to_string()></progress>
                }),
                _ => None,
            }}
            {move || (!app.syncing.on()).then(|| view! { <BackupReminderNote /> })}
        </div>
    }
}

/// When the server last confirmed every change made here, as a sentence after another.
fn last_confirmed(at: Option<i64>) -> String {
    at.map(|at| format!(" The server last confirmed everything at {} UTC.", utc(at)))
        .unwrap_or_default()
}

/// Why sync stopped, and what to do.
fn stopped(problem: &Problem) -> String {
    match problem {
        Problem::Unreachable { server, why } => format!(
            "Sync stopped: no sync server answers at {server} ({why}). Check the address on \
             the Sync page; changes are kept on this device and sync goes on by itself."
        ),
        Problem::NotAllowed => "Sync stopped: the server refused this user or password. \
             Check them on the Sync page; changes are kept on this device."
            .to_owned(),
        Problem::NoShop { shop, .. } => format!(
            "Sync stopped: the server has no shop named {shop}. Check the name on the Sync \
             page, or start the shop there from this device."
        ),
        Problem::BothHaveOrders { .. } => "Sync stopped: this device and the shop both have \
             orders. Choose on the Sync page: download a backup, then start fresh from the shop."
            .to_owned(),
        Problem::NoJetStream => "Sync stopped: this server keeps no logs for your shop. Ask \
             whoever runs it to turn JetStream on for the shop's account."
            .to_owned(),
        Problem::Other(why) => format!(
            "Sync stopped: {why}. Changes are kept on this device; sync tries again by itself."
        ),
    }
}

/// Without sync: the browser holds the only copy; when the last backup was downloaded, and
/// the orders since.
fn only_copy(app: &AppCtx) -> String {
    let orders = app.views.order_count();
    let (last_at, since) = app
        .backups
        .reminder
        .with(|r| (r.last_at, r.orders_since(orders)));
    let since_text = format!("{since} {}", plural(since, "order", "orders"));
    match last_at {
        Some(at) => format!(
            "Not synced: this browser holds your shop's only copy. Last backup {} UTC, \
             {since_text} since.",
            utc(at)
        ),
        None => format!(
            "Not synced: this browser holds your shop's only copy. No backup downloaded yet \
             ({since_text})."
        ),
    }
}

/// Without sync, once the orders since the last backup reach the seller's setting: a gentle
/// reminder to download one, until "Not now" or the backup.
#[component]
fn BackupReminderNote() -> impl IntoView {
    let app = use_app();
    let reminder = app.backups.reminder;
    let error = RwSignal::new(None::<String>);
    view! {
        {move || reminder.with(|r| r.due(app.views.order_count())).then(|| view! {
            <p class="reminder" role="note">
                "Download a backup now and keep it somewhere else: if this browser's data is \
                 cleared or the device lost, the backup is what brings your orders back. "
                <button type="button" on:click=move |_| {
                    spawn_local(async move { error.set(download_backup(&app).await.err()); });
                }>"Download a backup"</button>
                " "
                <button type="button" on:click=move |_| app.backups.dismiss_reminder(app.views.order_count())>"Not now"</button>
            </p>
        })}
        <p class="form-error" role="alert">{move || error.get()}</p>
    }
}
