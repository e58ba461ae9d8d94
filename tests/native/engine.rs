//! Command execution natively: load, decide, append with optimistic concurrency, retry on
//! conflict, idempotency, and snapshots that never change an outcome.

use std::cell::{Cell, RefCell};

use futures::executor::block_on;
use orderlog::domain::{
    Currency, CustomerName, Money, Order, OrderCommand, OrderError, OrderEvent, PaymentMethod,
    Timestamp,
};
use orderlog::es::{
    codec, execute, execute_kept, load, AppendRequest, Envelope, EventStore, ExecuteError, Kept,
    MemoryStore, SavedReadModel, Snapshot, SnapshotStore, StoreError, KEPT_STREAMS, MAX_ATTEMPTS,
    SNAPSHOT_EVERY,
};

use crate::support::{create_order, meta, Tally, TallyCommand, TallyError, TallyEvent};

/// A store where another writer appends to the stream just before each of the first
/// `rivals` appends it is asked for, as a second tab would.
struct Raced {
    inner: MemoryStore,
    rivals: RefCell<Vec<AppendRequest>>,
    /// How many times a stream or a snapshot was read.
    loads: Cell<u32>,
}

impl Raced {
    fn new(rivals: Vec<AppendRequest>) -> Raced {
        Raced {
            inner: MemoryStore::new(),
            rivals: RefCell::new(rivals),
            loads: Cell::new(0),
        }
    }
}

impl EventStore for Raced {
    async fn append(&self, request: AppendRequest) -> Result<Vec<Envelope>, StoreError> {
        let rival = self.rivals.borrow_mut().pop();
        if let Some(rival) = rival {
            self.inner.append(rival).await?;
        }
        self.inner.append(request).await
    }

    async fn append_batch(
        &self,
        requests: Vec<AppendRequest>,
    ) -> Result<Vec<Envelope>, StoreError> {
        self.inner.append_batch(requests).await
    }

    async fn replace_all(&self, events: Vec<Envelope>) -> Result<(), StoreError> {
        self.inner.replace_all(events).await
    }

    async fn read_stream(
        &self,
        stream_id: &str,
        from_version: u64,
    ) -> Result<Vec<Envelope>, StoreError> {
        self.loads.set(self.loads.get() + 1);
        self.inner.read_stream(stream_id, from_version).await
    }

    async fn read_all(&self, from_seq: u64, limit: u32) -> Result<Vec<Envelope>, StoreError> {
        self.inner.read_all(from_seq, limit).await
    }

    async fn read_command(&self, command_id: &str) -> Result<Vec<Envelope>, StoreError> {
        self.inner.read_command(command_id).await
    }

    async fn last(&self) -> Result<Option<Envelope>, StoreError> {
        self.inner.last().await
    }
}

impl SnapshotStore for Raced {
    async fn load_snapshot(&self, stream_id: &str) -> Result<Option<Snapshot>, StoreError> {
        self.loads.set(self.loads.get() + 1);
        self.inner.load_snapshot(stream_id).await
    }

    async fn save_snapshot(&self, snapshot: &Snapshot) -> Result<(), StoreError> {
        self.inner.save_snapshot(snapshot).await
    }

    async fn clear_snapshots(&self) -> Result<(), StoreError> {
        self.inner.clear_snapshots().await
    }

    async fn load_read_model(&self, name: &str) -> Result<Option<SavedReadModel>, StoreError> {
        self.inner.load_read_model(name).await
    }

    async fn load_read_models(
        &self,
        names: &[String],
    ) -> Result<Vec<Option<SavedReadModel>>, StoreError> {
        self.inner.load_read_models(names).await
    }

    async fn delete_read_models(&self, names: &[&str]) -> Result<(), StoreError> {
        self.inner.delete_read_models(names).await
    }

    async fn save_read_model(&self, parts: &[SavedReadModel]) -> Result<(), StoreError> {
        self.inner.save_read_model(parts).await
    }
}

/// A rival's `Added` at the stream's next version.
fn rival_add(version: u64, command_id: &str) -> AppendRequest {
    AppendRequest {
        stream_id: "tally".into(),
        expected_version: version,
        events: vec![codec::encode(&TallyEvent::Added {
            reached: u32::try_from(version).unwrap() + 1,
        })
        .unwrap()],
        meta: meta(command_id),
    }
}

fn add(
    store: &impl SnapshotStoreAndLog,
    command_id: &str,
    ceiling: u32,
) -> Result<Vec<Envelope>, ExecuteError<TallyError>> {
    block_on(execute::<Tally, _>(
        store,
        "tally",
        &TallyCommand::Add { ceiling },
        &meta(command_id),
    ))
}

trait SnapshotStoreAndLog: EventStore + SnapshotStore {}
impl<S: EventStore + SnapshotStore> SnapshotStoreAndLog for S {}

fn reached(events: &[Envelope]) -> Vec<(u64, String)> {
    events
        .iter()
        .map(|e| (e.stream_version, e.payload.clone()))
        .collect()
}

#[test]
fn executing_a_command_appends_its_events_to_the_stream() {
    let store = MemoryStore::new();
    let appended = block_on(execute::<Order, _>(
        &store,
        "order-1",
        &create_order("Ada", 2, 450),
        &meta("c1"),
    ))
    .unwrap();

    assert_eq!(
        appended
            .iter()
            .map(|e| (
                e.seq,
                e.stream_id.as_str(),
                e.stream_version,
                e.event_type.as_str(),
                e.command_id.as_str()
            ))
            .collect::<Vec<_>>(),
        vec![
            (1, "order-1", 1, "OrderCreated", "c1"),
            (2, "order-1", 2, "LineAdded", "c1")
        ]
    );
}

#[test]
fn a_refused_command_writes_nothing() {
    let store = MemoryStore::new();
    add(&store, "c1", 1).unwrap();

    assert_eq!(
        add(&store, "c2", 1),
        Err(ExecuteError::Domain(TallyError::Full))
    );
    assert_eq!(block_on(store.read_all(1, 100)).unwrap().len(), 1);
}

#[test]
fn running_the_same_command_twice_returns_the_first_events_and_writes_nothing() {
    let store = MemoryStore::new();
    let first = add(&store, "c1", 5).unwrap();
    let retry = add(&store, "c1", 5).unwrap();

    assert_eq!(retry, first);
    assert_eq!(block_on(store.read_all(1, 100)).unwrap(), first);
}

#[test]
fn a_command_outrun_by_another_writer_is_decided_again_on_the_new_state() {
    let store = Raced::new(vec![rival_add(0, "rival")]);

    let appended = add(&store, "c1", 5).unwrap();
    assert_eq!(
        reached(&appended),
        vec![(2, r#"{"reached":2}"#.to_owned())],
        "decided on the rival's count"
    );
}

#[test]
fn a_command_no_longer_valid_after_the_reload_returns_the_domain_error() {
    let store = Raced::new(vec![rival_add(0, "rival")]);

    assert_eq!(
        add(&store, "c1", 1),
        Err(ExecuteError::Domain(TallyError::Full))
    );
    assert_eq!(
        block_on(store.read_all(1, 100)).unwrap().len(),
        1,
        "only the rival's event is stored"
    );
}

#[test]
fn a_command_outrun_on_every_attempt_gives_up_with_a_typed_error() {
    let rivals = (0..u64::from(MAX_ATTEMPTS))
        .rev()
        .map(|v| rival_add(v, &format!("rival-{v}")))
        .collect();
    let store = Raced::new(rivals);

    assert_eq!(add(&store, "c1", 100), Err(ExecuteError::TooManyConflicts));
    assert_eq!(
        block_on(store.read_command("c1")).unwrap(),
        vec![],
        "nothing of the command is stored"
    );
}

fn add_kept(
    store: &Raced,
    kept: &Kept<Tally>,
    stream_id: &str,
    command_id: &str,
) -> Result<Vec<Envelope>, ExecuteError<TallyError>> {
    block_on(execute_kept(
        store,
        kept,
        stream_id,
        &TallyCommand::Add { ceiling: 100 },
        &meta(command_id),
    ))
}

#[test]
fn a_kept_state_decides_the_next_commands_without_reading_the_stream() {
    let store = Raced::new(vec![]);
    let kept = Kept::default();

    for n in 1..=3 {
        add_kept(&store, &kept, "tally", &format!("c{n}")).unwrap();
    }

    assert_eq!(
        store.loads.get(),
        2,
        "the first command alone read the snapshot and the stream"
    );
    assert_eq!(
        reached(&block_on(store.read_stream("tally", 1)).unwrap()),
        [1, 2, 3]
            .map(|n| (n, format!(r#"{{"reached":{n}}}"#)))
            .to_vec()
    );
}

#[test]
fn a_kept_state_outrun_by_another_writer_is_decided_again_on_the_stored_stream() {
    let store = Raced::new(vec![]);
    let kept = Kept::default();
    add_kept(&store, &kept, "tally", "c1").unwrap();
    block_on(store.inner.append(rival_add(1, "rival"))).unwrap();

    let appended = add_kept(&store, &kept, "tally", "c2").unwrap();

    assert_eq!(
        reached(&appended),
        vec![(3, r#"{"reached":3}"#.to_owned())],
        "a conflict, then decided on the rival's count"
    );
    let next = add_kept(&store, &kept, "tally", "c3").unwrap();
    assert_eq!(reached(&next), vec![(4, r#"{"reached":4}"#.to_owned())]);
}

#[test]
fn a_refusal_on_a_kept_state_is_decided_again_on_the_stored_stream() {
    let store = Raced::new(vec![]);
    let kept = Kept::<Order>::default();
    block_on(execute_kept(
        &store,
        &kept,
        "order-1",
        &create_order("Ada", 1, 500),
        &meta("c1"),
    ))
    .unwrap();
    // Another tab places the order: the kept state still says draft, which takes no payment.
    let placed = AppendRequest {
        stream_id: "order-1".into(),
        expected_version: 2,
        events: vec![codec::encode(&OrderEvent::OrderPlaced { at: Timestamp(1) }).unwrap()],
        meta: meta("rival"),
    };
    block_on(store.inner.append(placed)).unwrap();

    let payment = OrderCommand::RecordPayment {
        amount: Money::from_cents(500),
        currency: Currency::new(*b"USD"),
        method: PaymentMethod::Cash,
        at: Timestamp(2),
    };
    let appended = block_on(execute_kept(
        &store,
        &kept,
        "order-1",
        &payment,
        &meta("c2"),
    ));

    assert_eq!(
        appended.map(|events| events
            .iter()
            .map(|e| e.event_type.clone())
            .collect::<Vec<_>>()),
        Ok(vec!["PaymentRecorded".to_owned()])
    );
}

#[test]
fn a_kept_state_is_kept_for_the_streams_most_recently_commanded() {
    let store = Raced::new(vec![]);
    let kept = Kept::default();
    for n in 0..=KEPT_STREAMS {
        add_kept(&store, &kept, &format!("tally-{n}"), &format!("c{n}")).unwrap();
    }
    assert_eq!(kept.len(), KEPT_STREAMS);
    let loads = store.loads.get();

    add_kept(&store, &kept, &format!("tally-{KEPT_STREAMS}"), "again").unwrap();
    assert_eq!(store.loads.get(), loads, "the latest stream is kept");
    add_kept(&store, &kept, "tally-0", "first again").unwrap();
    assert_eq!(
        store.loads.get(),
        loads + 2,
        "the first stream was forgotten"
    );

    kept.forget();
    assert!(kept.is_empty());
}

#[test]
fn a_create_outrun_by_another_create_returns_already_created() {
    let rival = AppendRequest {
        stream_id: "order-1".into(),
        expected_version: 0,
        events: vec![codec::encode(&OrderEvent::OrderCreated {
            name: None,
            customer: CustomerName::parse("Grace").unwrap(),
            email: None,
            customer_id: None,
            exchange_for: None,
            currency: Currency::new(*b"USD"),
            prices_include_tax: false,
            created_at: Timestamp(0),
        })
        .unwrap()],
        meta: meta("rival"),
    };
    let store = Raced::new(vec![rival]);

    let outcome = block_on(execute::<Order, _>(
        &store,
        "order-1",
        &create_order("Ada", 1, 1),
        &meta("c1"),
    ));
    assert_eq!(
        outcome,
        Err(ExecuteError::Domain(OrderError::AlreadyCreated))
    );
}

#[test]
fn a_snapshot_is_saved_each_time_a_stream_crosses_the_snapshot_interval() {
    let store = MemoryStore::new();
    for n in 0..60 {
        add(&store, &format!("c{n}"), 1_000).unwrap();
    }

    let snapshot = block_on(store.load_snapshot("tally")).unwrap().unwrap();
    assert_eq!(snapshot.stream_version, 2 * SNAPSHOT_EVERY);
    assert_eq!(snapshot.state, r#"{"count":50}"#);
}

#[test]
fn deleting_the_snapshots_changes_no_state_and_no_decision() {
    let store = MemoryStore::new();
    for n in 0..60 {
        add(&store, &format!("c{n}"), 1_000).unwrap();
    }
    let with_snapshot = block_on(load::<Tally, _>(&store, "tally")).unwrap();

    block_on(store.clear_snapshots()).unwrap();
    let without = block_on(load::<Tally, _>(&store, "tally")).unwrap();
    assert_eq!(
        (with_snapshot.state.clone(), with_snapshot.version),
        (without.state, without.version)
    );
    assert_eq!(with_snapshot.state, Tally { count: 60 });
    assert_eq!(
        reached(&add(&store, "next", 1_000).unwrap()),
        vec![(61, r#"{"reached":61}"#.to_owned())]
    );
}

#[test]
fn an_unreadable_or_outdated_snapshot_is_ignored() {
    let store = MemoryStore::new();
    for n in 0..3 {
        add(&store, &format!("c{n}"), 1_000).unwrap();
    }
    for (state_version, state) in [(1, "not json"), (99, r#"{"count":1000}"#)] {
        block_on(store.save_snapshot(&Snapshot {
            stream_id: "tally".into(),
            stream_version: 2,
            state_version,
            state: state.into(),
        }))
        .unwrap();

        let loaded = block_on(load::<Tally, _>(&store, "tally")).unwrap();
        assert_eq!(
            (loaded.state, loaded.version),
            (Tally { count: 3 }, 3),
            "snapshot {state:?} v{state_version}"
        );
    }
}

#[test]
fn a_batch_decides_each_command_on_the_state_its_earlier_commands_left() {
    let store = MemoryStore::new();
    let mut batch = orderlog::es::Batch::<Tally>::new();
    for n in 0..3 {
        // The third is refused: the tally is full by then.
        let _ = batch.decide(
            "tally",
            &TallyCommand::Add { ceiling: 2 },
            meta(&format!("c{n}")),
        );
    }
    assert_eq!(
        batch.pending(),
        2,
        "the third add was refused: the tally was full"
    );

    let written = block_on(store.append_batch(batch.take_requests())).unwrap();
    assert_eq!(
        reached(&written),
        vec![
            (1, r#"{"reached":1}"#.to_owned()),
            (2, r#"{"reached":2}"#.to_owned())
        ]
    );
}

#[test]
fn a_batch_refuses_a_command_with_the_domain_error_and_keeps_the_state() {
    let mut batch = orderlog::es::Batch::<Tally>::new();
    batch
        .decide("tally", &TallyCommand::Add { ceiling: 1 }, meta("c1"))
        .unwrap();

    assert_eq!(
        batch.decide("tally", &TallyCommand::Add { ceiling: 1 }, meta("c2")),
        Err(ExecuteError::Domain(TallyError::Full))
    );
    assert!(batch
        .decide("tally", &TallyCommand::Add { ceiling: 2 }, meta("c3"))
        .is_ok());
    assert_eq!(batch.pending(), 2);
}

#[test]
fn a_batch_that_takes_a_stream_for_new_conflicts_when_the_store_has_it() {
    let store = MemoryStore::new();
    add(&store, "c0", 10).unwrap();
    let mut batch = orderlog::es::Batch::<Tally>::new();
    batch
        .decide("tally", &TallyCommand::Add { ceiling: 10 }, meta("c1"))
        .unwrap();

    assert!(matches!(
        block_on(store.append_batch(batch.take_requests())),
        Err(StoreError::Conflict { .. })
    ));
    assert_eq!(block_on(store.read_all(1, 10)).unwrap().len(), 1);
}
