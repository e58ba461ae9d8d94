//! Event-store figures in headless Chromium: appending and replaying 10,000 and 100,000
//! realistic order events. A measurement, not a test: it asserts only that the work was done,
//! and runs only through `scripts/bench`, never in the test command.
#![cfg(target_arch = "wasm32")]

use std::cell::RefCell;

use orderlog::es::idb::{Durability, IdbStore};
use orderlog::es::{catch_up, AppendRequest, CommandMeta, EventStore, NewEvent, ProjectionRunner};
use orderlog::read::ReadModels;
use wasm_bindgen_test::{console_log, wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

fn now_ms() -> f64 {
    js_sys::Date::now()
}

/// The payload of a realistic `OrderCreated`: name, customer, email, currency.
fn order_created(n: usize) -> NewEvent {
    NewEvent {
        event_type: "OrderCreated".into(),
        schema_version: 1,
        payload: format!(
            r##"{{"created_at":{},"currency":"USD","customer":"Customer number {n}","email":"customer{n}@example.com","name":"#{}"}}"##,
            1_767_225_600_000_u64 + n as u64,
            1_001 + n
        ),
    }
}

fn command(n: usize, events: Vec<NewEvent>) -> AppendRequest {
    AppendRequest {
        stream_id: format!("order-{n}"),
        expected_version: 0,
        events,
        meta: CommandMeta::direct(format!("command-{n}"), 1_767_225_600_000),
    }
}

async fn fresh(name: &str, durability: Durability) -> IdbStore {
    IdbStore::delete(name).await.expect("delete");
    IdbStore::open(name, durability).await.expect("open")
}

/// Appends `count` one-event commands, each its own transaction: the path of a click.
async fn one_per_transaction(count: usize, durability: Durability) -> f64 {
    let store = fresh("bench-commands", durability).await;
    let started = now_ms();
    for n in 0..count {
        store
            .append(command(n, vec![order_created(n)]))
            .await
            .expect("append");
    }
    let elapsed = now_ms() - started;
    assert_eq!(
        store.last().await.unwrap().map(|e| e.seq),
        Some(count as u64)
    );
    store.close();
    elapsed
}

/// Appends `count` events in appends of 1,000 events each: the path of an import.
async fn batched(name: &str, count: usize) -> (IdbStore, f64) {
    let store = fresh(name, Durability::Relaxed).await;
    let started = now_ms();
    for batch in 0..count / 1_000 {
        let events = (0..1_000)
            .map(|i| order_created(batch * 1_000 + i))
            .collect();
        store
            .append(command(batch, events))
            .await
            .expect("append batch");
    }
    let elapsed = now_ms() - started;
    assert_eq!(
        store.last().await.unwrap().map(|e| e.seq),
        Some(count as u64)
    );
    (store, elapsed)
}

/// Appends `count` one-event commands in `append_batch` calls of 1,000 commands each: the
/// path of a bulk load, where every command is its own stream and its own command id.
async fn commands_in_batches(count: usize) -> (IdbStore, f64) {
    let store = fresh("bench-command-batches", Durability::Relaxed).await;
    let started = now_ms();
    for batch in 0..count / 1_000 {
        let requests = (0..1_000)
            .map(|i| {
                let n = batch * 1_000 + i;
                command(n, vec![order_created(n)])
            })
            .collect();
        store.append_batch(requests).await.expect("append batch");
    }
    let elapsed = now_ms() - started;
    assert_eq!(
        store.last().await.unwrap().map(|e| e.seq),
        Some(count as u64)
    );
    (store, elapsed)
}

/// Reads the whole log in batches and folds it into the orders list.
async fn replay(store: &IdbStore, count: usize) -> f64 {
    let runner = RefCell::new(ProjectionRunner::new(ReadModels::default()));
    let started = now_ms();
    let applied = catch_up(
        store,
        || runner.borrow().checkpoint(),
        |from, batch| runner.borrow_mut().apply_stored(from, batch),
    )
    .await
    .expect("replay");
    let elapsed = now_ms() - started;
    assert_eq!(applied, count);
    assert_eq!(runner.borrow().read_model().orders().rows().len(), count);
    elapsed
}

fn per_event(total_ms: f64, count: usize) -> String {
    #[allow(clippy::cast_precision_loss)]
    let per = total_ms * 1_000.0 / count as f64;
    format!("{total_ms:.0} ms total, {per:.1} µs per event")
}

#[wasm_bindgen_test]
async fn event_store_figures() {
    for (count, durability) in [(1_000, Durability::Strict), (10_000, Durability::Relaxed)] {
        let elapsed = one_per_transaction(count, durability).await;
        console_log!(
            "BENCH append {count} one-event commands ({durability:?}): {}",
            per_event(elapsed, count)
        );
    }
    for count in [10_000, 100_000] {
        let (store, elapsed) = commands_in_batches(count).await;
        console_log!(
            "BENCH append {count} one-event commands in append_batch calls of 1,000 (Relaxed): {}",
            per_event(elapsed, count)
        );
        let replayed = replay(&store, count).await;
        console_log!(
            "BENCH replay {count} events ({count} orders) into the orders list: {}",
            per_event(replayed, count)
        );
        store.close();
        let (store, appended) = batched("bench-batched", count).await;
        console_log!(
            "BENCH append {count} events in appends of 1,000 events to one stream (Relaxed): {}",
            per_event(appended, count)
        );
        store.close();
    }
}
