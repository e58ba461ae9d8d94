//! The sync engine against a real `JetStream` (the server the test command starts, its
//! address in `ORDERLOG_NATS`): devices are memory stores with the shop's own decider, each
//! test a shop log of its own. Given what each device did offline, when they sync, then
//! every device holds the same log, event for event, hash for hash.

use futures::executor::block_on;
use orderlog::app::stock::Stock;
use orderlog::app::sync::{RecordedCommand, ShopDecider};
use orderlog::domain::{
    order_stream, product_stream, OrderCommand, OrderError, Product, ProductCommand, ProductName,
    Quantity, Shop, ShopCommand, ShopSettingsCommand, Sku, Timestamp, SHOP_STREAM,
};
use orderlog::es::{
    load, verify, CommandMeta, Envelope, EventStore, MemoryStore, NewEvent, StoreError, SyncedStore,
};
use orderlog::read::ReadSide;
use orderlog::sync::engine::PULL_BATCH;
use orderlog::sync::jetstream::{Ack, LogSize, Outgoing, WireEvent, HASH};
use orderlog::sync::nats::Message;
use orderlog::sync::{
    Connection as _, Decider as _, Redecision, ShopLog, SyncEngine, SyncError, Synced,
};
use proptest::prelude::*;

use crate::nats::{Connection, READER, TILL_1, TILL_2};
use crate::support::shop::{cents, create, fulfil_all, line, pay, place, JAN_2026};

/// A shop log no other test or run uses.
fn shop_log(test: &str) -> ShopLog {
    static MADE: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = MADE.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    ShopLog::new(&format!("{test}-{}-{n}", std::process::id()), 1)
}

/// A shop log of its own for `test`, and the demo shop's two tills on it.
fn two_tills(test: &str) -> (ShopLog, Device, Device) {
    let log = shop_log(test);
    let till_1 = Device::new("till-1", TILL_1, &log);
    let till_2 = Device::new("till-2", TILL_2, &log);
    (log, till_1, till_2)
}

/// One device of the shop: its own log, its sync engine, its server and credentials.
pub(crate) struct Device {
    name: &'static str,
    pub(crate) address: String,
    user: (&'static str, &'static str),
    store: MemoryStore,
    engine: SyncEngine,
    commands: u32,
}

impl Device {
    /// A device of the test command's server.
    fn new(name: &'static str, user: (&'static str, &'static str), log: &ShopLog) -> Device {
        let address = std::env::var("ORDERLOG_NATS").expect("ORDERLOG_NATS names the server");
        Device::at(name, &address, user, log)
    }

    /// A device of the server at `address`.
    pub(crate) fn at(
        name: &'static str,
        address: &str,
        user: (&'static str, &'static str),
        log: &ShopLog,
    ) -> Device {
        let store = MemoryStore::new();
        let engine = block_on(SyncEngine::open(&store, log.clone())).expect("open");
        Device {
            name,
            address: address.to_owned(),
            user,
            store,
            engine,
            commands: 0,
        }
    }

    pub(crate) fn connect(&self) -> Result<Connection, SyncError> {
        Connection::open_at(&self.address, self.user)
    }

    /// Decides `command` here, as the app does, and records it for sync when `record`
    /// (before sync was on, nothing was recorded). Returns the command's id.
    fn decide(&mut self, command: ShopCommand, record: bool) -> Result<String, String> {
        self.commands += 1;
        let command_id = format!("{}-{}", self.name, self.commands);
        let text = RecordedCommand {
            command,
            recorded_at: JAN_2026.0,
        }
        .text();
        block_on(ShopDecider.redecide(&self.store, &command_id, &text)).map_err(|refusal| {
            match refusal {
                Redecision::Refused(reason) => reason,
                Redecision::Failed(error) => error.to_string(),
            }
        })?;
        if record {
            block_on(self.engine.record(&self.store, &command_id, &text)).expect("record");
        }
        Ok(command_id)
    }

    /// Decides `command` for `order` here as the app did before sync: nothing recorded.
    fn order_before_sync(&mut self, order: &str, command: &OrderCommand) -> Result<String, String> {
        let stream_id = order_stream(order);
        let command = command.clone();
        self.decide(ShopCommand::Order { stream_id, command }, false)
    }

    /// Decides `command` for the product `sku` here, as the app does, and records it.
    fn product(&mut self, sku: &Sku, command: ProductCommand) -> Result<(), String> {
        let sku = sku.clone();
        self.decide(ShopCommand::Product { sku, command }, true)
            .map(drop)
    }

    /// Decides `command` for `order` here, as the app does, and records it for sync.
    pub(crate) fn order(&mut self, order: &str, command: OrderCommand) -> Result<(), String> {
        let stream_id = order_stream(order);
        self.decide(ShopCommand::Order { stream_id, command }, true)
            .map(drop)
    }

    pub(crate) fn try_sync(
        &mut self,
        connection: &mut impl orderlog::sync::Connection,
    ) -> Result<Synced, SyncError> {
        block_on(self.engine.sync(&self.store, connection, &ShopDecider))
    }

    pub(crate) fn sync(&mut self) -> Synced {
        let mut connection = self.connect().expect("connect");
        self.try_sync(&mut connection).expect("sync")
    }

    pub(crate) fn log(&self) -> Vec<Envelope> {
        block_on(self.store.read_all(1, u32::MAX)).expect("read")
    }

    pub(crate) fn pending(&self) -> usize {
        self.log().len() - usize::try_from(self.engine.state().confirmed()).unwrap()
    }
}

/// How many messages the shop's log holds on the server.
fn stored(log: &ShopLog) -> u64 {
    let info = Connection::open(TILL_1)
        .expect("connect")
        .stream_info(&log.stream);
    info["state"]["messages"].as_u64().expect("a count")
}

pub(crate) fn assert_same_log(a: &Device, b: &Device) {
    let (mine, theirs) = (a.log(), b.log());
    assert_eq!(mine, theirs, "{} and {} hold the same log", a.name, b.name);
    assert_eq!(
        block_on(verify(&a.store)),
        Ok(mine.len() as u64),
        "and it verifies"
    );
    assert_eq!((a.pending(), b.pending()), (0, 0), "nothing pending");
}

#[test]
fn a_command_decided_on_one_device_reaches_the_other_in_the_same_place() {
    let (log, mut till_1, mut till_2) = two_tills("reach");
    till_1
        .order("a", create(JAN_2026, vec![line(1, "MUG", 2, 1_000, 0)]))
        .unwrap();
    till_1.order("a", place()).unwrap();
    assert_eq!(till_1.pending(), 3, "decided and stored here at once");

    let pushed = till_1.sync();
    let pulled = till_2.sync();

    assert_eq!((pushed.pushed, pushed.rebased_after), (2, None));
    assert_eq!((pulled.pulled, pulled.pushed), (3, 0));
    assert_same_log(&till_1, &till_2);
    assert_eq!(stored(&log), 3);
    let ids = ["till-1-1".to_owned(), "till-1-2".to_owned()];
    assert_eq!(
        block_on(till_1.store.recorded(&ids)),
        Ok(vec![None, None]),
        "in the shop's log, the commands are forgotten here"
    );
}

#[test]
fn a_device_watching_the_shops_log_hears_of_another_devices_push_and_pulls_it() {
    let (log, mut till_1, mut till_2) = two_tills("watch");
    till_2.sync();
    let mut listening = till_2.connect().unwrap();
    listening.watch(&log.subjects()).unwrap();

    till_1
        .order("a", create(JAN_2026, vec![line(1, "MUG", 1, 1_000, 0)]))
        .unwrap();
    till_1.sync();
    listening.nudged().expect("till 1's push heard");
    let pulled = till_2.try_sync(&mut listening).unwrap();

    assert_eq!(pulled.pulled, 2);
    assert_same_log(&till_1, &till_2);
    // A push made while the connection waits for a reply to something else is heard too.
    till_1.order("a", place()).unwrap();
    till_1.sync();
    listening
        .request(&format!("$JS.API.STREAM.INFO.{}", log.stream), &[], b"")
        .expect("a request meanwhile");
    listening
        .nudged()
        .expect("heard while it waited for the reply");
}

#[test]
fn offline_work_on_two_devices_ends_in_one_log_with_one_head_hash() {
    let (_, mut till_1, mut till_2) = two_tills("offline");
    till_1
        .order("a", create(JAN_2026, vec![line(1, "MUG", 1, 500, 0)]))
        .unwrap();
    till_2
        .order("b", create(JAN_2026, vec![line(1, "TEA", 3, 700, 0)]))
        .unwrap();
    till_2.order("b", place()).unwrap();

    till_1.sync();
    let second = till_2.sync();
    till_1.sync();

    assert_eq!(
        second.rebased_after,
        Some(0),
        "till 2's own events were set aside for the shop's"
    );
    assert_eq!(
        second.pushed, 2,
        "and its commands decided again and pushed"
    );
    assert_same_log(&till_1, &till_2);
    let streams: Vec<(&str, u64)> = till_1
        .log()
        .iter()
        .map(|e| (e.stream_id.as_str(), e.seq))
        .collect::<Vec<_>>()
        .iter()
        .map(|(s, q)| (if s.ends_with('a') { "a" } else { "b" }, *q))
        .collect();
    assert_eq!(
        streams,
        vec![("a", 1), ("a", 2), ("b", 3), ("b", 4), ("b", 5)],
        "the shop's order: till 1 pushed first"
    );
}

#[test]
fn invoices_issued_offline_on_two_devices_end_numbered_without_a_gap_or_a_double() {
    let (_, mut till_1, mut till_2) = two_tills("invoices");
    let issue = |device: &mut Device, order: &str| {
        device
            .decide(
                ShopCommand::Shop(ShopSettingsCommand::IssueInvoice {
                    order_id: order_stream(order),
                    at: Timestamp(JAN_2026.0),
                }),
                true,
            )
            .unwrap();
    };
    // Each device numbers its own two invoices 1 and 2 while offline.
    issue(&mut till_1, "a");
    issue(&mut till_1, "b");
    issue(&mut till_2, "c");
    issue(&mut till_2, "d");
    issue(&mut till_2, "a");

    till_1.sync();
    till_2.sync();
    till_1.sync();

    assert_same_log(&till_1, &till_2);
    let shop = block_on(load::<Shop, _>(&till_1.store, SHOP_STREAM))
        .unwrap()
        .state;
    let numbers: Vec<Option<u64>> = ["a", "b", "c", "d"]
        .iter()
        .map(|order| shop.invoice(&order_stream(order)).map(|i| i.number))
        .collect();
    assert_eq!(
        numbers,
        vec![Some(1), Some(2), Some(3), Some(4)],
        "till 2's were decided again after till 1's: order a kept its first number"
    );
}

#[test]
fn the_last_payment_taken_on_two_devices_is_refused_on_the_second_in_the_domains_words() {
    let (_, mut till_1, mut till_2) = two_tills("payment");
    till_1
        .order("a", create(JAN_2026, vec![line(1, "MUG", 1, 1_000, 0)]))
        .unwrap();
    till_1.order("a", place()).unwrap();
    till_1.sync();
    till_2.sync();

    till_1.order("a", pay(1_000)).unwrap();
    till_2.order("a", pay(1_000)).unwrap();
    till_1.sync();
    let second = till_2.sync();
    till_1.sync();

    let expected = OrderError::Overpayment {
        due: cents(0).of(orderlog::domain::Currency::new(*b"USD")),
    }
    .to_string();
    assert_eq!(second.refused.len(), 1, "{second:?}");
    assert_eq!(second.refused[0].command_id, "till-2-1");
    assert_eq!(second.refused[0].reason, expected);
    assert_eq!(
        till_2.engine.state().refused,
        second.refused,
        "kept in the list"
    );
    assert_same_log(&till_1, &till_2);
    let payments = till_1
        .log()
        .iter()
        .filter(|e| e.event_type == "PaymentRecorded")
        .count();
    assert_eq!(payments, 1, "the order is paid once");
}

/// A connection that publishes the first command it pushes and then drops: stored, its
/// acknowledgement lost.
struct LosesTheFirstAck {
    inner: Connection,
    lost: bool,
}

impl orderlog::sync::Connection for LosesTheFirstAck {
    async fn publish(&mut self, message: &Outgoing) -> Result<(), SyncError> {
        self.inner.publish(message).await
    }

    async fn request(&mut self, message: &Outgoing) -> Result<Message, SyncError> {
        if !self.lost && message.subject.starts_with("log.") {
            self.lost = true;
            self.inner.publish(message).await?;
            return Err(SyncError::Unreachable("the connection dropped".into()));
        }
        orderlog::sync::Connection::request(&mut self.inner, message).await
    }

    async fn request_all(&mut self, message: &Outgoing) -> Result<Vec<Message>, SyncError> {
        self.inner.request_all(message).await
    }
}

#[test]
fn a_push_whose_acknowledgement_was_lost_is_never_appended_twice() {
    let (log, mut till_1, mut till_2) = two_tills("lost-ack");
    till_1
        .order(
            "a",
            create(
                JAN_2026,
                vec![line(1, "MUG", 1, 1_000, 0), line(2, "TEA", 1, 300, 0)],
            ),
        )
        .unwrap();
    till_1.order("a", place()).unwrap();

    let mut dropping = LosesTheFirstAck {
        inner: Connection::open(TILL_1).unwrap(),
        lost: false,
    };
    let dropped = till_1.try_sync(&mut dropping);
    assert!(
        matches!(dropped, Err(SyncError::Unreachable(_))),
        "{dropped:?}"
    );
    assert_eq!(till_1.pending(), 4, "nothing lost here");
    drop(dropping);

    let resumed = till_1.sync();
    till_2.sync();

    assert_eq!(
        (resumed.pulled, resumed.pushed),
        (3, 1),
        "its first command came back as its own; only the second was pushed"
    );
    assert_eq!(stored(&log), 4, "each event once in the shop's log");
    assert_same_log(&till_1, &till_2);
}

#[test]
fn a_command_of_several_events_is_one_atomic_batch() {
    let (log, mut till_1, mut till_2) = two_tills("atomic");
    let lines = (1..=3).map(|n| line(n, "MUG", n, 100, 0)).collect();
    till_1.order("a", create(JAN_2026, lines)).unwrap();
    till_2
        .order("a", create(JAN_2026, vec![line(1, "TEA", 1, 100, 0)]))
        .unwrap();

    let first = till_1.sync();
    let second = till_2.sync();

    assert_eq!(first.pushed, 1);
    assert_eq!(stored(&log), 4, "till 1's four events, not one of till 2's");
    assert_eq!(
        second.refused.first().map(|r| r.reason.as_str()),
        Some(OrderError::AlreadyCreated.to_string().as_str())
    );
    assert_same_log(&till_1, &till_2);
}

/// Envelopes of one command on two streams, as a device would hold them.
fn two_stream_command() -> Vec<Envelope> {
    let meta = CommandMeta::direct("both".into(), JAN_2026.0);
    let event = |n: u32| NewEvent {
        event_type: "Happened".into(),
        schema_version: 1,
        payload: format!("{{\"n\":{n}}}"),
    };
    let first = Envelope::chain_after(None, "order-x", 0, &[event(1)], &meta);
    let second = Envelope::chain_after(Some(first[0].link()), "order-y", 0, &[event(2)], &meta);
    first.into_iter().chain(second).collect()
}

#[test]
fn a_batch_across_two_subjects_with_one_stale_expectation_stores_nothing() {
    let log = shop_log("batch");
    let mut till = Connection::open(TILL_1).unwrap();
    let (subject, body) = log.create();
    till.request(&subject, &[], body.as_bytes()).unwrap();
    let events = two_stream_command();
    let publish = |till: &mut Connection, expected_y: u64| {
        let messages = log.publication(
            &events,
            |stream| if stream == "order-y" { expected_y } else { 0 },
        );
        let (last, earlier) = messages.split_last().unwrap();
        for message in earlier {
            block_on(till.publish(message)).unwrap();
        }
        Ack::read(&block_on(orderlog::sync::Connection::request(till, last)).unwrap())
    };

    assert_eq!(publish(&mut till, 7), Ack::Stale);
    assert_eq!(stored(&log), 0, "neither subject's message is stored");
    assert_eq!(publish(&mut till, 0), Ack::Stored { last: 2, count: 2 });
}

#[test]
fn a_command_whose_events_straddle_two_pages_of_a_pull_is_applied_whole() {
    let (_, mut till_1, mut till_2) = two_tills("straddle");
    // 499 orders of two events, then one of four: seqs 999 to 1002, across the first page.
    for n in 0..499 {
        till_1
            .order(
                &format!("o{n}"),
                create(JAN_2026, vec![line(1, "MUG", 1, 100, 0)]),
            )
            .unwrap();
    }
    let lines = (1..=3).map(|n| line(n, "TEA", 1, 100, 0)).collect();
    till_1.order("last", create(JAN_2026, lines)).unwrap();
    till_1.sync();

    let pulled = till_2.sync();

    assert_eq!(
        PULL_BATCH, 1_000,
        "the orders above are sized to straddle a page"
    );
    assert_eq!((pulled.pulled, pulled.quarantined.len()), (1_002, 0));
    assert_same_log(&till_1, &till_2);
}

#[test]
fn a_device_restarted_reads_the_shops_log_from_where_it_stopped() {
    let (log, mut till_1, mut till_2) = two_tills("cursor");
    till_1
        .order("a", create(JAN_2026, vec![line(1, "MUG", 1, 1_000, 0)]))
        .unwrap();
    till_1.sync();
    till_2.sync();
    till_1.order("a", place()).unwrap();
    till_1.sync();

    till_2.engine = block_on(SyncEngine::open(&till_2.store, log.clone())).unwrap();
    let resumed = till_2.sync();

    assert_eq!(resumed.pulled, 1, "only what it had not read");
    assert_same_log(&till_1, &till_2);
}

#[test]
fn events_a_device_of_the_shop_publishes_wrongly_are_quarantined_and_honest_devices_go_on() {
    let (log, mut till_1, mut till_2) = two_tills("hostile");
    till_1
        .order("a", create(JAN_2026, vec![line(1, "MUG", 1, 1_000, 0)]))
        .unwrap();
    till_1.sync();

    let mut hostile = Connection::open(TILL_2).unwrap();
    let honest = till_1.log()[0].clone();
    let wire = |event: WireEvent| serde_json::to_vec(&event).unwrap();
    let hashed = |payload: &[u8]| orderlog::es::sha256_hex(&[payload]);
    let mut skipping = WireEvent::of(&honest);
    skipping.stream_version = 9;
    skipping.command_id = "hostile-1".into();
    let mut unknown = WireEvent::of(&honest);
    unknown.stream_id = "order-b".into();
    unknown.stream_version = 1;
    unknown.event_type = "OrderTeleported".into();
    unknown.command_id = "hostile-2".into();
    let mut misfiled = WireEvent::of(&honest);
    misfiled.stream_id = "order-c".into();
    misfiled.stream_version = 1;
    misfiled.command_id = "hostile-3".into();
    let mut unversioned = WireEvent::of(&honest);
    unversioned.stream_version = 0;
    unversioned.command_id = "hostile-4".into();
    let a = log.subject("order-a");
    let bad: Vec<(String, Vec<u8>, Option<String>)> = vec![
        (a.clone(), b"not an event".to_vec(), None),
        (a.clone(), wire(skipping.clone()), Some("0".repeat(64))),
        (
            a.clone(),
            wire(skipping.clone()),
            Some(hashed(&wire(skipping))),
        ),
        (
            log.subject("order-b"),
            wire(unknown.clone()),
            Some(hashed(&wire(unknown))),
        ),
        (
            a.clone(),
            wire(misfiled.clone()),
            Some(hashed(&wire(misfiled))),
        ),
        (
            a.clone(),
            wire(unversioned.clone()),
            Some(hashed(&wire(unversioned))),
        ),
    ];
    for (subject, payload, hash) in &bad {
        let headers: Vec<(&str, &str)> = hash.iter().map(|h| (HASH, h.as_str())).collect();
        let ack = hostile.request(subject, &headers, payload).expect("stored");
        assert!(matches!(Ack::read(&ack), Ack::Stored { .. }));
    }

    till_1.order("a", place()).unwrap();
    let first = till_1.sync();
    let second = till_2.sync();

    assert_eq!(first.quarantined.len(), 6, "{:?}", first.quarantined);
    assert_eq!(
        second.quarantined, first.quarantined,
        "every device quarantines the same"
    );
    let reasons: Vec<&str> = first
        .quarantined
        .iter()
        .map(|q| q.reason.as_str())
        .collect();
    assert!(reasons[0].contains("hash"), "{reasons:?}");
    assert!(reasons[1].contains("hash"), "{reasons:?}");
    assert!(reasons[2].contains("version 9"), "{reasons:?}");
    assert!(reasons[3].contains("OrderTeleported"), "{reasons:?}");
    assert!(reasons[4].contains("published to"), "{reasons:?}");
    assert!(reasons[5].contains("version 0"), "{reasons:?}");
    assert_eq!(first.pushed, 1, "the honest command went on after them");
    assert_same_log(&till_1, &till_2);
    assert_eq!(till_2.log().len(), 3);
}

#[test]
fn a_shop_not_on_the_server_is_found_missing_until_a_device_starts_it_then_its_size_is_told() {
    // Asked for three copies, as the app asks: a single server keeps one.
    let log = ShopLog {
        replicas: 3,
        ..shop_log("lookup")
    };
    let mut till = Device::new("till", TILL_1, &log);
    let mut connection = till.connect().expect("connect");
    assert_eq!(block_on(till.engine.look_up(&mut connection)), Ok(None));

    block_on(till.engine.start(&mut connection)).expect("started");
    let empty = LogSize {
        messages: 0,
        last: 0,
    };
    assert_eq!(
        block_on(till.engine.look_up(&mut connection)),
        Ok(Some(empty))
    );

    till.order("a", create(JAN_2026, vec![line(1, "MUG", 1, 100, 0)]))
        .unwrap();
    till.try_sync(&mut connection).expect("sync");
    let events = till.log().len() as u64;
    assert_eq!(
        block_on(till.engine.look_up(&mut connection)),
        Ok(Some(LogSize {
            messages: events,
            last: events
        }))
    );
}

#[test]
fn a_reader_pulls_the_shop_and_the_server_refuses_every_write_it_tries() {
    let (log, mut till, _) = two_tills("reader");
    till.order("a", create(JAN_2026, vec![line(1, "MUG", 1, 100, 0)]))
        .unwrap();
    till.sync();
    let mut till_connection = till.connect().expect("the till");
    assert_eq!(
        block_on(till.engine.may_append(&mut till_connection)),
        Ok(true)
    );

    let mut reader = Device::new("reader", READER, &log);
    let mut connection = reader.connect().expect("the reader connects");
    assert_eq!(
        block_on(reader.engine.may_append(&mut connection)),
        Ok(false)
    );
    assert!(block_on(reader.engine.look_up(&mut connection))
        .expect("look up")
        .is_some());
    reader.engine.read_only();
    reader.try_sync(&mut connection).expect("a reader syncs");
    assert_eq!(reader.log(), till.log(), "it holds the shop's log");

    // Even called directly with its credentials, the server takes no write from it.
    let appended = connection.request(&log.subject(&order_stream("b")), &[], b"{}");
    assert!(
        matches!(appended, Err(SyncError::NotAllowed(_))),
        "{appended:?}"
    );
    let mut reader_again = reader.connect().expect("connect again");
    let started = block_on(reader.engine.start(&mut reader_again));
    assert!(
        matches!(started, Err(SyncError::NotAllowed(_))),
        "{started:?}"
    );
    assert_eq!(stored(&log), till.log().len() as u64, "nothing was added");
}

#[test]
fn a_shop_without_jetstream_is_a_clear_error_and_nothing_local_is_lost() {
    let log = shop_log("nojs");
    let mut till = Device::new("till", ("no-logs-till", "no-logs-till-secret"), &log);
    till.order("a", create(JAN_2026, vec![line(1, "MUG", 1, 100, 0)]))
        .unwrap();
    let mut connection = till.connect().expect("connect");

    assert_eq!(till.try_sync(&mut connection), Err(SyncError::NoJetStream));
    assert_eq!(till.pending(), 2);
    let kept = block_on(till.store.recorded(&["till-1".to_owned()])).unwrap();
    assert!(kept[0].is_some(), "the command is still recorded");
}

/// Folds `device`'s whole log into a new read side and runs the product commands its stock
/// process asks for, as the app does after a start or a rebase; returns how many ran.
fn run_stock(device: &Device) -> usize {
    let mut process = ReadSide::default();
    process.apply_all(&device.log());
    let pending = process.read_model_mut().stock_mut().take_pending();
    let outcome = block_on(Stock::default().run(&device.store, pending));
    assert!(outcome.failed.is_empty(), "{outcome:?}");
    outcome.appended.len()
}

#[test]
fn the_stock_process_on_two_devices_reserves_and_consumes_once_for_the_shop() {
    let (_, mut till_1, mut till_2) = two_tills("stock");
    let mug_sku = Sku::parse("MUG").unwrap();
    for command in [
        ProductCommand::Register {
            sku: mug_sku.clone(),
            name: ProductName::parse("Mug").unwrap(),
            price: cents(100),
        },
        ProductCommand::ReceiveStock {
            quantity: Quantity::new(5).unwrap(),
        },
    ] {
        till_1.product(&mug_sku, command).unwrap();
    }
    till_1
        .order("a", create(JAN_2026, vec![line(1, "MUG", 2, 100, 0)]))
        .unwrap();
    till_1.order("a", place()).unwrap();
    till_1.sync();
    till_2.sync();

    // Both devices' stock processes see the order placed and reserve its line, offline.
    assert_eq!((run_stock(&till_1), run_stock(&till_2)), (1, 1));
    till_1.sync();
    let second = till_2.sync();
    till_1.sync();

    assert!(second.refused.is_empty(), "{second:?}");
    assert_same_log(&till_1, &till_2);
    let reservations = till_1
        .log()
        .iter()
        .filter(|e| e.event_type == "StockReserved")
        .count();
    assert_eq!(reservations, 1, "one reservation for the shop");
    let mug = |device: &Device| {
        block_on(load::<Product, _>(&device.store, &product_stream(&mug_sku)))
            .unwrap()
            .state
    };
    assert_eq!((mug(&till_2).on_hand(), mug(&till_2).reserved()), (5, 2));

    // The order ships on one device; the other pulls the shipment and what its stock process
    // did (units consumed, which a second run would consume again), then follows the log.
    till_1.order("a", fulfil_all()).unwrap();
    assert_eq!(run_stock(&till_1), 1);
    till_1.sync();
    till_2.sync();
    assert_eq!(
        run_stock(&till_2),
        0,
        "the same command, by the same id: it ran for the shop already"
    );
    assert_eq!((mug(&till_2).on_hand(), mug(&till_2).reserved()), (3, 0));
    assert_same_log(&till_1, &till_2);
}

/// The shop's decider, but the store fails when it decides again after `fails_after` times.
struct FailsAfter {
    fails_after: std::cell::Cell<u32>,
}

impl orderlog::sync::Decider<MemoryStore> for FailsAfter {
    async fn redecide(
        &self,
        store: &MemoryStore,
        command_id: &str,
        command: &str,
    ) -> Result<(), Redecision> {
        match self.fails_after.get() {
            0 => Err(Redecision::Failed(StoreError::Storage(
                "the tab closed".into(),
            ))),
            left => {
                self.fails_after.set(left - 1);
                ShopDecider.redecide(store, command_id, command).await
            }
        }
    }

    fn check(&self, event: &WireEvent) -> Result<(), String> {
        orderlog::sync::Decider::<MemoryStore>::check(&ShopDecider, event)
    }
}

#[test]
fn commands_set_aside_by_a_sync_that_stopped_midway_are_decided_again_by_the_next() {
    let (log, mut till_1, mut till_2) = two_tills("midway");
    till_1
        .order("a", create(JAN_2026, vec![line(1, "MUG", 1, 100, 0)]))
        .unwrap();
    till_1.sync();
    for order in ["b", "c", "d"] {
        till_2
            .order(order, create(JAN_2026, vec![line(1, "TEA", 1, 100, 0)]))
            .unwrap();
    }

    let failing = FailsAfter {
        fails_after: std::cell::Cell::new(1),
    };
    let mut connection = till_2.connect().unwrap();
    let stopped = block_on(till_2.engine.sync(&till_2.store, &mut connection, &failing));
    assert!(matches!(stopped, Err(SyncError::Store(_))), "{stopped:?}");
    assert_eq!(
        till_2.pending(),
        2,
        "one of three decided again before it stopped"
    );
    till_2.engine = block_on(SyncEngine::open(&till_2.store, log.clone())).unwrap();
    assert_eq!(till_2.engine.state().undecided.len(), 2, "the rest kept");
    till_2.sync();
    till_1.sync();

    assert_same_log(&till_1, &till_2);
    assert_eq!(till_1.log().len(), 8, "four orders of two events each");
}

#[test]
fn a_log_written_before_sync_joins_the_shops_and_a_change_to_a_moved_stream_is_refused() {
    let (_, mut till_1, mut till_2) = two_tills("before");
    let a = create(JAN_2026, vec![line(1, "MUG", 1, 100, 0)]);
    till_1.order("a", a.clone()).unwrap();
    till_1.sync();
    till_2.order_before_sync("b", &a).unwrap();
    let clash = till_2.order_before_sync("a", &a).unwrap();

    let joined = till_2.sync();
    till_1.sync();

    assert_eq!(joined.pushed, 1, "its order b, appended as it was");
    assert_eq!(joined.refused.len(), 1);
    assert_eq!(joined.refused[0].command_id, clash);
    assert!(
        joined.refused[0].reason.contains("order-a"),
        "{:?}",
        joined.refused
    );
    assert_same_log(&till_1, &till_2);
}

/// What a device does next in [`two_devices_converge_whatever_they_did_offline_and_however_they_synced`].
#[derive(Clone, Debug)]
enum Step {
    /// A new order on device 0 or 1.
    Create(usize),
    /// Place the n-th order it knows (modulo), or pay 500 on it.
    Place(usize, usize),
    Pay(usize, usize),
    Sync(usize),
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        (0..2usize).prop_map(Step::Create),
        (0..2usize, 0..8usize).prop_map(|(d, n)| Step::Place(d, n)),
        (0..2usize, 0..8usize).prop_map(|(d, n)| Step::Pay(d, n)),
        (0..2usize).prop_map(Step::Sync),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

    /// Two tills, each working offline and syncing at random: once both have synced, each
    /// holds the same log (and so the same head hash), and no order took more than its
    /// balance whatever both recorded.
    #[test]
    fn two_devices_converge_whatever_they_did_offline_and_however_they_synced(steps in proptest::collection::vec(step(), 1..24)) {
        let log = shop_log("converge");
        let mut devices = [Device::new("till-1", TILL_1, &log), Device::new("till-2", TILL_2, &log)];
        let mut created = 0;
        for step in steps {
            match step {
                Step::Create(d) => {
                    created += 1;
                    let order = format!("o{created}");
                    devices[d].order(&order, create(JAN_2026, vec![line(1, "MUG", 1, 1_000, 0)])).unwrap();
                }
                Step::Place(d, n) | Step::Pay(d, n) if created == 0 => { let _ = (d, n); }
                Step::Place(d, n) => {
                    let _ = devices[d].order(&format!("o{}", n % created + 1), place());
                }
                Step::Pay(d, n) => {
                    let _ = devices[d].order(&format!("o{}", n % created + 1), pay(500));
                }
                Step::Sync(d) => { devices[d].sync(); }
            }
        }
        devices[0].sync();
        devices[1].sync();
        devices[0].sync();
        prop_assert_eq!(devices[0].log(), devices[1].log());
        prop_assert_eq!(block_on(verify(&devices[1].store)), Ok(devices[1].log().len() as u64));
        prop_assert_eq!((devices[0].pending(), devices[1].pending()), (0, 0));
        let paid = devices[0].log().iter().filter(|e| e.event_type == "PaymentRecorded").count();
        prop_assert!(paid <= 2 * created, "at most 1,000 paid on each order of 1,000");
    }
}

#[test]
fn a_user_may_append_when_its_publish_permissions_take_a_subject_of_the_log() {
    let log = ShopLog::new("stall-17", 1);
    let described = |permissions: &str| Message {
        subject: "_INBOX.x".into(),
        sid: 1,
        reply_to: None,
        headers: orderlog::sync::nats::Headers::default(),
        payload: format!(r#"{{"data":{{"user":"u","permissions":{permissions}}}}}"#).into_bytes(),
    };
    for (permissions, may) in [
        ("{}", true),
        (r#"{"publish":{"allow":["log.>"]}}"#, true),
        (r#"{"publish":{"allow":[">"]}}"#, true),
        (r#"{"publish":{"allow":["log.*.*"]}}"#, true),
        (r#"{"publish":{"allow":["log.stall-17.*"]}}"#, true),
        (
            r#"{"publish":{"allow":["log.other.>", "$JS.API.>"]}}"#,
            false,
        ),
        (r#"{"publish":{"allow":["log.*"]}}"#, false),
        (r#"{"publish":{"deny":["log.>"]}}"#, false),
        (
            r#"{"publish":{"allow":["log.>"],"deny":["log.stall-17.>"]}}"#,
            false,
        ),
    ] {
        assert_eq!(
            log.may_append(&described(permissions)),
            Ok(may),
            "{permissions}"
        );
    }
    let not_a_user = Message {
        payload: b"{}".to_vec(),
        ..described("{}")
    };
    assert!(log.may_append(&not_a_user).is_err());
}

#[test]
fn a_device_joined_to_a_shop_stays_joined_to_it_across_restarts_and_to_no_other() {
    let log = shop_log("joined");
    let mut till = Device::new("till", TILL_1, &log);
    assert!(!till.engine.joined(), "a new device has joined no shop");

    block_on(till.engine.join(&till.store)).expect("joined");
    let reopened = block_on(SyncEngine::open(&till.store, log.clone())).expect("open");
    assert!(reopened.joined(), "saved at once, before any push");
    let other = block_on(SyncEngine::open(&till.store, shop_log("another"))).expect("open");
    assert!(!other.joined(), "another shop's log is not joined");
}
