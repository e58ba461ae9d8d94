//! Sync in Chromium: the app's NATS client over a real WebSocket to the test command's
//! server (its address built in from `ORDERLOG_NATS_WS`), and the engine over IndexedDB.

use orderlog::app::sync::{RecordedCommand, ShopDecider};
use orderlog::domain::{order_stream, Order, OrderCommand, ShopCommand};
use orderlog::es::idb::IdbStore;
use orderlog::es::{execute, verify, CommandMeta, EventStore};
use orderlog::sync::jetstream::Outgoing;
use orderlog::sync::{Connection, NatsClient, ShopLog, SyncEngine, SyncError, WebSocketTransport};
use wasm_bindgen_test::wasm_bindgen_test;

use super::fresh;
use crate::support::create_order;

const TILL_1: (&str, &str) = ("demo-till-1", "demo-till-1-secret");
const TILL_2: (&str, &str) = ("demo-till-2", "demo-till-2-secret");

/// The test command's server, as these tests were built. Not `env!`: without the server,
/// the other browser tests still build and run, and these fail saying what to do.
#[allow(clippy::option_env_unwrap)]
fn server() -> &'static str {
    option_env!("ORDERLOG_NATS_WS").expect(
        "ORDERLOG_NATS_WS was not set when these tests were built: scripts/test sets it; or \
         run scripts/sync-server and build them with ORDERLOG_NATS_WS=ws://127.0.0.1:4223",
    )
}

async fn connect(
    (user, password): (&str, &str),
) -> Result<NatsClient<WebSocketTransport>, SyncError> {
    let transport = WebSocketTransport::open(server()).await?;
    NatsClient::connect(transport, user, password).await
}

#[wasm_bindgen_test]
async fn a_wrong_address_and_a_wrong_password_are_told_apart_from_a_server_that_answers() {
    let nowhere = WebSocketTransport::open("ws://127.0.0.1:9").await.map(drop);
    assert!(
        matches!(nowhere, Err(SyncError::Unreachable(_))),
        "{nowhere:?}"
    );
    let not_a_socket = WebSocketTransport::open("https://sync.example.com")
        .await
        .map(drop);
    assert!(
        matches!(not_a_socket, Err(SyncError::Unreachable(_))),
        "{not_a_socket:?}"
    );
    let refused = connect(("demo-till-1", "not-its-password")).await.map(drop);
    assert_eq!(
        refused,
        Err(SyncError::NotAllowed("Authorization Violation".into()))
    );

    let mut till = connect(TILL_1).await.expect("the demo shop's till");
    let info = till
        .request(&Outgoing {
            subject: "$JS.API.INFO".into(),
            headers: Vec::new(),
            payload: Vec::new(),
        })
        .await
        .expect("JetStream answers over the WebSocket");
    let info: serde_json::Value = serde_json::from_slice(&info.payload).unwrap();
    assert_eq!(
        info["type"],
        "io.nats.jetstream.api.v1.account_info_response"
    );
}

/// A device: its own database, its engine.
struct Device {
    store: IdbStore,
    engine: SyncEngine,
    user: (&'static str, &'static str),
    name: &'static str,
    commands: u32,
}

impl Device {
    async fn new(name: &'static str, user: (&'static str, &'static str), log: &ShopLog) -> Device {
        let store = fresh(&format!("sync-{name}")).await;
        let engine = SyncEngine::open(&store, log.clone()).await.expect("open");
        Device {
            store,
            engine,
            user,
            name,
            commands: 0,
        }
    }

    async fn order(&mut self, order: &str, command: OrderCommand) -> Result<(), String> {
        self.commands += 1;
        let command_id = format!("{}-{}", self.name, self.commands);
        let stream_id = order_stream(order);
        let meta = CommandMeta::direct(command_id.clone(), 1_767_225_600_000);
        execute::<Order, _>(&self.store, &stream_id, &command, &meta)
            .await
            .map_err(|error| error.to_string())?;
        let recorded = RecordedCommand {
            command: ShopCommand::Order { stream_id, command },
            recorded_at: meta.recorded_at,
        };
        self.engine
            .record(&self.store, &command_id, &recorded.text())
            .await
            .expect("record");
        Ok(())
    }

    async fn sync(&mut self) -> orderlog::sync::Synced {
        let mut connection = connect(self.user).await.expect("connect");
        self.engine
            .sync(&self.store, &mut connection, &ShopDecider)
            .await
            .expect("sync")
    }
}

#[wasm_bindgen_test]
async fn two_browsers_end_with_one_log_after_offline_work_and_a_conflict_re_decided() {
    let log = ShopLog::new(&format!("browser-{}", uuid::Uuid::new_v4().simple()), 1);
    let mut till_1 = Device::new("till-1", TILL_1, &log).await;
    let mut till_2 = Device::new("till-2", TILL_2, &log).await;
    till_1
        .order("a", create_order("Ada", 1, 1_000))
        .await
        .unwrap();
    till_1.sync().await;
    till_2.sync().await;

    till_1
        .order("b", create_order("Bea", 2, 500))
        .await
        .unwrap();
    till_2.order("c", create_order("Cy", 3, 700)).await.unwrap();
    till_2
        .order("b", create_order("Bea on the other till", 1, 100))
        .await
        .unwrap();
    till_1.sync().await;
    let second = till_2.sync().await;
    till_1.sync().await;

    assert_eq!(
        second.rebased_after,
        Some(2),
        "its own events set aside for the shop's"
    );
    assert_eq!(second.refused.len(), 1, "{second:?}");
    assert_eq!(second.refused[0].reason, "this order already exists");
    let (mine, theirs) = (
        till_1.store.read_all(1, u32::MAX).await.unwrap(),
        till_2.store.read_all(1, u32::MAX).await.unwrap(),
    );
    assert_eq!(mine, theirs);
    assert_eq!(verify(&till_2.store).await, Ok(mine.len() as u64));
    assert_eq!(mine.len(), 6, "orders a, b and c, two events each");
    till_1.store.close();
    till_2.store.close();
}
