//! Import a Shopify orders export: choose the file, see the preview (orders and lines found,
//! every rejected row with its line and reason), then import with a progress bar and a stop
//! button. Nothing is written before the seller says so.

use leptos::prelude::*;

use super::announcer::use_announcer;
use super::shell::Writes;
use leptos::task::spawn_local;
use leptos::wasm_split::SplitLoaderError;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use crate::app::{use_app, AppCtx};
use crate::io::shopify::{plan, ImportPlan};
use crate::tasks::{split_point, Later};

/// The text of the file chosen in the input that fired `event`.
async fn chosen_text(event: &leptos::ev::Event) -> Result<String, String> {
    let input: web_sys::HtmlInputElement = event
        .target()
        .and_then(|t| t.dyn_into().ok())
        .ok_or("no file input")?;
    let file = input
        .files()
        .and_then(|files| files.get(0))
        .ok_or("no file chosen")?;
    let text = JsFuture::from(file.text())
        .await
        .map_err(|_| "the file could not be read".to_owned())?;
    text.as_string()
        .ok_or_else(|| "the file is not text".to_owned())
}

/// Downloads a backup of the whole log, and notes when (and at how many orders) for the
/// reminder. Its code comes with the import view's (the frame's reminder offers it too).
///
/// # Errors
/// Why there is no backup, in words.
pub async fn download_backup(app: &AppCtx) -> Result<(), String> {
    match backup_later(*app).await {
        Ok(backing_up) => backing_up.await,
        Err(_) => Err(
            "The backup failed: its part of orderlog did not arrive (this device may \
                       be offline, or a newer version replaced this one). Reload orderlog and \
                       try again."
                .to_owned(),
        ),
    }
}

split_point! {
    data;
    fn backup_later(app: AppCtx) -> Result<Later<Result<(), String>>, SplitLoaderError> {
        Ok(Box::pin(async move {
            let text = app
                .backups
                .backup()
                .await
                .map_err(|e| format!("The backup failed: {e}"))?;
            download("orderlog-backup.ndjson", &text).map_err(|e| format!("The backup failed: {e}"))?;
            app.backups.downloaded(app.views.order_count());
            Ok(())
        }))
    }
}

/// Hands `text` to the browser as a file download called `name`.
///
/// # Errors
/// What the browser said when it refused.
pub(super) fn download(name: &str, text: &str) -> Result<(), String> {
    hand_over(name, text).map_err(|error| {
        error
            .dyn_ref::<js_sys::Error>()
            .map(|error| String::from(error.message()))
            .or_else(|| error.as_string())
            .unwrap_or_else(|| "the browser refused the download".to_owned())
    })
}

fn hand_over(name: &str, text: &str) -> Result<(), wasm_bindgen::JsValue> {
    let parts = js_sys::Array::of1(&text.into());
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("text/csv;charset=utf-8");
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob)?;
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or("no document")?;
    let link: web_sys::HtmlAnchorElement = document.create_element("a")?.dyn_into()?;
    link.set_href(&url);
    link.set_download(name);
    link.click();
    web_sys::Url::revoke_object_url(&url)
}

/// Exports the live orders in Shopify's layout as a download.
#[component]
fn ExportOrders() -> impl IntoView {
    let app = use_app();
    let error = RwSignal::new(None::<String>);
    let export = move |_| {
        let csv = app
            .views
            .with_live(|models| crate::io::shopify::export(models.numbered_orders()));
        let outcome = csv.and_then(|csv| download("orderlog-orders.csv", &csv));
        error.set(outcome.err().map(|e| format!("The export failed: {e}")));
    };
    view! {
        <section class="panel wide" aria-labelledby="export-heading">
            <h2 id="export-heading">"Export and back up"</h2>
            <p>"Every placed or cancelled order in Shopify's orders-export layout, to open in a spreadsheet or import elsewhere. Drafts are not exported."</p>
            <button type="button" on:click=export>"Export orders as Shopify CSV"</button>
            <p>"The whole event log, every event with its hash, as a backup file to keep somewhere safe."</p>
            <button type="button" on:click=move |_| {
                spawn_local(async move { error.set(download_backup(&app).await.err()); });
            }>"Download a backup of the event log"</button>
            <p class="form-error" role="alert">{move || error.get()}</p>
            <BackupReminderSetting />
        </section>
    }
}

/// How often the shell reminds the seller to download a backup while sync is off.
#[component]
fn BackupReminderSetting() -> impl IntoView {
    let app = use_app();
    let typed = RwSignal::new(app.backups.reminder.with_untracked(|r| r.every.to_string()));
    let said = RwSignal::new(None::<Result<String, String>>);
    let save = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        said.set(Some(match typed.get_untracked().trim().parse::<u64>() {
            Ok(0) => {
                app.backups.remind_every(0);
                Ok("No reminders: remember to download backups yourself.".to_owned())
            }
            Ok(every) => {
                app.backups.remind_every(every);
                Ok(format!(
                    "A reminder comes every {every} orders without a backup."
                ))
            }
            Err(_) => {
                Err("Backup reminder: must be a whole number, like 25 (0 for none).".to_owned())
            }
        }));
    };
    view! {
        <form class="inline" on:submit=save>
            <div class="field">
                <label for="backup-every">"Remind me to back up every (orders)"</label>
                <input id="backup-every" type="text" inputmode="numeric" prop:value=move || typed.get()
                    on:input=move |ev| typed.set(event_target_value(&ev)) />
            </div>
            <button type="submit">"Save reminder"</button>
            {move || said.get().map(|said| match said {
                Ok(text) => view! { <p role="status">{text}</p> }.into_any(),
                Err(text) => view! { <p class="form-error" role="alert">{text}</p> }.into_any(),
            })}
        </form>
    }
}

#[component]
pub fn ImportPage() -> impl IntoView {
    let app = use_app();
    let preview = RwSignal::new(None::<Result<ImportPlan, String>>);
    let on_file = move |event: leptos::ev::Event| {
        preview.set(None);
        spawn_local(async move {
            let read = chosen_text(&event).await;
            preview.set(Some(read.and_then(|text| {
                let known = app
                    .views
                    .with_live(|models| crate::read::customers::by_email(models.shop()));
                plan(&text)
                    .map(|plan| plan.for_customers(&known))
                    .map_err(|e| e.to_string())
            })));
        });
    };
    let running = move || {
        app.loads
            .progress
            .with(|b| b.as_ref().is_some_and(|b| b.running))
    };
    view! {
        <main class="import">
            <section class="panel wide" aria-labelledby="import-heading">
                <h2 id="import-heading">"Import a Shopify orders export"</h2>
                <p>"In Shopify, Orders → Export → CSV for Excel or plain CSV. Every order is checked by the same rules as an order made here; an order with any problem is skipped whole. Importing the same file again adds nothing."</p>
                <Writes>
                    <div class="field">
                        <label for="import-file">"Shopify orders CSV"</label>
                        <input id="import-file" type="file" accept=".csv,text/csv" on:change=on_file disabled=running />
                    </div>
                </Writes>
                {move || preview.get().map(|preview| match preview {
                    Err(reason) => view! { <p class="form-error" role="alert">{format!("This file cannot be imported: {reason}.")}</p> }.into_any(),
                    Ok(found) => view! { <Preview found=found /> }.into_any(),
                })}
                {move || app.loads.progress.get().map(|bulk| view! {
                    <div class="progress">
                        <progress aria-label="Imported" max=bulk.total.to_string() value=bulk.done.to_string()></progress>
                        // Not a live region: the frame's announcer says the end.
                        <p>{if bulk.running { format!("{} of {} commands…", bulk.done, bulk.total) } else { bulk.message.clone() }}</p>
                        {bulk.running.then(|| view! {
                            <button type="button" on:click=move |_| app.loads.stop()>"Stop importing"</button>
                        })}
                    </div>
                })}
            </section>
            <ExportOrders />
            <Writes><RestoreBackup /></Writes>
        </main>
    }
}

#[component]
fn Preview(found: ImportPlan) -> impl IntoView {
    let app = use_app();
    let summary = format!(
        "{} orders with {} line items will be imported; {} rejected.",
        found.orders,
        found.lines,
        found.rejected.len()
    );
    let rejected = found.rejected.clone();
    let orders = found.orders;
    let new_customers = found.customers.len();
    let to_import = StoredValue::new(Some(found));
    view! {
        <p role="status">{summary}</p>
        {(new_customers > 0).then(|| view! {
            <p>{format!("{new_customers} new {} by email; orders with the email of a customer already here are theirs.", super::format::plural(new_customers as u64, "customer", "customers"))}</p>
        })}
        {(!rejected.is_empty()).then(|| view! {
            <table aria-label="Rejected rows">
                <thead><tr><th scope="col" class="num">"Line"</th><th scope="col">"Order"</th><th scope="col">"Reason"</th></tr></thead>
                <tbody>
                    {rejected.into_iter().map(|r| view! {
                        <tr><th scope="row" class="num">{r.line}</th><td>{r.order}</td><td>{r.reason}</td></tr>
                    }).collect_view()}
                </tbody>
            </table>
        })}
        <button type="button" disabled=move || orders == 0 || app.loads.progress.with(|b| b.as_ref().is_some_and(|b| b.running))
            on:click=move |_| {
                if let Some(found) = to_import.try_update_value(Option::take).flatten() {
                    app.loads.import(found);
                }
            }>
            {format!("Import {orders} orders")}
        </button>
    }
}

/// What a restore that went through says.
const RESTORED: &str = "Backup restored.";

/// Restore a backup file: proven first, then written in one go, replacing what is here
/// only once the seller confirmed it.
#[component]
fn RestoreBackup() -> impl IntoView {
    let app = use_app();
    let checked = RwSignal::new(None::<Result<Vec<crate::es::Envelope>, String>>);
    let confirmed = RwSignal::new(false);
    let outcome = RwSignal::new(None::<Result<(), String>>);
    let restoring = RwSignal::new(false);
    let announcer = use_announcer();
    let on_file = move |event: leptos::ev::Event| {
        checked.set(None);
        outcome.set(None);
        spawn_local(async move {
            let read = chosen_text(&event).await;
            checked.set(Some(read.and_then(|text| {
                crate::io::backup::read(&text).map_err(|e| e.to_string())
            })));
        });
    };
    let here = move || app.views.head();
    let restore = move |_: leptos::ev::MouseEvent| {
        let Some(Ok(events)) = checked.get_untracked() else {
            return;
        };
        restoring.set(true);
        spawn_local(async move {
            let restored = app.backups.restore(events).await;
            if restored.is_ok() {
                announcer.say(RESTORED.to_owned());
            }
            outcome.set(Some(restored));
            checked.set(None);
            confirmed.set(false);
            restoring.set(false);
        });
    };
    view! {
        <section class="panel wide" aria-labelledby="restore-heading">
            <h2 id="restore-heading">"Restore a backup"</h2>
            <p>"The file is checked whole before anything is written; restoring replaces everything in this browser at once, or nothing."</p>
            <div class="field">
                <label for="restore-file">"Backup file"</label>
                <input id="restore-file" type="file" accept=".ndjson,.jsonl,application/x-ndjson" on:change=on_file />
            </div>
            {move || checked.get().map(|checked| match checked {
                Err(reason) => view! { <p class="form-error" role="alert">{format!("This backup cannot be restored: {reason}.")}</p> }.into_any(),
                Ok(events) => {
                    let count = events.len();
                    view! {
                        <p role="status">{format!("A sound backup of {count} events.")}</p>
                        {(here() > 0).then(|| view! {
                            <label class="confirm">
                                <input type="checkbox" prop:checked=move || confirmed.get() on:change=move |e| confirmed.set(event_target_checked(&e)) />
                                {format!(" Replace the {} events in this browser with the backup", here())}
                            </label>
                        })}
                        <button type="button" disabled=move || { restoring.get() || (here() > 0 && !confirmed.get()) } on:click=restore>"Restore backup"</button>
                        {move || restoring.get().then(|| view! { <p role="status">"Restoring the backup…"</p> })}
                    }.into_any()
                }
            })}
            {move || outcome.get().map(|outcome| match outcome {
                // Said by the frame's announcer; a refusal is an alert of its own.
                Ok(()) => view! { <p>{RESTORED}</p> }.into_any(),
                Err(reason) => view! { <p class="form-error" role="alert">{reason}</p> }.into_any(),
            })}
        </section>
    }
}
