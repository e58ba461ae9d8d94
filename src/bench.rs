//! Entry points for the browser benchmark harness (`bench/run.mjs`), built only with the
//! `bench` feature (`trunk build --features bench`): the event store's own append and
//! replay, timed inside the page so the harness can set them beside plain IndexedDB and
//! Dexie in the same browser. Reached from JavaScript as `window.wasmBindings.bench_*`.
//! Measurements, not tests: they check only that the work was done. The sync figures run
//! against the development sync server `scripts/bench` starts.

use std::cell::{Cell, RefCell};

use wasm_bindgen::prelude::*;

use crate::app::sync::{RecordedCommand, ShopDecider};
use crate::demo;
use crate::domain::{
    order_stream, Order, OrderCommand, Product, ShopCommand, ShopSettings, Timestamp,
};
use crate::es::idb::{Durability, IdbStore};
use crate::es::{
    catch_up, execute, Aggregate, AppendRequest, Batch, CommandMeta, Envelope, EventStore, Planned,
};
use crate::forms::OrderForm;
use crate::read::ReadSide;
use crate::sync::{NatsClient, ShopLog, SyncEngine, Synced, WebSocketTransport};

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
            ..OrderForm::default()
        };
        let command = form
            .to_command(&ShopSettings::default())
            .map_err(failed)?
            .at(Timestamp(at));
        commands.push((
            order_stream(&format!("bench-{n}")),
            OrderCommand::Create(command),
            CommandMeta::direct(format!("bench-seed-{n}"), at),
        ));
    }
    written_to_new(&name, decided::<Order>(commands), Durability::Relaxed).await
}

/// The database `name`, deleted and opened anew: empty.
async fn new_database(name: &str, durability: Durability) -> Result<IdbStore, JsValue> {
    IdbStore::delete(name).await.map_err(failed)?;
    IdbStore::open(name, durability).await.map_err(failed)
}

/// Deletes the database `name`, opens it anew and appends `requests` a thousand per
/// transaction; returns `[milliseconds, events]`.
async fn written_to_new(
    name: &str,
    mut requests: Vec<AppendRequest>,
    durability: Durability,
) -> Result<Vec<f64>, JsValue> {
    let store = new_database(name, durability).await?;
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

/// The demo shop's two tills in `sync/dev.conf`, the server `scripts/bench` starts.
const TILL_1: (&str, &str) = ("demo-till-1", "demo-till-1-secret");
const TILL_2: (&str, &str) = ("demo-till-2", "demo-till-2-secret");

/// The sync engine of `store` for the shop log `shop`, made with one replica.
async fn engine_of(store: &IdbStore, shop: &str) -> Result<SyncEngine, JsValue> {
    SyncEngine::open(store, ShopLog::new(shop, 1))
        .await
        .map_err(failed)
}

/// A till's connection to the sync server at `server` (a WebSocket address).
async fn till(
    server: &str,
    (user, password): (&str, &str),
) -> Result<NatsClient<WebSocketTransport>, JsValue> {
    let transport = WebSocketTransport::open(server).await.map_err(failed)?;
    NatsClient::connect(transport, user, password)
        .await
        .map_err(failed)
}

/// Syncs the log of database `name` with the shop log `shop` (made with one replica) as
/// `user`; returns the engine's report and the milliseconds it took.
async fn synced(
    server: &str,
    user: (&str, &str),
    shop: &str,
    store: &IdbStore,
) -> Result<(Synced, f64), JsValue> {
    let mut engine = engine_of(store, shop).await?;
    let mut connection = till(server, user).await?;
    let started = now_ms();
    let synced = engine
        .sync(store, &mut connection, &ShopDecider)
        .await
        .map_err(failed)?;
    Ok((synced, now_ms() - started))
}

/// Pushes the log of database `name` (written before sync: an import) to the new shop log
/// `shop` and returns `[ms, commands pushed, events in the log]`.
///
/// # Errors
/// The store's, the connection's or the server's.
#[wasm_bindgen]
pub async fn bench_sync_push_log(
    server: String,
    shop: String,
    name: String,
) -> Result<Vec<f64>, JsValue> {
    let store = IdbStore::open(&name, Durability::Relaxed)
        .await
        .map_err(failed)?;
    let (synced, ms) = synced(&server, TILL_1, &shop, &store).await?;
    let events = store.last().await.map_err(failed)?.map_or(0, |e| e.seq);
    store.close();
    #[allow(clippy::cast_precision_loss)] // counts far below 2^52
    Ok(vec![ms, synced.pushed as f64, events as f64])
}

/// Pulls the shop log `shop` into the new database `name`, as a new device does, and
/// returns `[ms, messages pulled, messages quarantined, events stored]`; [`bench_replay`]
/// then times its read models. The first quarantined message's reason is logged.
///
/// # Errors
/// The store's, the connection's or the server's.
#[wasm_bindgen]
pub async fn bench_sync_pull(
    server: String,
    shop: String,
    name: String,
) -> Result<Vec<f64>, JsValue> {
    let store = new_database(&name, Durability::Relaxed).await?;
    let (synced, ms) = synced(&server, TILL_2, &shop, &store).await?;
    let events = store.last().await.map_err(failed)?.map_or(0, |e| e.seq);
    store.close();
    if let Some(first) = synced.quarantined.first() {
        web_sys::console::warn_1(&format!("quarantined: {first:?}").into());
    }
    #[allow(clippy::cast_precision_loss)] // counts far below 2^52
    Ok(vec![
        ms,
        synced.pulled as f64,
        synced.quarantined.len() as f64,
        events as f64,
    ])
}

/// The hash of the last event in database `name`: two devices with the same log agree on it.
///
/// # Errors
/// The store's.
#[wasm_bindgen]
pub async fn bench_head_hash(name: String) -> Result<String, JsValue> {
    let store = IdbStore::open(&name, Durability::Relaxed)
        .await
        .map_err(failed)?;
    let last = store.last().await.map_err(failed)?;
    store.close();
    Ok(last.map(|e| e.hash).unwrap_or_default())
}

/// An order of one line for the order `n`, decided offline in `store` and recorded for
/// sync, as the app does.
async fn record_order(
    store: &IdbStore,
    engine: &SyncEngine,
    device: &str,
    n: usize,
) -> Result<(), JsValue> {
    let form = OrderForm {
        customer: format!("Customer {n}"),
        sku: format!("SKU-{}", n % 50),
        quantity: "1".to_owned(),
        unit_price: "2.50".to_owned(),
        ..OrderForm::default()
    };
    #[allow(clippy::cast_possible_wrap)] // counts far below 2^63
    let at = Timestamp(1_780_000_000_000 + n as i64 * 60_000);
    let command = OrderCommand::Create(
        form.to_command(&ShopSettings::default())
            .map_err(failed)?
            .at(at),
    );
    let stream_id = order_stream(&format!("{device}-{n}"));
    let command_id = format!("{device}-command-{n}");
    let meta = CommandMeta::direct(command_id.clone(), at.0);
    execute::<Order, _>(store, &stream_id, &command, &meta)
        .await
        .map_err(failed)?;
    let recorded = RecordedCommand {
        command: ShopCommand::Order { stream_id, command },
        recorded_at: at.0,
    };
    engine
        .record(store, &command_id, &recorded.text())
        .await
        .map_err(failed)
}

/// Decides `commands` orders offline in the new database `name` (a day's work) and pushes
/// them to the new shop log `shop`; returns `[ms, commands pushed]`. Deciding is not timed.
///
/// # Errors
/// The store's, the connection's or the server's.
#[wasm_bindgen]
pub async fn bench_sync_push_pending(
    server: String,
    shop: String,
    name: String,
    commands: usize,
) -> Result<Vec<f64>, JsValue> {
    let store = new_database(&name, Durability::Relaxed).await?;
    let engine = engine_of(&store, &shop).await?;
    for n in 0..commands {
        record_order(&store, &engine, "offline", n).await?;
    }
    let (synced, ms) = synced(&server, TILL_1, &shop, &store).await?;
    store.close();
    #[allow(clippy::cast_precision_loss)] // counts far below 2^52
    Ok(vec![ms, synced.pushed as f64])
}

/// `rounds` times, on the new shop log `shop`: an order decided on one device, pushed, and
/// pulled by another device (two databases, each with its connection), timed from the
/// decision to the other device's log holding it; returns the milliseconds of each.
///
/// # Errors
/// The store's, the connection's or the server's.
#[wasm_bindgen]
pub async fn bench_sync_round_trips(
    server: String,
    shop: String,
    rounds: usize,
) -> Result<Vec<f64>, JsValue> {
    let mut devices = Vec::new();
    for (name, user) in [("bench-sync-a", TILL_1), ("bench-sync-b", TILL_2)] {
        let store = new_database(name, Durability::Relaxed).await?;
        let engine = engine_of(&store, &shop).await?;
        devices.push((store, engine, till(&server, user).await?));
    }
    let [(a, mut a_engine, mut a_till), (b, mut b_engine, mut b_till)]: [_; 2] = devices
        .try_into()
        .map_err(|_| JsValue::from_str("two devices"))?;
    let mut times = Vec::with_capacity(rounds);
    for n in 0..rounds {
        let started = now_ms();
        record_order(&a, &a_engine, "a", n).await?;
        a_engine
            .sync(&a, &mut a_till, &ShopDecider)
            .await
            .map_err(failed)?;
        let pulled = b_engine
            .sync(&b, &mut b_till, &ShopDecider)
            .await
            .map_err(failed)?;
        times.push(now_ms() - started);
        if pulled.pulled == 0 {
            return Err(JsValue::from_str("the other device pulled nothing"));
        }
    }
    a.close();
    b.close();
    Ok(times)
}
