//! Browser tests, in headless Chromium against the real IndexedDB: the event-store
//! conformance suite, and what only a real database shows (data outliving a connection).
#![cfg(target_arch = "wasm32")]

#[macro_use]
mod conformance;

use orderlog::es::idb::{Durability, IdbStore};
use orderlog::es::EventStore;
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

#[wasm_bindgen_test]
async fn appended_events_are_read_back_after_reopening_the_database() {
    let name = "reopen";
    let store = fresh(name).await;
    let appended = store
        .append(orderlog::es::AppendRequest {
            stream_id: "order-1".into(),
            expected_version: 0,
            events: vec![orderlog::es::NewEvent {
                event_type: "OrderCreated".into(),
                schema_version: 1,
                payload: "{\"customer\":\"Ada\"}".into(),
            }],
            meta: orderlog::es::CommandMeta::direct("command-1".into(), 42),
        })
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
