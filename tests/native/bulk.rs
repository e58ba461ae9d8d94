//! Bulk loads through real commands, natively against the in-memory store.

use futures::executor::block_on;
use orderlog::app::bulk::{load, BulkOutcome, CHUNK};
use orderlog::domain::{
    order_stream, product_stream, Money, OrderCommand, ProductCommand, ProductName, Sku, Timestamp,
};
use orderlog::es::{verify, EventStore, MemoryStore};

use crate::support::{create_order, meta};

fn register(sku: &str) -> (String, ProductCommand, orderlog::es::CommandMeta) {
    let sku = Sku::parse(sku).unwrap();
    (
        product_stream(&sku),
        ProductCommand::Register {
            name: ProductName::parse("Tea").unwrap(),
            sku,
            price: Money::from_cents(450),
        },
        meta("register"),
    )
}

fn orders(count: usize) -> Vec<(String, OrderCommand, orderlog::es::CommandMeta)> {
    (0..count)
        .flat_map(|n| {
            [
                (
                    order_stream(&n.to_string()),
                    create_order("Ada", 1, 450),
                    meta(&format!("create-{n}")),
                ),
                (
                    order_stream(&n.to_string()),
                    OrderCommand::Place { at: Timestamp(1) },
                    meta(&format!("place-{n}")),
                ),
            ]
        })
        .collect()
}

#[test]
fn a_bulk_load_writes_every_accepted_command_in_chunks_and_reports_progress() {
    let store = MemoryStore::new();
    let mut reports = Vec::new();
    let mut reported = Vec::new();

    let outcome = block_on(load(
        &store,
        vec![register("TEA-1")],
        orders(1_200),
        async |done, total, written| {
            reports.push((done, total));
            reported.extend_from_slice(written);
            true
        },
    ))
    .unwrap();
    // Each order: OrderCreated, LineAdded, OrderPlaced.
    assert_eq!(
        outcome,
        BulkOutcome {
            written: 1 + 3 * 1_200,
            refused: vec![],
            stopped: false
        }
    );
    assert_eq!(reports.first(), Some(&(1, 2_401)));
    assert_eq!(reports.last(), Some(&(2_401, 2_401)));
    assert!(reports.len() > 2_400 / CHUNK, "{reports:?}");
    assert_eq!(block_on(verify(&store)), Ok(3_601));
    assert_eq!(
        reported,
        block_on(store.read_all(1, 10_000)).unwrap(),
        "each chunk's events are reported as written, in order"
    );
}

#[test]
fn a_refused_command_is_reported_by_position_and_the_rest_goes_on() {
    let store = MemoryStore::new();
    let mut plan = orders(2);
    plan.insert(
        1,
        (
            order_stream("0"),
            create_order("Ada", 1, 450),
            meta("create-again"),
        ),
    );

    let outcome = block_on(load(&store, vec![], plan, async |_, _, _| true)).unwrap();
    assert_eq!(
        outcome.refused,
        vec![(1, "this order already exists".to_owned())]
    );
    assert_eq!(outcome.written, 6);
}

#[test]
fn loading_the_same_plan_twice_adds_nothing() {
    let store = MemoryStore::new();
    block_on(load(
        &store,
        vec![register("TEA-1")],
        orders(10),
        async |_, _, _| true,
    ))
    .unwrap();

    let again = block_on(load(
        &store,
        vec![register("TEA-1")],
        orders(10),
        async |_, _, _| true,
    ))
    .unwrap();
    assert_eq!(again.written, 0);
    assert_eq!(block_on(store.read_all(1, 1_000)).unwrap().len(), 31);
}

#[test]
fn a_stopped_load_ends_between_orders_never_inside_one() {
    let store = MemoryStore::new();
    let mut calls = 0;

    // Go on after the (empty) products, stop at the first chunk of orders.
    let outcome = block_on(load(&store, vec![], orders(1_500), async |_, _, _| {
        calls += 1;
        calls < 2
    }))
    .unwrap();
    assert!(outcome.stopped);
    let log = block_on(store.read_all(1, 10_000)).unwrap();
    // Whole orders only: every order stream holds its three events.
    let mut per_order = std::collections::BTreeMap::<String, usize>::new();
    for event in &log {
        *per_order.entry(event.stream_id.clone()).or_default() += 1;
    }
    assert!(
        per_order.values().all(|events| *events == 3),
        "{per_order:?}"
    );
    assert_eq!(
        per_order.len(),
        500,
        "stopped after the first chunk of 1,000 commands"
    );
    assert_eq!(calls, 2);
}

#[test]
fn a_load_with_customers_writes_each_before_its_first_order_so_a_stop_leaves_orders_with_theirs() {
    use orderlog::domain::customer::{customer_stream, CustomerCommand, CustomerDetails};
    use orderlog::domain::CustomerName;
    let store = MemoryStore::new();
    // 1,500 orders, each for a customer of its own.
    let mut plan = orders(1_500);
    let mut customers = Vec::new();
    for (n, (_, command, _)) in plan.iter_mut().enumerate().filter(|(n, _)| n % 2 == 0) {
        if let OrderCommand::Create(create) = command {
            let id = format!("c{n}");
            create.customer_id = Some(id.clone());
            customers.push((
                customer_stream(&id),
                CustomerCommand::Register(CustomerDetails::named(
                    CustomerName::parse("Ada").unwrap(),
                    None,
                )),
                meta(&format!("customer-{n}")),
            ));
        }
    }
    let mut calls = 0;
    let outcome = block_on(orderlog::app::bulk::load_with_customers(
        &store,
        vec![],
        customers,
        plan,
        async |_, _, _| {
            calls += 1;
            // The empty products, the first chunk's customers, then its orders: stop there.
            calls < 3
        },
    ))
    .unwrap();
    assert!(outcome.stopped);
    let log = block_on(store.read_all(1, 100_000)).unwrap();
    let orders_written = log
        .iter()
        .filter(|e| e.event_type == "OrderCreated")
        .count();
    let customers_written = log
        .iter()
        .filter(|e| e.event_type == "CustomerRegistered")
        .count();
    assert!(
        orders_written > 0 && orders_written < 1_500,
        "{orders_written}"
    );
    assert_eq!(
        customers_written, orders_written,
        "each order's customer, and no other"
    );
}
