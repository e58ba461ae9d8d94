//! The orders view's query: filter by status, the days created and a tag, search number,
//! customer, email or SKU, sort by any column, page; and the query as the address holds it.

use futures::executor::block_on;
use orderlog::domain::{
    order_stream, CreateOrder, Currency, CustomerName, Email, FinancialStatus, FulfilLines, LineId,
    Money, Order, OrderCommand, OrderLine, PaymentMethod, ProductName, Quantity, Remark, Sku,
    Timestamp,
};
use orderlog::es::{execute, EventStore, MemoryStore, ProjectionRunner};
use orderlog::read::orders_query::{query, OrdersQuery, SortKey, StatusFilter, PAGE_ROWS};
use orderlog::read::{FixedOffset, OrdersList, ReadModels, Utc};

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
            exchange_for: None,
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
    query(list, query_, &Utc)
        .rows
        .iter()
        .map(|r| r.number)
        .collect()
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

    let first = query(&list, &OrdersQuery::default(), &Utc);
    assert_eq!(
        (first.rows.len(), first.matching, first.pages),
        (PAGE_ROWS, 120, 3)
    );
    let beyond = query(&list, &with(|q| q.page = 99), &Utc);
    assert_eq!((beyond.page, beyond.rows.len()), (2, 20));
    assert_eq!(beyond.rows.last().map(|r| r.number), Some(1001));
}

fn days(from: (u8, u8), to: (u8, u8)) -> OrdersQuery {
    let day = |(month, day): (u8, u8)| {
        time::Date::from_calendar_date(2026, time::Month::try_from(month).unwrap(), day).unwrap()
    };
    with(|q| {
        q.from = Some(day(from));
        q.to = Some(day(to));
    })
}

#[test]
fn a_range_of_days_keeps_the_orders_created_on_them_on_the_shops_calendar() {
    let list = shop();
    // #1001 to #1005 were created at midnight UTC on 4, 2, 3, 6 and 5 January.
    assert_eq!(numbers(&list, &days((1, 2), (1, 3))), vec![1003, 1002]);
    assert_eq!(numbers(&list, &days((1, 6), (1, 6))), vec![1004]);
    // Five hours behind UTC, midnight UTC is the evening before: #1001 falls on 3 January,
    // #1002 on 1 January.
    let q = days((1, 2), (1, 3));
    let behind: Vec<u64> = query(&list, &q, &FixedOffset(-300))
        .rows
        .iter()
        .map(|r| r.number)
        .collect();
    assert_eq!(behind, vec![1003, 1001]);
}

#[test]
fn a_tag_keeps_the_orders_filed_under_it_in_any_case() {
    let mut shop = Shop::new();
    shop.order(1, "Ada Lovelace", "ada@example.com", "TEA-1", 1, 100, 0);
    shop.order(2, "Grace Hopper", "grace@example.com", "TEA-1", 1, 100, 0);
    shop.order(3, "Alan Turing", "alan@example.com", "TEA-1", 1, 100, 0);
    let tag = |text: &str| orderlog::domain::Tag::parse(text).unwrap();
    shop.run(1, &OrderCommand::AddTag { tag: tag("Gift") });
    shop.run(3, &OrderCommand::AddTag { tag: tag("gift") });
    shop.run(
        3,
        &OrderCommand::AddTag {
            tag: tag("wholesale"),
        },
    );
    shop.run(
        3,
        &OrderCommand::RemoveTag {
            tag: tag("WHOLESALE"),
        },
    );
    let list = shop.list();
    assert_eq!(
        numbers(&list, &with(|q| q.tag = Some("GIFT".into()))),
        vec![1003, 1001]
    );
    assert_eq!(
        numbers(&list, &with(|q| q.tag = Some("wholesale".into()))),
        Vec::<u64>::new()
    );
}

#[test]
fn the_address_holds_every_part_of_a_query_that_is_not_the_default() {
    let asked = OrdersQuery {
        search: "ada".into(),
        status: StatusFilter::Financial(FinancialStatus::PartiallyPaid),
        tag: Some("gift".into()),
        sort: SortKey::Total,
        descending: false,
        page: 2,
        ..days((1, 2), (1, 31))
    };
    let params = asked.to_params();
    let text: Vec<String> = params.iter().map(|(k, v)| format!("{k}={v}")).collect();
    assert_eq!(
        text,
        [
            "q=ada",
            "status=partially-paid",
            "from=2026-01-02",
            "to=2026-01-31",
            "tag=gift",
            "sort=total",
            "order=asc",
            "page=3"
        ]
    );
    let read = OrdersQuery::from_params(|name| {
        params
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.clone())
    });
    assert_eq!(read, asked);
    assert!(
        OrdersQuery::default().to_params().is_empty(),
        "the plain list has a plain address"
    );
    let odd = OrdersQuery::from_params(|name| {
        (name == "status" || name == "page" || name == "from").then(|| "nonsense".to_owned())
    });
    assert_eq!(
        odd,
        OrdersQuery::default(),
        "what the address garbles is the default's"
    );
}
