//! Entry points for the browser benchmark harness (`bench/run.mjs`), built only with the
//! `bench` feature (`trunk build --features bench`): the event store's own append and
//! replay, timed inside the page so the harness can set them beside plain IndexedDB and
//! Dexie in the same browser. Reached from JavaScript as `window.wasmBindings.bench_*`.
//! Measurements, not tests: they check only that the work was done.

use std::cell::{Cell, RefCell};

use wasm_bindgen::prelude::*;

use crate::demo;
use crate::domain::{order_stream, Order, OrderCommand, Product, Timestamp};
use crate::es::idb::{Durability, IdbStore};
use crate::es::{
    catch_up, Aggregate, AppendRequest, Batch, CommandMeta, Envelope, EventStore, Planned,
};
use crate::forms::OrderForm;
use crate::read::ReadSide;

/// Commands per `append_batch`: what a bulk load writes per transaction.
const PER_TRANSACTION: usize = 1_000;

fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}

fn failed(error: impl std::fmt::Display) -> JsValue {
    JsValue::from_str(&error.to_string())
}

/// The accepted commands' append requests, each decided against the streams as the
/// commands before it left them (a refused command writes nothing).
fn decided<A: Aggregate>(commands: Vec<Planned<A::Command>>) -> Vec<AppendRequest> {
    let mut batch = Batch::<A>::new();
    for (stream, command, meta) in commands {
        let _ = batch.decide(&stream, &command, meta);
    }
    batch.take_requests()
}

/// The demo shop's commands, decided, until they make at least `events` events: real
/// orders (created, lines, placed, paid, fulfilled, refunded, cancelled) and products.
fn demo_requests(events: usize) -> Vec<AppendRequest> {
    // About seven events an order; ask for enough.
    let plan = demo::plan(events / 5 + 10, 7, Timestamp(1_780_000_000_000));
    let products = decided::<Product>(demo::planned(plan.products));
    let orders = decided::<Order>(demo::planned(plan.orders));
    let mut requests = Vec::new();
    let mut count = 0;
    for request in products.into_iter().chain(orders) {
        if count >= events {
            break;
        }
        count += request.events.len();
        requests.push(request);
    }
    requests
}

/// Appends at least `events` demo events to a new database `name`, in `append_batch`
/// calls of a thousand commands, and returns `[milliseconds, events]`. Deciding happens
/// before the clock starts: this is the store's time.
///
/// # Errors
/// What the store refused.
#[wasm_bindgen]
pub async fn bench_append(name: String, events: usize, strict: bool) -> Result<Vec<f64>, JsValue> {
    let durability = if strict {
        Durability::Strict
    } else {
        Durability::Relaxed
    };
    written_to_new(&name, demo_requests(events), durability).await
}

/// Writes `orders` orders of one line each (an `OrderCreated` and a `LineAdded` apiece,
/// 50 SKUs, a minute apart) to a new database `name`, the way [`bench_append`] writes, and
/// returns `[milliseconds, events]`: a shop with a long orders list.
///
/// # Errors
/// What the store refused.
#[wasm_bindgen]
pub async fn bench_seed_orders(name: String, orders: usize) -> Result<Vec<f64>, JsValue> {
    let mut commands = Vec::with_capacity(orders);
    for n in 0..orders {
        #[allow(clippy::cast_possible_wrap)] // counts far below 2^63
        let at = 1_780_000_000_000 + n as i64 * 60_000;
        let form = OrderForm {
            customer: format!("Customer {n}"),
            sku: format!("SKU-{}", n % 50),
            quantity: "1".to_owned(),
            unit_price: "2.50".to_owned(),
        };
        let command = form.to_command().map_err(failed)?.at(Timestamp(at));
        commands.push((
            order_stream(&format!("bench-{n}")),
            OrderCommand::Create(command),
            CommandMeta::direct(format!("bench-seed-{n}"), at),
        ));
    }
    written_to_new(&name, decided::<Order>(commands), Durability::Relaxed).await
}

/// Deletes the database `name`, opens it anew and appends `requests` a thousand per
/// transaction; returns `[milliseconds, events]`.
async fn written_to_new(
    name: &str,
    mut requests: Vec<AppendRequest>,
    durability: Durability,
) -> Result<Vec<f64>, JsValue> {
    IdbStore::delete(name).await.map_err(failed)?;
    let store = IdbStore::open(name, durability).await.map_err(failed)?;
    let started = now_ms();
    let mut written = 0;
    while !requests.is_empty() {
        let rest = requests.split_off(requests.len().min(PER_TRANSACTION));
        written += store.append_batch(requests).await.map_err(failed)?.len();
        requests = rest;
    }
    let elapsed = now_ms() - started;
    store.close();
    #[allow(clippy::cast_precision_loss)] // counts far below 2^52
    Ok(vec![elapsed, written as f64])
}

/// Rebuilds every read model (orders list, dashboard, products) from the log in database
/// `name`, and returns `[total ms, ms not folding (reading and decoding pages, as far as they
/// do not overlap the folds), folding ms, events]`.
///
/// # Errors
/// What the store refused.
#[wasm_bindgen]
pub async fn bench_replay(name: String) -> Result<Vec<f64>, JsValue> {
    let store = IdbStore::open(&name, Durability::Relaxed)
        .await
        .map_err(failed)?;
    let models = RefCell::new(ReadSide::default());
    let folding = Cell::new(0.0);
    let started = now_ms();
    let applied = catch_up(
        &store,
        || models.borrow().checkpoint(),
        |from, batch: &[Envelope]| {
            let fold_started = now_ms();
            let applied = models.borrow_mut().apply_stored(from, batch);
            folding.set(folding.get() + now_ms() - fold_started);
            applied
        },
    )
    .await
    .map_err(failed)?;
    let total = now_ms() - started;
    store.close();
    let folding = folding.get();
    #[allow(clippy::cast_precision_loss)]
    Ok(vec![total, total - folding, folding, applied as f64])
}

/// Decodes stored records into envelopes two ways and returns `[ms, ms]`: from the objects
/// IndexedDB gives (`records`, with serde-wasm-bindgen, as schema 2's store did), and from the
/// same records as one JSON text (`json`, with `serde_json`, as pages are read).
///
/// # Errors
/// When the records are not envelopes.
#[wasm_bindgen]
pub fn bench_decode(records: JsValue, json: &str) -> Result<Vec<f64>, JsValue> {
    let started = now_ms();
    let from_objects: Vec<Envelope> = serde_wasm_bindgen::from_value(records).map_err(failed)?;
    let objects = now_ms() - started;
    let started = now_ms();
    let from_json: Vec<Envelope> = serde_json::from_str(json).map_err(failed)?;
    let text = now_ms() - started;
    if from_objects != from_json {
        return Err(JsValue::from_str("the two decodings differ"));
    }
    Ok(vec![objects, text])
}

/// The bytes of the app's wasm memory: what the page holds in Rust, at its high-water mark
/// (wasm memory only grows).
#[wasm_bindgen]
#[must_use]
pub fn bench_wasm_memory() -> f64 {
    wasm_bindgen::memory()
        .unchecked_into::<js_sys::WebAssembly::Memory>()
        .buffer()
        .unchecked_into::<js_sys::ArrayBuffer>()
        .byte_length()
        .into()
}
