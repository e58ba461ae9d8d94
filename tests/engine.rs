//! The engine natively: command execution with optimistic concurrency, and projections
//! folding the log exactly once.
#![cfg(not(target_arch = "wasm32"))]

use std::cell::{Cell, RefCell};

use futures::executor::block_on;
use orderlog::domain::{
    CreateOrder, Currency, CustomerName, LineId, Money, Order, OrderCommand, OrderError, OrderLine,
    ProductName, Quantity, Sku, Timestamp,
};
use orderlog::es::{
    catch_up, codec, execute, AppendRequest, CommandMeta, Envelope, EventStore, ExecuteError,
    MemoryStore, NewEvent, Projection, ProjectionRunner, StoreError,
};
use orderlog::read::{OrderRow, OrdersList};

fn meta(command_id: &str) -> CommandMeta {
    CommandMeta::direct(command_id.into(), 1_767_225_600_000)
}

fn create_order(customer: &str, quantity: u32, cents: u64) -> OrderCommand {
    OrderCommand::Create(CreateOrder {
        name: None,
        customer: CustomerName::parse(customer).unwrap(),
        email: None,
        currency: Currency::new(*b"USD"),
        lines: vec![OrderLine {
            line_id: LineId(1),
            sku: Sku::parse("TEA-1").unwrap(),
            product_name: ProductName::parse("Tea").unwrap(),
            quantity: Quantity::new(quantity).unwrap(),
            unit_price: Money::from_cents(cents),
            discount: Money::ZERO,
        }],
        created_at: Timestamp(1_767_225_600_000),
    })
}

/// A store that lets another writer append to the stream just before the first append it
/// is asked for, as a second tab would.
struct RacedOnce {
    inner: MemoryStore,
    rival: RefCell<Option<AppendRequest>>,
}

impl EventStore for RacedOnce {
    async fn append(&self, request: AppendRequest) -> Result<Vec<Envelope>, StoreError> {
        let rival = self.rival.borrow_mut().take();
        if let Some(rival) = rival {
            self.inner.append(rival).await?;
        }
        self.inner.append(request).await
    }

    async fn read_stream(
        &self,
        stream_id: &str,
        from_version: u64,
    ) -> Result<Vec<Envelope>, StoreError> {
        self.inner.read_stream(stream_id, from_version).await
    }

    async fn read_all(&self, from_seq: u64, limit: u32) -> Result<Vec<Envelope>, StoreError> {
        self.inner.read_all(from_seq, limit).await
    }
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
    block_on(execute::<Order, _>(
        &store,
        "order-1",
        &create_order("Ada", 1, 1),
        &meta("c1"),
    ))
    .unwrap();

    let again = block_on(execute::<Order, _>(
        &store,
        "order-1",
        &create_order("Ada", 1, 1),
        &meta("c2"),
    ));
    assert_eq!(again, Err(ExecuteError::Domain(OrderError::AlreadyCreated)));
    assert_eq!(block_on(store.read_all(1, 100)).unwrap().len(), 2);
}

#[test]
fn running_the_same_command_twice_returns_the_first_events_and_writes_nothing() {
    let store = MemoryStore::new();
    let first = block_on(execute::<Order, _>(
        &store,
        "order-1",
        &create_order("Ada", 1, 1),
        &meta("c1"),
    ))
    .unwrap();
    let retry = block_on(execute::<Order, _>(
        &store,
        "order-1",
        &create_order("Ada", 1, 1),
        &meta("c1"),
    ))
    .unwrap();

    assert_eq!(retry, first);
    assert_eq!(block_on(store.read_all(1, 100)).unwrap(), first);
}

#[test]
fn a_command_outrun_by_another_writer_is_decided_again_on_the_new_state() {
    let rival = AppendRequest {
        stream_id: "order-1".into(),
        expected_version: 0,
        events: vec![codec::encode(&orderlog::domain::OrderEvent::OrderCreated {
            name: None,
            customer: CustomerName::parse("Grace").unwrap(),
            email: None,
            currency: Currency::new(*b"USD"),
            created_at: Timestamp(0),
        })
        .unwrap()],
        meta: meta("rival"),
    };
    let store = RacedOnce {
        inner: MemoryStore::new(),
        rival: RefCell::new(Some(rival)),
    };

    let outcome = block_on(execute::<Order, _>(
        &store,
        "order-1",
        &create_order("Ada", 1, 1),
        &meta("c1"),
    ));
    assert_eq!(
        outcome,
        Err(ExecuteError::Domain(OrderError::AlreadyCreated)),
        "after reloading, the order exists"
    );
    assert_eq!(
        block_on(store.read_all(1, 100)).unwrap().len(),
        1,
        "only the rival's event is stored"
    );
}

fn stored(seq: u64, event_type: &str, payload: &str) -> Envelope {
    Envelope {
        seq,
        stream_id: format!("order-{seq}"),
        stream_version: 1,
        event_type: event_type.into(),
        schema_version: 1,
        recorded_at: 0,
        command_id: format!("c{seq}"),
        correlation_id: format!("c{seq}"),
        causation_id: format!("c{seq}"),
        payload: payload.into(),
        hash: String::new(),
    }
}

/// Counts the events folded into it and remembers their seqs.
#[derive(Default)]
struct Seen(Vec<u64>);

impl Projection for Seen {
    type Event = serde_json::Value;

    fn apply(&mut self, envelope: &Envelope, _event: &serde_json::Value) {
        self.0.push(envelope.seq);
    }
}

#[test]
fn a_projection_applies_each_event_once_in_order() {
    let mut runner = ProjectionRunner::new(Seen::default());
    let events: Vec<Envelope> = (1..=3).map(|seq| stored(seq, "Happened", "{}")).collect();

    assert_eq!(runner.apply_all(&events[..2]), 2);
    assert_eq!(
        runner.apply_all(&events),
        1,
        "events 1 and 2 were already applied"
    );
    assert_eq!(runner.read_model().0, vec![1, 2, 3]);
    assert_eq!(runner.checkpoint(), 3);
}

#[test]
fn a_projection_stops_at_a_gap_instead_of_skipping_events() {
    let mut runner = ProjectionRunner::new(Seen::default());
    assert_eq!(
        runner.apply_all(&[stored(1, "Happened", "{}"), stored(3, "Happened", "{}")]),
        1
    );
    assert_eq!(runner.checkpoint(), 1);
}

#[test]
fn an_unreadable_event_is_skipped_and_reported_not_a_crash() {
    let mut runner = ProjectionRunner::new(OrdersList::default());
    runner.apply_all(&[stored(1, "OrderTeleported", "{}")]);

    assert_eq!(runner.read_model().rows(), &[] as &[OrderRow]);
    assert_eq!(runner.checkpoint(), 1);
    assert_eq!(
        runner
            .skipped()
            .iter()
            .map(|(seq, _)| *seq)
            .collect::<Vec<_>>(),
        vec![1]
    );
}

#[test]
fn catching_up_reads_the_whole_log_across_batches() {
    let store = MemoryStore::new();
    for n in 0..2_500 {
        let request = AppendRequest {
            stream_id: format!("s{n}"),
            expected_version: 0,
            events: vec![NewEvent {
                event_type: "Happened".into(),
                schema_version: 1,
                payload: "{}".into(),
            }],
            meta: meta(&format!("c{n}")),
        };
        block_on(store.append(request)).unwrap();
    }
    let runner = RefCell::new(ProjectionRunner::new(Seen::default()));
    let reads = Cell::new(0);

    let applied = block_on(catch_up(
        &store,
        || runner.borrow().checkpoint(),
        |batch| {
            reads.set(reads.get() + 1);
            runner.borrow_mut().apply_all(batch)
        },
    ));
    assert_eq!(applied, Ok(2_500));
    assert_eq!(reads.get(), 3, "three batches of at most 1,000");
    assert_eq!(
        runner.borrow().read_model().0,
        (1..=2_500).collect::<Vec<u64>>()
    );
}

#[test]
fn the_orders_list_shows_each_created_order_with_its_number_and_total() {
    let store = MemoryStore::new();
    block_on(execute::<Order, _>(
        &store,
        "order-a",
        &create_order("Ada", 2, 450),
        &meta("c1"),
    ))
    .unwrap();
    block_on(execute::<Order, _>(
        &store,
        "order-b",
        &create_order("Grace", 3, 1_999),
        &meta("c2"),
    ))
    .unwrap();
    let mut runner = ProjectionRunner::new(OrdersList::default());
    runner.apply_all(&block_on(store.read_all(1, 100)).unwrap());

    let rows: Vec<(u64, &str, u64, Money)> = runner
        .read_model()
        .rows()
        .iter()
        .map(|r| (r.number, r.customer.as_str(), r.items, r.total))
        .collect();
    assert_eq!(
        rows,
        vec![
            (1001, "Ada", 2, Money::from_cents(900)),
            (1002, "Grace", 3, Money::from_cents(5_997))
        ]
    );
}
