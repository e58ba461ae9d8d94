//! Customers on the read side: a customer's orders (theirs and those of the customers merged
//! into them), what they spent and owe worked by hand, the list by name, the email index an
//! import matches by, and the dashboard's Customers and Repeat customers.

use orderlog::domain::customer::{CustomerCommand, CustomerDetails};
use orderlog::domain::{CustomerName, Email, OrderCommand, Remark};
use orderlog::read::customers;
use orderlog::read::{ReadModels, Utc};

use crate::support::shop::{cents, create, line, pay, place, Shop, JAN_2026};

fn register(shop: &mut Shop, id: &str, name: &str, email: Option<&str>) {
    let details = CustomerDetails::named(
        CustomerName::parse(name).unwrap(),
        email.map(|e| Email::parse(e).unwrap()),
    );
    shop.customer(id, CustomerCommand::Register(details));
}

/// Order `order_id` of one 28.00 line for customer `customer` (a record id), or for a name
/// and email typed alone; placed unless `draft`.
fn order_for(
    shop: &mut Shop,
    order_id: &str,
    customer: Option<&str>,
    email: Option<&str>,
    draft: bool,
) {
    let OrderCommand::Create(mut created) = create(JAN_2026, vec![line(1, "TEA-1", 1, 2_800, 0)])
    else {
        unreachable!()
    };
    created.customer_id = customer.map(str::to_owned);
    created.email = email.map(|e| Email::parse(e).unwrap());
    shop.order(order_id, OrderCommand::Create(created));
    if !draft {
        shop.order(order_id, place());
    }
}

/// Ada with two orders (one paid, one 10.00 of 28.00 paid) and a draft; "A. Lovelace", the
/// same person, with one paid order; Grace with none.
fn shop_with_customers() -> Shop {
    let mut shop = Shop::default();
    register(&mut shop, "ada", "Ada Lovelace", Some("Ada@Example.com"));
    register(&mut shop, "ada-2", "A. Lovelace", None);
    register(
        &mut shop,
        "grace",
        "Grace Hopper",
        Some("grace@example.com"),
    );
    order_for(&mut shop, "1", Some("ada"), None, false);
    shop.order("1", pay(2_800));
    order_for(&mut shop, "2", Some("ada"), None, false);
    shop.order("2", pay(1_000));
    order_for(&mut shop, "3", Some("ada-2"), None, false);
    shop.order("3", pay(2_800));
    order_for(&mut shop, "4", Some("ada"), None, true);
    shop
}

#[test]
fn a_customers_figures_come_from_their_orders() {
    let models = shop_with_customers().fold::<ReadModels>();
    let ada = models.customer_page("ada").unwrap();
    assert_eq!(ada.row.orders, 2, "placed orders: the draft is not one yet");
    assert_eq!(ada.row.spent, cents(3_800));
    assert_eq!(ada.row.owed, cents(1_800));
    assert_eq!(ada.orders, vec![3, 1, 0], "drafts too, latest first");
    let names: Vec<String> = models
        .customer_rows()
        .iter()
        .map(|row| row.details.name.as_str().to_owned())
        .collect();
    assert_eq!(
        names,
        ["A. Lovelace", "Ada Lovelace", "Grace Hopper"],
        "by name"
    );
}

#[test]
fn a_merged_customers_orders_count_as_the_kept_ones_and_its_page_points_there() {
    let mut shop = shop_with_customers();
    shop.customer("ada-2", CustomerCommand::MergeInto { into: "ada".into() });
    let models = shop.fold::<ReadModels>();
    let ada = models.customer_page("ada").unwrap();
    assert_eq!(
        (ada.row.orders, ada.row.spent, ada.row.owed),
        (3, cents(6_600), cents(1_800))
    );
    assert_eq!(
        ada.merged,
        vec![("ada-2".to_owned(), "A. Lovelace".to_owned())]
    );
    let merged = models.customer_page("ada-2").unwrap();
    assert_eq!(merged.merged_into.as_deref(), Some("ada"));
    assert_eq!(merged.orders, ada.orders, "the kept customer's orders");
    let ids: Vec<String> = models
        .customer_rows()
        .into_iter()
        .map(|row| row.id)
        .collect();
    assert_eq!(ids, ["ada", "grace"], "a merged customer leaves the list");
}

#[test]
fn a_cancelled_order_owes_nothing_and_keeps_what_was_paid_in_spent() {
    let mut shop = shop_with_customers();
    shop.order(
        "2",
        OrderCommand::Cancel {
            reason: Remark::parse("changed their mind").unwrap(),
            at: JAN_2026,
        },
    );
    let ada = shop.fold::<ReadModels>().customer_page("ada").unwrap();
    assert_eq!(
        (ada.row.orders, ada.row.spent, ada.row.owed),
        (2, cents(3_800), cents(0))
    );
}

#[test]
fn an_import_finds_a_kept_customer_by_email_in_any_case() {
    let mut shop = shop_with_customers();
    shop.customer("grace", CustomerCommand::MergeInto { into: "ada".into() });
    let index = customers::by_email(shop.fold::<ReadModels>().shop());
    assert_eq!(
        index.get("ada@example.com").map(String::as_str),
        Some("ada")
    );
    assert_eq!(index.get("grace@example.com"), None, "merged away");
}

#[test]
fn the_dashboard_counts_each_customer_once_by_record_else_email_else_name() {
    let mut shop = shop_with_customers();
    let figures = |shop: &Shop| {
        let f = shop.fold::<ReadModels>().figures(&Utc);
        (f.customers, f.repeat_customers)
    };
    // ada (2 placed), ada-2 (1): two customers, one repeat; the draft is no order.
    assert_eq!(figures(&shop), (2, 1));
    shop.customer("ada-2", CustomerCommand::MergeInto { into: "ada".into() });
    assert_eq!(figures(&shop), (1, 1), "merged: one person");
    // Typed without a record: by email in any case, else by name.
    order_for(&mut shop, "5", None, Some("linus@example.com"), false);
    order_for(&mut shop, "6", None, Some("LINUS@example.com"), false);
    order_for(&mut shop, "7", None, None, false);
    assert_eq!(
        figures(&shop),
        (3, 2),
        "Linus twice by email; Ada Lovelace by name once"
    );
}

#[test]
fn an_exchange_names_the_order_it_exchanges_and_that_order_finds_it() {
    let mut shop = shop_with_customers();
    let OrderCommand::Create(mut created) = create(JAN_2026, vec![]) else {
        unreachable!()
    };
    created.exchange_for = Some("order-1".into());
    shop.order("9", OrderCommand::Create(created));
    let models = shop.fold::<ReadModels>();
    let exchanges = |stream: &str| {
        let found = models.exchanges(stream);
        (found.of, found.by)
    };
    assert_eq!(
        exchanges("order-1"),
        (None, vec![("order-9".to_owned(), 1005)])
    );
    assert_eq!(
        exchanges("order-9"),
        (Some(("order-1".to_owned(), 1001)), vec![])
    );
    assert_eq!(exchanges("order-2"), (None, vec![]));
}
