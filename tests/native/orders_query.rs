//! The orders view's query: filter by status, search number, customer, email or SKU, sort by
//! any column, page.

use futures::executor::block_on;
use orderlog::domain::{
    order_stream, CreateOrder, Currency, CustomerName, Email, FinancialStatus, FulfilLines, LineId,
    Money, Order, OrderCommand, OrderLine, PaymentMethod, ProductName, Quantity, Remark, Sku,
    Timestamp,
};
use orderlog::es::{execute, EventStore, MemoryStore, ProjectionRunner};
use orderlog::read::orders_query::{query, OrdersQuery, SortKey, StatusFilter, PAGE_ROWS};
use orderlog::read::{OrdersList, ReadModels};

use crate::support::meta;

struct Shop {
    store: MemoryStore,
    commands: usize,
}

impl Shop {
    fn new() -> Shop {
        Shop {
            store: MemoryStore::new(),
            commands: 0,
        }
    }

    fn run(&mut self, order: usize, command: &OrderCommand) {
        self.commands += 1;
        block_on(execute::<Order, _>(
            &self.store,
            &order_stream(&order.to_string()),
            command,
            &meta(&format!("c{}", self.commands)),
        ))
        .unwrap();
    }

    /// Order `n`: `quantity` × `sku` at `cents`, created on day `day` of 2026.
    #[allow(clippy::too_many_arguments)] // one call per order reads as a row of the shop's table
    fn order(
        &mut self,
        n: usize,
        customer: &str,
        email: &str,
        sku: &str,
        quantity: u32,
        cents: u64,
        day: i64,
    ) {
        let create = OrderCommand::Create(CreateOrder {
            name: None,
            customer: CustomerName::parse(customer).unwrap(),
            email: Some(Email::parse(email).unwrap()),
            customer_id: None,
            currency: Currency::new(*b"USD"),
            prices_include_tax: false,
            lines: vec![OrderLine {
                line_id: LineId(1),
                sku: Sku::parse(sku).unwrap(),
                product_name: ProductName::parse(sku).unwrap(),
                quantity: Quantity::new(quantity).unwrap(),
                unit_price: Money::from_cents(cents),
                discount: Money::ZERO,
                discount_percent: None,
                tax: None,
            }],
            created_at: Timestamp(1_767_225_600_000 + day * 86_400_000),
        });
        self.run(n, &create);
    }

    fn place(&mut self, n: usize) {
        self.run(n, &OrderCommand::Place { at: Timestamp(0) });
    }

    fn pay(&mut self, n: usize, cents: u64) {
        let pay = OrderCommand::RecordPayment {
            amount: Money::from_cents(cents),
            currency: Currency::new(*b"USD"),
            method: PaymentMethod::Card,
            at: Timestamp(0),
        };
        self.run(n, &pay);
    }

    fn list(&self) -> OrdersList {
        let mut runner = ProjectionRunner::new(ReadModels::default());
        runner.apply_all(&block_on(self.store.read_all(1, 100_000)).unwrap());
        runner.read_model().orders().clone()
    }
}

/// #1001 Ada (draft), #1002 Grace (placed, paid), #1003 Edsger (placed, part paid),
/// #1004 Barbara (placed, fulfilled), #1005 Alan (cancelled).
fn shop() -> OrdersList {
    let mut shop = Shop::new();
    shop.order(1, "Ada Lovelace", "ada@example.com", "TEA-1", 1, 500, 3);
    shop.order(
        2,
        "Grace Hopper",
        "grace@navy.example",
        "MUG-2",
        2,
        1_000,
        1,
    );
    shop.place(2);
    shop.pay(2, 2_000);
    shop.order(3, "Edsger Dijkstra", "ewd@example.nl", "TEA-1", 3, 300, 2);
    shop.place(3);
    shop.pay(3, 100);
    shop.order(
        4,
        "Barbara Liskov",
        "liskov@mit.example",
        "BAG-3",
        1,
        4_000,
        5,
    );
    shop.place(4);
    shop.run(
        4,
        &OrderCommand::Fulfil {
            lines: FulfilLines::AllRemaining,
            at: Timestamp(0),
        },
    );
    shop.order(5, "Alan Turing", "alan@example.co.uk", "TEA-1", 1, 100, 4);
    shop.place(5);
    shop.run(
        5,
        &OrderCommand::Cancel {
            reason: Remark::parse("duplicate").unwrap(),
            at: Timestamp(0),
        },
    );
    shop.list()
}

fn numbers(list: &OrdersList, query_: &OrdersQuery) -> Vec<u64> {
    query(list, query_).rows.iter().map(|r| r.number).collect()
}

fn with(change: impl FnOnce(&mut OrdersQuery)) -> OrdersQuery {
    let mut q = OrdersQuery::default();
    change(&mut q);
    q
}

#[test]
fn by_default_every_order_shows_newest_first() {
    assert_eq!(
        numbers(&shop(), &OrdersQuery::default()),
        vec![1005, 1004, 1003, 1002, 1001]
    );
}

#[test]
fn search_matches_number_customer_email_and_sku_ignoring_case() {
    let list = shop();
    for (search, expected) in [
        ("#1003", vec![1003]),
        ("1002", vec![1002]),
        ("grace", vec![1002]),
        ("NAVY", vec![1002]),
        ("tea-1", vec![1005, 1003, 1001]),
        ("nobody", vec![]),
    ] {
        assert_eq!(
            numbers(&list, &with(|q| q.search = search.into())),
            expected,
            "search {search:?}"
        );
    }
}

#[test]
fn status_filters_keep_the_orders_in_that_state() {
    let list = shop();
    for (status, expected) in [
        (StatusFilter::Draft, vec![1001]),
        (StatusFilter::Open, vec![1003, 1002]),
        (StatusFilter::Cancelled, vec![1005]),
        (StatusFilter::Financial(FinancialStatus::Paid), vec![1002]),
        (
            StatusFilter::Financial(FinancialStatus::PartiallyPaid),
            vec![1003],
        ),
        (StatusFilter::Financial(FinancialStatus::Voided), vec![1005]),
        (
            StatusFilter::Fulfilment(orderlog::domain::FulfilmentStatus::Fulfilled),
            vec![1004],
        ),
    ] {
        assert_eq!(
            numbers(&list, &with(|q| q.status = status)),
            expected,
            "{status:?}"
        );
    }
}

#[test]
fn every_column_sorts_both_ways_with_the_number_breaking_ties() {
    let list = shop();
    for (key, ascending) in [
        (SortKey::Date, vec![1002, 1003, 1001, 1005, 1004]),
        (SortKey::Customer, vec![1001, 1005, 1004, 1003, 1002]),
        (SortKey::Items, vec![1001, 1004, 1005, 1002, 1003]),
        (SortKey::Total, vec![1005, 1001, 1003, 1002, 1004]),
        (SortKey::BalanceDue, vec![1002, 1005, 1001, 1003, 1004]),
        (SortKey::FinancialStatus, vec![1002, 1003, 1001, 1004, 1005]),
        (
            SortKey::FulfilmentStatus,
            vec![1004, 1001, 1002, 1003, 1005],
        ),
    ] {
        assert_eq!(
            numbers(&list, &with(|q| (q.sort, q.descending) = (key, false))),
            ascending,
            "{key:?} ascending"
        );
        let mut descending = ascending.clone();
        descending.reverse();
        assert_eq!(
            numbers(&list, &with(|q| (q.sort, q.descending) = (key, true))),
            descending,
            "{key:?} descending"
        );
    }
}

#[test]
fn pages_hold_fifty_rows_and_a_page_past_the_end_shows_the_last() {
    let mut shop = Shop::new();
    for n in 0..120 {
        shop.order(n, "Customer", "c@example.com", "TEA-1", 1, 100, 0);
    }
    let list = shop.list();

    let first = query(&list, &OrdersQuery::default());
    assert_eq!(
        (first.rows.len(), first.matching, first.pages),
        (PAGE_ROWS, 120, 3)
    );
    let beyond = query(&list, &with(|q| q.page = 99));
    assert_eq!((beyond.page, beyond.rows.len()), (2, 20));
    assert_eq!(beyond.rows.last().map(|r| r.number), Some(1001));
}
