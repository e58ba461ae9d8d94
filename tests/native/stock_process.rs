//! The stock process manager against the in-memory store: order events become product
//! commands, run once, surviving a restart in between.

use futures::executor::block_on;
use orderlog::app::stock::Stock;
use orderlog::domain::{
    order_stream, product_stream, CreateOrder, Currency, CustomerName, FulfilLines, LineId,
    LineQuantity, Money, Order, OrderCommand, OrderLine, Product, ProductCommand, ProductName,
    Quantity, Remark, ReturnedLine, Sku, Timestamp,
};
use orderlog::es::{execute, load, EventStore, MemoryStore, UnreadableEvents};
use orderlog::read::{ReadModels, ReadSide};

use crate::support::meta;

fn line(id: u32, sku: &str, quantity: u32) -> OrderLine {
    OrderLine {
        line_id: LineId(id),
        sku: Sku::parse(sku).unwrap(),
        product_name: ProductName::parse(sku).unwrap(),
        quantity: Quantity::new(quantity).unwrap(),
        unit_price: Money::from_cents(500),
        discount: Money::ZERO,
        discount_percent: None,
        tax: None,
    }
}

#[allow(clippy::needless_pass_by_value)] // reads as a line of the story: order(store, id, command id, command)
fn order(store: &MemoryStore, id: &str, command_id: &str, command: OrderCommand) {
    block_on(execute::<Order, _>(
        store,
        &order_stream(id),
        &command,
        &meta(command_id),
    ))
    .unwrap();
}

fn create(lines: Vec<OrderLine>) -> OrderCommand {
    OrderCommand::Create(CreateOrder {
        name: None,
        customer: CustomerName::parse("Ada").unwrap(),
        email: None,
        customer_id: None,
        exchange_for: None,
        currency: Currency::new(*b"USD"),
        prices_include_tax: false,
        lines,
        created_at: Timestamp(0),
    })
}

fn product(store: &MemoryStore, sku: &str) -> Product {
    block_on(load::<Product, _>(
        store,
        &product_stream(&Sku::parse(sku).unwrap()),
    ))
    .unwrap()
    .state
}

/// A shop with 5 TEA on hand and no MUG registered.
fn shop() -> MemoryStore {
    let store = MemoryStore::new();
    let tea = product_stream(&Sku::parse("TEA").unwrap());
    let register = ProductCommand::Register {
        sku: Sku::parse("TEA").unwrap(),
        name: ProductName::parse("Tea").unwrap(),
        price: Money::from_cents(500),
    };
    block_on(execute::<Product, _>(
        &store,
        &tea,
        &register,
        &meta("register-tea"),
    ))
    .unwrap();
    let receive = ProductCommand::ReceiveStock {
        quantity: Quantity::new(5).unwrap(),
    };
    block_on(execute::<Product, _>(
        &store,
        &tea,
        &receive,
        &meta("receive-tea"),
    ))
    .unwrap();
    store
}

/// Folds the whole log into `process` and runs what it asks for, as the app does.
fn follow(store: &MemoryStore, process: &mut ReadSide) -> usize {
    let mut ran = 0;
    loop {
        let from = process.checkpoint() + 1;
        let batch = block_on(store.read_all(from, 1_000)).unwrap();
        process.apply_all(&batch);
        let pending = process.read_model_mut().stock_mut().take_pending();
        if pending.is_empty() {
            return ran;
        }
        ran += pending.len();
        let outcome = block_on(Stock::default().run(store, pending));
        assert!(
            outcome.refused.is_empty() && outcome.failed.is_empty(),
            "{outcome:?}"
        );
    }
}

#[test]
fn placing_an_order_reserves_its_lines_and_back_orders_what_is_short() {
    let store = shop();
    order(
        &store,
        "1",
        "c1",
        create(vec![line(1, "TEA", 2), line(2, "MUG", 1)]),
    );
    order(&store, "1", "c2", OrderCommand::Place { at: Timestamp(1) });
    let mut process = ReadSide::default();

    assert_eq!(follow(&store, &mut process), 2);
    let (tea, mug) = (product(&store, "TEA"), product(&store, "MUG"));
    assert_eq!(
        (tea.on_hand(), tea.reserved(), tea.back_ordered()),
        (5, 2, 0)
    );
    assert_eq!(
        (mug.on_hand(), mug.reserved(), mug.back_ordered()),
        (0, 0, 1)
    );
}

#[test]
fn fulfilling_consumes_what_shipped_and_cancelling_releases_the_rest() {
    let store = shop();
    order(&store, "1", "c1", create(vec![line(1, "TEA", 2)]));
    order(&store, "1", "c2", OrderCommand::Place { at: Timestamp(1) });
    order(
        &store,
        "1",
        "c3",
        OrderCommand::Fulfil {
            lines: FulfilLines::AllRemaining,
            at: Timestamp(2),
        },
    );
    order(&store, "2", "c4", create(vec![line(1, "TEA", 1)]));
    order(&store, "2", "c5", OrderCommand::Place { at: Timestamp(3) });
    order(
        &store,
        "2",
        "c6",
        OrderCommand::Cancel {
            reason: Remark::parse("changed mind").unwrap(),
            at: Timestamp(4),
        },
    );
    let mut process = ReadSide::default();

    follow(&store, &mut process);
    let tea = product(&store, "TEA");
    assert_eq!(
        (tea.on_hand(), tea.reserved(), tea.back_ordered()),
        (3, 0, 0)
    );
}

#[test]
fn commands_queued_before_a_restart_run_after_it_and_only_once() {
    let store = shop();
    order(&store, "1", "c1", create(vec![line(1, "TEA", 2)]));
    order(&store, "1", "c2", OrderCommand::Place { at: Timestamp(1) });
    let mut process = ReadSide::default();
    process.apply_all(&block_on(store.read_all(1, 100)).unwrap());
    assert_eq!(process.read_model().stock().pending().len(), 1);
    // The tab closes before running them; the saved copy keeps the queue.
    let saved = process.save().unwrap();
    let at_checkpoint = block_on(store.read_all(saved[0].checkpoint, 1)).unwrap();
    let mut restored = ReadSide::restore(
        saved,
        at_checkpoint.first(),
        UnreadableEvents::SkipAndReport,
    );

    assert_eq!(follow(&store, &mut restored), 1);
    // Running the same commands again (a second tab, a retry) writes nothing.
    let again =
        block_on(Stock::default().run(&store, process.read_model_mut().stock_mut().take_pending()));
    assert_eq!(
        (
            again.appended.len(),
            again.failed.len(),
            again.refused.len()
        ),
        (0, 0, 0),
        "a command already in its stream is skipped, not refused"
    );
    assert_eq!(product(&store, "TEA").reserved(), 2, "reserved once");
    let log = block_on(store.read_all(1, 100)).unwrap();
    assert_eq!(
        log.iter()
            .filter(|e| e.event_type == "StockReserved")
            .count(),
        1
    );
}

#[test]
fn a_product_command_carries_the_order_command_as_its_cause() {
    let store = shop();
    order(&store, "1", "c1", create(vec![line(1, "TEA", 2)]));
    order(
        &store,
        "1",
        "place-1",
        OrderCommand::Place { at: Timestamp(1) },
    );
    follow(&store, &mut ReadSide::default());

    let log = block_on(store.read_all(1, 100)).unwrap();
    let reserved = log
        .iter()
        .find(|e| e.event_type == "StockReserved")
        .unwrap();
    let placed = log.iter().find(|e| e.event_type == "OrderPlaced").unwrap();
    assert_eq!(reserved.causation_id, "place-1");
    assert_eq!(reserved.command_id, format!("stock-{}-0", placed.seq));
}

/// What the stock process keeps of its own, read from its saved copy.
fn kept(process: &ReadSide) -> serde_json::Value {
    serde_json::to_value(process.read_model().stock()).unwrap()
}

#[test]
fn the_process_keeps_no_orders_of_its_own_and_a_finished_orders_note_asks_nothing() {
    let store = shop();
    // Order 1 shipped whole, order 2 cancelled, order 3 placed and half shipped.
    order(&store, "1", "c1", create(vec![line(1, "TEA", 1)]));
    order(&store, "1", "c2", OrderCommand::Place { at: Timestamp(1) });
    let ship_all = OrderCommand::Fulfil {
        lines: FulfilLines::AllRemaining,
        at: Timestamp(2),
    };
    order(&store, "1", "c3", ship_all);
    order(&store, "2", "c4", create(vec![line(1, "TEA", 1)]));
    order(
        &store,
        "2",
        "c5",
        OrderCommand::Cancel {
            reason: Remark::parse("changed mind").unwrap(),
            at: Timestamp(3),
        },
    );
    order(&store, "3", "c6", create(vec![line(1, "TEA", 2)]));
    order(&store, "3", "c7", OrderCommand::Place { at: Timestamp(4) });
    let ship_one = OrderCommand::Fulfil {
        lines: FulfilLines::Only(vec![LineQuantity {
            line_id: LineId(1),
            quantity: Quantity::new(1).unwrap(),
        }]),
        at: Timestamp(5),
    };
    order(&store, "3", "c8", ship_one);
    let mut process = ReadSide::default();
    follow(&store, &mut process);
    assert_eq!(
        kept(&process),
        serde_json::json!({ "pending": [] }),
        "no order of its own: it reads the shared folds"
    );

    // A note on the shipped order: nothing to run.
    let note = OrderCommand::AddNote {
        text: Remark::parse("thanks").unwrap(),
        at: Timestamp(6),
    };
    order(&store, "1", "c9", note);
    assert_eq!(follow(&store, &mut process), 0);
    assert_eq!(kept(&process), serde_json::json!({ "pending": [] }));
    let tea = product(&store, "TEA");
    assert_eq!((tea.on_hand(), tea.reserved()), (3, 1));
}

#[test]
fn a_saved_copy_from_before_the_shared_folds_is_not_read_and_the_log_is_replayed() {
    let store = shop();
    order(&store, "1", "c1", create(vec![line(1, "TEA", 1)]));
    order(&store, "1", "c2", OrderCommand::Place { at: Timestamp(1) });
    let log = block_on(store.read_all(1, 100)).unwrap();
    let last = log.last().unwrap();
    // The stock process's own copy, as saved before: its orders and an empty queue.
    let mut saved = ReadSide::default().save().unwrap().remove(0);
    saved.name = "stock_process".into();
    saved.state = serde_json::json!({ "orders": {}, "pending": [] }).to_string();
    saved.checkpoint = last.seq;
    saved.checkpoint_hash.clone_from(&last.hash);

    let mut restored = ReadSide::restore(vec![saved], Some(last), UnreadableEvents::SkipAndReport);
    assert_eq!(restored.checkpoint(), 0, "rebuilt from the log instead");
    assert_eq!(
        follow(&store, &mut restored),
        1,
        "the placing still reserves"
    );
    assert_eq!(product(&store, "TEA").reserved(), 1);
    let mut rebuilt = ReadSide::new(ReadModels::default());
    rebuilt.apply_all(&block_on(store.read_all(1, 100)).unwrap());
    assert_eq!(restored.read_model().shop(), rebuilt.read_model().shop());
}

/// Folds what `process` has not seen and runs the commands it queued on `stock`.
fn run_queued(
    store: &MemoryStore,
    process: &mut ReadSide,
    stock: &mut Stock,
) -> orderlog::app::stock::StockRun {
    let from = process.checkpoint() + 1;
    process.apply_all(&block_on(store.read_all(from, 1_000)).unwrap());
    let pending = process.read_model_mut().stock_mut().take_pending();
    block_on(stock.run(store, pending))
}

#[test]
fn a_kept_stock_reads_a_product_once_and_a_write_it_did_not_make_has_it_read_again() {
    let store = shop();
    let (mut process, mut stock) = (ReadSide::default(), Stock::default());
    order(&store, "1", "c1", create(vec![line(1, "TEA", 2)]));
    order(&store, "1", "c2", OrderCommand::Place { at: Timestamp(1) });
    let first = run_queued(&store, &mut process, &mut stock);
    assert_eq!((first.appended.len(), first.failed.len()), (1, 0));

    // Another tab receives stock: the TEA this stock keeps is out of date, and it does not
    // read it again before deciding.
    let receive = ProductCommand::ReceiveStock {
        quantity: Quantity::new(3).unwrap(),
    };
    let tea = product_stream(&Sku::parse("TEA").unwrap());
    block_on(execute::<Product, _>(
        &store,
        &tea,
        &receive,
        &meta("receive-more"),
    ))
    .unwrap();
    order(&store, "2", "c3", create(vec![line(1, "TEA", 1)]));
    order(&store, "2", "c4", OrderCommand::Place { at: Timestamp(2) });
    let stale = run_queued(&store, &mut process, &mut stock);
    assert_eq!(
        (stale.appended.len(), stale.failed.len()),
        (0, 1),
        "decided on the kept TEA, refused by the store"
    );

    process
        .read_model_mut()
        .stock_mut()
        .retry_later(stale.failed);
    let again = run_queued(&store, &mut process, &mut stock);
    assert_eq!(
        (again.appended.len(), again.failed.len()),
        (1, 0),
        "TEA read again"
    );
    let tea = product(&store, "TEA");
    assert_eq!((tea.on_hand(), tea.reserved()), (8, 3));
}

#[test]
fn a_return_puts_its_restocked_units_back_on_hand_once_however_often_its_commands_run() {
    let store = shop();
    order(
        &store,
        "1",
        "c1",
        create(vec![line(1, "TEA", 3), line(2, "TEA", 1)]),
    );
    order(&store, "1", "c2", OrderCommand::Place { at: Timestamp(1) });
    let ship_all = OrderCommand::Fulfil {
        lines: FulfilLines::AllRemaining,
        at: Timestamp(2),
    };
    order(&store, "1", "c3", ship_all);
    let mut process = ReadSide::default();
    follow(&store, &mut process);
    assert_eq!(product(&store, "TEA").on_hand(), 1, "5 received, 4 sold");

    let back = |line_id, quantity, restock| ReturnedLine {
        line_id: LineId(line_id),
        quantity: Quantity::new(quantity).unwrap(),
        restock,
    };
    let give_back = OrderCommand::Return {
        lines: vec![back(1, 2, true), back(2, 1, false)],
        refund: None,
        at: Timestamp(3),
    };
    order(&store, "1", "c4", give_back);
    let from = process.checkpoint() + 1;
    process.apply_all(&block_on(store.read_all(from, 100)).unwrap());
    let queued = process.read_model_mut().stock_mut().take_pending();
    assert_eq!(queued.len(), 1, "the broken unit asks nothing: {queued:?}");
    for _ in 0..2 {
        let outcome = block_on(Stock::default().run(&store, queued.clone()));
        assert!(outcome.refused.is_empty() && outcome.failed.is_empty());
    }
    assert_eq!(
        product(&store, "TEA").on_hand(),
        3,
        "5 received − 4 sold + 2 restocked, the second run writing nothing"
    );
}

#[test]
fn a_queued_command_is_saved_as_the_product_command_it_is_and_read_back_as_it() {
    use orderlog::domain::ReservationId;
    use orderlog::read::PendingCommand;

    let reservation = ReservationId {
        order_id: "order-1".into(),
        line_id: LineId(2),
    };
    let quantity = Quantity::new(3).unwrap();
    for command in [
        ProductCommand::Reserve {
            reservation: reservation.clone(),
            quantity,
        },
        ProductCommand::Release {
            reservation: reservation.clone(),
        },
        ProductCommand::Consume {
            reservation: reservation.clone(),
            quantity,
        },
        ProductCommand::Restock {
            reservation: reservation.clone(),
            quantity,
        },
    ] {
        let pending = PendingCommand {
            sku: Sku::parse("MUG").unwrap(),
            command: command.clone(),
            command_id: "stock-7-0".into(),
            causation_id: "c".into(),
            correlation_id: "c".into(),
            recorded_at: 1,
        };
        let saved = serde_json::to_value(&pending).unwrap();
        assert_eq!(saved["command"], serde_json::to_value(&command).unwrap());
        assert_eq!(
            serde_json::from_value::<PendingCommand>(saved).unwrap(),
            pending
        );
    }
    let not_queued = PendingCommand {
        sku: Sku::parse("MUG").unwrap(),
        command: ProductCommand::SetReorderLevel { level: 1 },
        command_id: "x".into(),
        causation_id: "c".into(),
        correlation_id: "c".into(),
        recorded_at: 1,
    };
    assert!(serde_json::to_value(&not_queued).is_err());
}
