//! Browser tests, in headless Chromium against the real IndexedDB: the event-store
//! conformance suite, and what only a real database shows: data outliving a connection,
//! schema upgrades, transactions that fail midway, tampering, two connections at once.
#![cfg(target_arch = "wasm32")]

#[macro_use]
mod conformance;
mod support;
#[path = "browser/sync.rs"]
mod sync;

use std::cell::Cell;
use std::rc::Rc;

use indexed_db_futures::database::Database;
use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::TransactionMode;
use indexed_db_futures::KeyPath;
use orderlog::es::idb::{Durability, IdbStore, Wait, SCHEMA_VERSION};
use orderlog::es::{
    catch_up, codec, execute, verify, Aggregate, AppendRequest, ChainError, CommandMeta, Envelope,
    EventStore, ProjectionRunner, SavedReadModel, Snapshot, SnapshotStore, StoreError, SyncedStore,
    VerifyError, READ_BATCH,
};
use orderlog::read::ReadModels;
use support::{create_order, meta, new_event, Tally, TallyCommand};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

/// An empty database of its own for one test.
async fn fresh(name: &str) -> IdbStore {
    IdbStore::delete(name)
        .await
        .expect("delete old test database");
    IdbStore::open(name, Durability::Relaxed)
        .await
        .expect("open test database")
}

macro_rules! idb_cases {
    ($($case:ident),* $(,)?) => {
        $(
            #[wasm_bindgen_test]
            async fn $case() {
                let store = fresh(concat!("conformance-", stringify!($case))).await;
                conformance::$case(&store).await;
                store.close();
            }
        )*
    };
}

for_each_case!(idb_cases);
for_each_synced_case!(idb_cases);

fn append_request(
    stream_id: &str,
    expected_version: u64,
    command_id: &str,
    events: usize,
) -> AppendRequest {
    AppendRequest {
        stream_id: stream_id.into(),
        expected_version,
        events: (0..events)
            .map(|n| new_event("Added", &format!("{{\"reached\":{n}}}")))
            .collect(),
        meta: meta(command_id),
    }
}

/// A second, raw connection to the database, as a tool outside orderlog would open it.
async fn raw(name: &str) -> Database {
    Database::open(name)
        .with_version(SCHEMA_VERSION)
        .await
        .expect("raw open")
}

/// A page of the log as schema 3 stores it, written by hand as a tool outside orderlog would.
#[derive(serde::Serialize)]
struct RawPage {
    seq: u64,
    last: u64,
    hash: String,
    events: String,
    versions: Vec<(String, u64)>,
    commands: Vec<String>,
}

/// `events` as one page keyed by `key`.
fn raw_page(key: u64, events: &[Envelope]) -> RawPage {
    let last = events.last().expect("a page holds events");
    RawPage {
        seq: key,
        last: last.seq,
        hash: last.hash.clone(),
        events: serde_json::to_string(events).unwrap(),
        versions: events
            .iter()
            .map(|e| (e.stream_id.clone(), e.stream_version))
            .collect(),
        commands: events.iter().map(|e| e.command_id.clone()).collect(),
    }
}

/// Puts `events` as one page keyed by `key`, replacing the page stored there.
async fn raw_put_page(name: &str, key: u64, events: &[Envelope]) {
    let page = raw_page(key, events);
    let db = raw(name).await;
    let tx = db
        .transaction("pages")
        .with_mode(TransactionMode::Readwrite)
        .build()
        .unwrap();
    tx.object_store("pages")
        .unwrap()
        .put(&page)
        .serde()
        .unwrap();
    tx.commit().await.expect("raw put");
    db.close();
}

#[wasm_bindgen_test]
async fn appended_events_are_read_back_after_reopening_the_database() {
    let name = "reopen";
    let store = fresh(name).await;
    let appended = store
        .append(append_request("order-1", 0, "command-1", 2))
        .await
        .expect("append");
    store.close();

    let reopened = IdbStore::open(name, Durability::Strict)
        .await
        .expect("reopen");
    assert_eq!(reopened.read_all(1, 100).await, Ok(appended.clone()));
    assert_eq!(reopened.read_stream("order-1", 1).await, Ok(appended));
    reopened.close();
}

/// A database `name` made by schema `version` 1, 2 or 3 (an older orderlog: one record per
/// event, or from 3 one page per append), held open.
async fn old_schema(name: &str, version: u32) -> Database {
    IdbStore::delete(name).await.unwrap();
    Database::open(name)
        .with_version(version)
        .with_on_upgrade_needed(move |_, db| {
            if version >= 3 {
                let pages = db
                    .create_object_store("pages")
                    .with_key_path(KeyPath::from("seq"))
                    .build()?;
                for index in ["versions", "commands"] {
                    pages
                        .create_index(index, KeyPath::from(index))
                        .with_unique(true)
                        .with_multi_entry(true)
                        .build()?;
                }
            } else {
                let events = db
                    .create_object_store("events")
                    .with_key_path(KeyPath::from("seq"))
                    .build()?;
                events
                    .create_index("stream", KeyPath::from(vec!["stream_id", "stream_version"]))
                    .with_unique(true)
                    .build()?;
                events
                    .create_index("command_id", KeyPath::from("command_id"))
                    .build()?;
            }
            if version >= 2 {
                db.create_object_store("snapshots")
                    .with_key_path(KeyPath::from("stream_id"))
                    .build()?;
                db.create_object_store("read_models")
                    .with_key_path(KeyPath::from("name"))
                    .build()?;
            }
            Ok(())
        })
        .await
        .expect("open the old schema")
}

/// Adds `records` to the store `store` of `db`, ten thousand to a transaction, each as the
/// plain object its JSON makes.
async fn raw_add_all<T: serde::Serialize>(db: &Database, store: &str, records: &[T]) {
    for chunk in records.chunks(10_000) {
        let values: js_sys::Array = js_sys::JSON::parse(&serde_json::to_string(chunk).unwrap())
            .unwrap()
            .unchecked_into();
        let tx = db
            .transaction(store)
            .with_mode(TransactionMode::Readwrite)
            .build()
            .unwrap();
        let object_store = tx.object_store(store).unwrap();
        for value in values.iter() {
            object_store.add(value).primitive().unwrap();
        }
        drop(object_store);
        tx.commit().await.expect("raw add");
    }
}

/// A log of `orders` orders made by one command each (stream `order-n`, command
/// `command-n`), their events an `OrderCreated` and a `LineAdded`, chained as orderlog
/// chains them.
fn log_of(orders: usize) -> Vec<Envelope> {
    let created = orderlog::domain::Order::default()
        .decide(&create_order("Ada", 1, 100))
        .expect("a new order is created")
        .iter()
        .map(codec::encode)
        .collect::<Result<Vec<_>, _>>()
        .expect("its events encode");
    let mut log: Vec<Envelope> = Vec::with_capacity(orders * created.len());
    for n in 0..orders {
        let appended = Envelope::chain_after(
            log.last().map(Envelope::link),
            &format!("order-{n}"),
            0,
            &created,
            &meta(&format!("command-{n}")),
        );
        log.extend(appended);
    }
    log
}

#[wasm_bindgen_test]
async fn a_schema_2_database_of_100k_events_is_upgraded_in_place_keeping_every_event() {
    let name = "upgrade-from-2";
    let log = log_of(50_000);
    let last = log.last().unwrap().clone();
    // A read model saved by the old orderlog after the log's last event.
    let saved = SavedReadModel {
        name: "orders".into(),
        version: 1,
        checkpoint: last.seq,
        checkpoint_hash: last.hash.clone(),
        parts: 1,
        state: "{}".into(),
    };
    let v2 = old_schema(name, 2).await;
    raw_add_all(&v2, "events", &log).await;
    raw_add_all(&v2, "read_models", std::slice::from_ref(&saved)).await;
    v2.close();

    let told = Rc::new(Cell::new(None));
    let into = Rc::clone(&told);
    let store = IdbStore::open_or_wait(name, Durability::Relaxed, move |wait| {
        into.set(Some(wait));
    })
    .await
    .expect("the upgrade to pages");
    assert_eq!(told.get(), Some(Wait::MovingTheLog), "the wait was told");
    assert_eq!(
        verify(&store).await,
        Ok(100_000),
        "the chain verifies after"
    );
    let mut stored = Vec::with_capacity(log.len());
    loop {
        let batch = store
            .read_all(stored.len() as u64 + 1, READ_BATCH)
            .await
            .expect("read");
        if batch.is_empty() {
            break;
        }
        stored.extend(batch);
    }
    assert!(stored == log, "every event kept as it was");
    assert_eq!(
        store.read_stream("order-12345", 2).await,
        Ok(vec![log[12_345 * 2 + 1].clone()])
    );
    assert_eq!(
        store.read_command("command-49999").await,
        Ok(log[99_998..].to_vec())
    );
    assert_eq!(
        store.load_read_model("orders").await,
        Ok(Some(saved)),
        "the saved read model is kept, and its checkpoint is still the log's"
    );
    assert_eq!(store.last().await, Ok(Some(last)));
    let next = store
        .append(append_request("order-7", 2, "after", 1))
        .await
        .expect("append after the upgrade");
    assert_eq!((next[0].seq, next[0].stream_version), (100_001, 3));
    assert_eq!(
        store
            .append(append_request("order-8", 0, "command-8", 2))
            .await,
        Ok(log[16..18].to_vec()),
        "a retry of a command from before the upgrade answers with its events"
    );

    store.close();
}

#[wasm_bindgen_test]
async fn a_backup_made_before_the_upgrade_restores_after_it() {
    let name = "backup-across-the-upgrade";
    let log = log_of(600);
    let v2 = old_schema(name, 2).await;
    raw_add_all(&v2, "events", &log).await;
    v2.close();
    let backup = orderlog::io::backup::write(&log);

    let store = IdbStore::open(name, Durability::Relaxed)
        .await
        .expect("the upgrade to pages");
    store
        .append(append_request("order-1", 2, "after", 1))
        .await
        .expect("append after the upgrade");
    let restored = orderlog::io::backup::read(&backup).expect("the backup made before");
    store.replace_all(restored).await.expect("restores after");

    assert_eq!(verify(&store).await, Ok(1_200));
    assert_eq!(store.read_all(1, 2_000).await, Ok(log.clone()));
    assert_eq!(
        store.read_stream("order-1", 1).await,
        Ok(log[2..4].to_vec())
    );
    store.close();
}

#[wasm_bindgen_test]
async fn a_database_made_by_schema_1_is_upgraded_and_keeps_its_events() {
    let name = "upgrade-from-1";
    // The fixture: the schema exactly as version 1 made it, with one event in it.
    let v1 = old_schema(name, 1).await;
    let request = append_request("tally", 0, "old", 1);
    let old = Envelope::chain_after(None, "tally", 0, &request.events, &request.meta);
    let tx = v1
        .transaction("events")
        .with_mode(TransactionMode::Readwrite)
        .build()
        .unwrap();
    tx.object_store("events")
        .unwrap()
        .add(&old[0])
        .serde()
        .unwrap();
    tx.commit().await.expect("fixture event");
    v1.close();

    let store = IdbStore::open(name, Durability::Strict)
        .await
        .expect("upgrade to the current schema");
    assert_eq!(store.read_all(1, 10).await, Ok(old.clone()));
    assert_eq!(verify(&store).await, Ok(1));
    let next = store
        .append(append_request("tally", 1, "new", 1))
        .await
        .expect("append after upgrade");
    assert_eq!((next[0].seq, next[0].stream_version), (2, 2));
    let snapshot = Snapshot {
        stream_id: "tally".into(),
        stream_version: 2,
        state_version: 1,
        state: "{}".into(),
    };
    store
        .save_snapshot(&snapshot)
        .await
        .expect("the new snapshots store exists");
    assert_eq!(store.load_snapshot("tally").await, Ok(Some(snapshot)));
    store.close();
}

#[wasm_bindgen_test]
async fn a_schema_3_database_is_upgraded_keeping_its_log_and_starts_without_a_sync_state() {
    let name = "upgrade-from-3";
    let log = log_of(600);
    let v3 = old_schema(name, 3).await;
    // One page per command, as schema 3's orderlog appended them.
    let pages: Vec<RawPage> = log
        .chunks(2)
        .map(|command| raw_page(command[0].seq, command))
        .collect();
    raw_add_all(&v3, "pages", &pages).await;
    v3.close();

    let told = Rc::new(Cell::new(None));
    let into = Rc::clone(&told);
    let store = IdbStore::open_or_wait(name, Durability::Relaxed, move |wait| {
        into.set(Some(wait));
    })
    .await
    .expect("the upgrade to the current schema");
    assert_eq!(told.get(), None, "no log to move: nothing to wait for");
    assert_eq!(verify(&store).await, Ok(1_200));
    assert_eq!(store.read_all(1, 2_000).await, Ok(log.clone()));
    assert_eq!(
        store.read_stream("order-7", 1).await,
        Ok(log[14..16].to_vec())
    );
    assert_eq!(
        store.read_command("command-599").await,
        Ok(log[1_198..].to_vec())
    );
    assert_eq!(store.load_sync_state().await, Ok(None));
    store
        .save_sync_state("after the upgrade")
        .await
        .expect("the new sync store takes the state");
    assert_eq!(
        store.load_sync_state().await,
        Ok(Some("after the upgrade".into()))
    );
    let next = store
        .append(append_request("order-7", 2, "after", 1))
        .await
        .expect("append after the upgrade");
    assert_eq!((next[0].seq, next[0].stream_version), (1_201, 3));
    store.close();
}

#[wasm_bindgen_test]
async fn a_rebase_inside_a_page_keeps_its_first_events_and_later_appends_follow_the_new_ones() {
    let name = "rebase-inside-a-page";
    let store = fresh(name).await;
    // Given one page of three commands (seqs 1 to 4), a page after it, and snapshots.
    let page = store
        .append_batch(vec![
            append_request("a", 0, "c1", 2),
            append_request("b", 0, "c2", 1),
            append_request("a", 2, "c3", 1),
        ])
        .await
        .expect("one page");
    store
        .append(append_request("d", 0, "c4", 1))
        .await
        .expect("a page after it");
    for stream in ["a", "b", "d"] {
        let snapshot = Snapshot {
            stream_id: stream.into(),
            stream_version: 1,
            state_version: 1,
            state: "{}".into(),
        };
        store.save_snapshot(&snapshot).await.expect("snapshot");
    }

    // When the log is rebased at seq 2, inside that page, on two events of the shop's.
    let shops = append_request("shop", 0, "c9", 2);
    let theirs = Envelope::chain_after(Some(page[1].link()), "shop", 0, &shops.events, &shops.meta);
    store
        .rebase(2, 5, theirs.clone(), "rebased")
        .await
        .expect("rebase");

    // Then the page's first events are read as before, and nothing after them is left.
    let mut rebased = page[..2].to_vec();
    rebased.extend(theirs.iter().cloned());
    assert_eq!(store.read_all(1, 100).await, Ok(rebased.clone()));
    assert_eq!(store.read_all(2, 2).await, Ok(rebased[1..3].to_vec()));
    assert_eq!(store.read_stream("a", 1).await, Ok(page[..2].to_vec()));
    assert_eq!(store.read_stream("shop", 1).await, Ok(theirs.clone()));
    assert_eq!(store.read_command("c1").await, Ok(page[..2].to_vec()));
    assert_eq!(store.read_command("c9").await, Ok(theirs.clone()));
    for removed in ["c2", "c3", "c4"] {
        assert_eq!(store.read_command(removed).await, Ok(vec![]), "{removed}");
    }
    assert_eq!(store.read_stream("b", 1).await, Ok(vec![]));
    assert_eq!(store.last().await, Ok(theirs.last().cloned()));
    assert_eq!(verify(&store).await, Ok(4));
    assert_eq!(store.load_sync_state().await, Ok(Some("rebased".into())));
    for stream in ["a", "b", "d"] {
        assert_eq!(store.load_snapshot(stream).await, Ok(None), "{stream}");
    }
    // And a later append continues after the shop's events, taking the removed versions and
    // command ids again.
    let next = store
        .append_batch(vec![
            append_request("a", 2, "c3", 1),
            append_request("b", 0, "c2", 1),
        ])
        .await
        .expect("appended after the rebase");
    assert_eq!(
        next.iter()
            .map(|e| (e.seq, e.stream_id.as_str(), e.stream_version))
            .collect::<Vec<_>>(),
        vec![(5, "a", 3), (6, "b", 1)]
    );
    assert_eq!(next[0].hash, next[0].chained_hash(&theirs[1].hash));
    store.close();
    let reopened = IdbStore::open(name, Durability::Relaxed)
        .await
        .expect("reopen");
    rebased.extend(next);
    assert_eq!(reopened.read_all(1, 100).await, Ok(rebased));
    assert_eq!(verify(&reopened).await, Ok(6));
    reopened.close();
}

/// Resolves after `ms` milliseconds of the browser's clock.
async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window()
            .unwrap()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms)
            .unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
}

#[wasm_bindgen_test]
async fn an_upgrade_an_old_tab_blocks_is_reported_and_completes_when_that_tab_closes() {
    let name = "blocked-upgrade";
    // An old tab: schema 1, open, and deaf to other tabs' upgrades.
    let old_tab = old_schema(name, 1).await;
    let blocked = Rc::new(Cell::new(false));
    let told = Rc::clone(&blocked);
    let opening = IdbStore::open_or_wait(name, Durability::Relaxed, move |wait| {
        told.set(told.get() || wait == Wait::Blocked);
    });
    let old_tab_closes = async {
        for _ in 0..100 {
            if blocked.get() {
                break;
            }
            sleep(20).await;
        }
        let told_first = blocked.get();
        old_tab.close();
        told_first
    };
    let (store, told_before_the_close) = futures::future::join(opening, old_tab_closes).await;
    assert!(
        told_before_the_close,
        "the wait was reported while the old tab held on"
    );
    let store = store.expect("the upgrade completes once the old tab is gone");
    store
        .append(append_request("tally", 0, "after", 1))
        .await
        .expect("and the store works");
    store.close();
}

#[wasm_bindgen_test]
fn a_panic_message_is_handed_to_the_rescue_view() {
    let window = web_sys::window().expect("a window");
    let handed = Rc::new(std::cell::RefCell::new(Vec::<String>::new()));
    let into = Rc::clone(&handed);
    let rescue = wasm_bindgen::closure::Closure::<dyn Fn(String)>::new(move |message: String| {
        into.borrow_mut().push(message);
    });
    js_sys::Reflect::set(&window, &"orderlogRescue".into(), rescue.as_ref()).unwrap();

    orderlog::app::rescue::hand_over("panicked at src/somewhere.rs:1:1: a bug");

    js_sys::Reflect::delete_property(&window, &"orderlogRescue".into()).unwrap();
    assert_eq!(
        *handed.borrow(),
        ["panicked at src/somewhere.rs:1:1: a bug"]
    );
    // Without the rescue view (it failed to load), nothing else happens.
    orderlog::app::rescue::hand_over("again");
    assert_eq!(handed.borrow().len(), 1);
}

#[wasm_bindgen_test]
async fn an_outdated_connection_lets_a_newer_version_upgrade_without_waiting() {
    let name = "outdated";
    let store = fresh(name).await;
    let closed = Rc::new(Cell::new(false));
    let told = Rc::clone(&closed);
    store.close_when_outdated(move || told.set(true));

    // A newer orderlog in another tab: the next schema version.
    let waited = Rc::new(Cell::new(false));
    let waiting = Rc::clone(&waited);
    let newer = Database::open(name)
        .with_version(SCHEMA_VERSION + 1)
        .with_on_blocked(move |_| {
            waiting.set(true);
            Ok(())
        })
        .await
        .expect("the newer version opens");

    assert!(closed.get(), "the old connection was told it is closed");
    assert!(!waited.get(), "the newer version was not kept waiting");
    assert!(
        store.read_all(1, 10).await.is_err(),
        "the old connection takes no more requests"
    );
    newer.close();
}

#[wasm_bindgen_test]
async fn an_append_that_fails_midway_leaves_nothing() {
    let name = "atomicity";
    let store = fresh(name).await;
    // A record that takes version 3 of stream "a": the second event of the next append will
    // collide with it on the unique index after the first one was added.
    let blocker = Envelope {
        seq: 100,
        stream_version: 3,
        ..Envelope::chain_after(None, "a", 0, &[new_event("Added", "{}")], &meta("blocker"))
            .remove(0)
    };
    raw_put_page(name, 100, std::slice::from_ref(&blocker)).await;

    let outcome = store.append(append_request("a", 1, "c1", 2)).await;
    assert!(
        matches!(outcome, Err(StoreError::Conflict { .. })),
        "{outcome:?}"
    );
    assert_eq!(
        store.read_all(1, 1_000).await,
        Ok(vec![blocker]),
        "the first event of the failed append is not stored"
    );
    assert_eq!(store.read_command("c1").await, Ok(vec![]));
    store.close();
}

#[wasm_bindgen_test]
async fn an_altered_event_is_named_by_verify() {
    let name = "tamper";
    let store = fresh(name).await;
    let stored = store
        .append(append_request("a", 0, "c1", 3))
        .await
        .expect("append");
    let altered = Envelope {
        payload: "{\"reached\":1000}".into(),
        ..stored[1].clone()
    };
    raw_put_page(name, 1, &[stored[0].clone(), altered, stored[2].clone()]).await;

    assert_eq!(
        verify(&store).await,
        Err(VerifyError::Broken(ChainError::HashMismatch { seq: 2 }))
    );
    store.close();
}

#[wasm_bindgen_test]
async fn an_event_removed_from_the_middle_is_named_by_verify() {
    let name = "truncate";
    let store = fresh(name).await;
    let stored = store
        .append(append_request("a", 0, "c1", 3))
        .await
        .expect("append");
    raw_put_page(name, 1, &[stored[0].clone(), stored[2].clone()]).await;

    assert_eq!(
        verify(&store).await,
        Err(VerifyError::Broken(ChainError::Gap {
            previous: 1,
            found: 3
        }))
    );
    store.close();
}

#[wasm_bindgen_test]
async fn a_large_append_prepared_while_another_connection_appends_is_chained_after_it() {
    let name = "prepared-race";
    let left = fresh(name).await;
    let right = IdbStore::open(name, Durability::Relaxed)
        .await
        .expect("second connection");
    // 3,000 events: the left connection reads the log's end, then chains and serialises
    // them over several tasks; the right one appends an event meanwhile.
    let batch = (0..1_000)
        .map(|n| append_request(&format!("order-{n}"), 0, &format!("left-{n}"), 3))
        .collect();
    let (large, small) = futures::future::join(
        left.append_batch(batch),
        right.append(append_request("order-right", 0, "right", 1)),
    )
    .await;

    let (large, small) = (
        large.expect("the large append"),
        small.expect("the small one"),
    );
    assert_eq!(small.iter().map(|e| e.seq).collect::<Vec<_>>(), vec![1]);
    assert_eq!(
        (large.first().map(|e| e.seq), large.len()),
        (Some(2), 3_000),
        "chained after what the other connection wrote"
    );
    assert_eq!(verify(&left).await, Ok(3_001));
    left.close();
    right.close();
}

#[wasm_bindgen_test]
async fn two_connections_to_one_database_see_each_others_appends_and_conflict() {
    let name = "two-tabs";
    let left = fresh(name).await;
    let right = IdbStore::open(name, Durability::Relaxed)
        .await
        .expect("second connection");
    let mut right_view = ProjectionRunner::new(ReadModels::default());

    execute::<orderlog::domain::Order, _>(
        &left,
        "order-1",
        &create_order("Ada", 1, 100),
        &meta("c1"),
    )
    .await
    .expect("left writes");
    let first_catch_up = catch_up_runner(&right, &mut right_view).await;
    execute::<orderlog::domain::Order, _>(
        &left,
        "order-2",
        &create_order("Grace", 2, 100),
        &meta("c2"),
    )
    .await
    .expect("left writes again");
    let second_catch_up = catch_up_runner(&right, &mut right_view).await;

    assert_eq!(
        (first_catch_up, second_catch_up),
        (2, 2),
        "each order's two events are applied once"
    );
    assert_eq!(
        right_view
            .read_model()
            .orders()
            .rows()
            .iter()
            .map(|r| r.customer.as_str())
            .collect::<Vec<_>>(),
        vec!["Ada", "Grace"]
    );
    assert_eq!(
        right.append(append_request("order-1", 0, "stale", 1)).await,
        Err(StoreError::Conflict {
            stream_id: "order-1".into(),
            expected: 0,
            actual: 2
        })
    );
    left.close();
    right.close();
}

async fn catch_up_runner(store: &IdbStore, runner: &mut ProjectionRunner<ReadModels>) -> usize {
    let cell = std::cell::RefCell::new(std::mem::take(runner));
    let applied = catch_up(
        store,
        || cell.borrow().checkpoint(),
        |from, batch| cell.borrow_mut().apply_stored(from, batch),
    )
    .await
    .expect("catch up");
    *runner = cell.into_inner();
    applied
}

#[wasm_bindgen_test]
async fn commands_run_against_indexeddb_with_snapshots_give_the_same_state_as_without() {
    let store = fresh("snapshots").await;
    for n in 0..30 {
        execute::<Tally, _>(
            &store,
            "tally",
            &TallyCommand::Add { ceiling: 100 },
            &CommandMeta::direct(format!("c{n}"), 0),
        )
        .await
        .expect("add");
    }
    let with_snapshot = orderlog::es::load::<Tally, _>(&store, "tally")
        .await
        .expect("load");
    assert_eq!(
        store
            .load_snapshot("tally")
            .await
            .expect("read")
            .map(|s| s.stream_version),
        Some(25)
    );

    store.clear_snapshots().await.expect("clear");
    let without = orderlog::es::load::<Tally, _>(&store, "tally")
        .await
        .expect("load");
    assert_eq!(
        (with_snapshot.state, with_snapshot.version),
        (without.state, without.version)
    );
    store.close();
}
