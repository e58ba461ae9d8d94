//! Importing a messy, hand-written Shopify orders export: every case of a real export, and
//! the dashboard it gives, computed by hand here (not by the app's code).

use std::collections::BTreeMap;

use futures::executor::block_on;
use orderlog::app::bulk::{load_with_customers, BulkOutcome};
use orderlog::domain::Money;
use orderlog::es::{EventStore, MemoryStore, ProjectionRunner};
use orderlog::io::shopify::{plan, ImportError, ImportPlan};
use orderlog::read::ReadModels;

/// A UTF-8 BOM, CRLF line ends, columns in an odd order with extra ones (Tags, Vendor) and
/// without optional ones (Shipping Name), quoted fields with commas, quotes and a newline,
/// blank cells, dates with offsets, every financial and fulfilment status, line items on
/// rows of their own, and two orders that must be refused.
const EXPORT: &str = include_str!("../fixtures/shopify_messy.csv");

/// The line (1-based, counting the file's physical lines) on which `text` first appears.
fn line_of(text: &str) -> u64 {
    EXPORT
        .lines()
        .position(|l| l.contains(text))
        .map_or(0, |i| i as u64 + 1)
}

/// Writes a previewed import as the app does: products, customers, then orders.
async fn load_plan(
    store: &MemoryStore,
    plan: ImportPlan,
) -> Result<BulkOutcome, orderlog::es::StoreError> {
    load_with_customers(
        store,
        plan.products,
        plan.customers,
        plan.commands,
        async |_, _, _| true,
    )
    .await
}

fn cents(cents: u64) -> Money {
    Money::from_cents(cents)
}

#[test]
fn the_preview_counts_orders_and_lines_and_names_every_rejected_row() {
    let preview = plan(EXPORT).unwrap().for_customers(&BTreeMap::new());

    assert_eq!((preview.orders, preview.lines), (6, 8));
    let rejected: Vec<(u64, &str)> = preview
        .rejected
        .iter()
        .map(|r| (r.line, r.order.as_str()))
        .collect();
    assert_eq!(
        rejected,
        vec![(line_of("#1007"), "#1007"), (line_of("#1008"), "#1008")]
    );
    assert!(
        preview.rejected[0]
            .reason
            .contains("Lineitem quantity \"0\": must be at least 1"),
        "{:?}",
        preview.rejected[0]
    );
    assert!(
        preview.rejected[1]
            .reason
            .contains("Total 9.99 is not its lines, tax and shipping (5.00)"),
        "{:?}",
        preview.rejected[1]
    );
    assert_eq!(preview.products.len(), 3, "TEA-EARL, MUG and BAG");
}

#[test]
fn the_import_gives_the_dashboard_shopify_would_show() {
    let store = MemoryStore::new();
    let preview = plan(EXPORT).unwrap().for_customers(&BTreeMap::new());
    let outcome = block_on(load_plan(&store, preview)).unwrap();
    assert_eq!(outcome.refused, vec![]);

    let log = block_on(store.read_all(1, 10_000)).unwrap();
    let mut dashboard = ProjectionRunner::new(ReadModels::default());
    dashboard.apply_all(&log);
    let f = dashboard.read_model().figures(&orderlog::read::Utc);
    // By hand: live orders #1001 (24.00, paid, refund 0), #1002 (5.00, unpaid), #1003 (30.00,
    // paid 20.00), #1004 (12.00, paid and refunded 12.00), #1005 (15.00, paid, refunded 5.00);
    // #1006 placed and cancelled.
    assert_eq!((f.orders, f.cancelled, f.open, f.units), (6, 1, 3, 12));
    assert_eq!(
        (
            f.sales,
            f.refunds,
            f.net_sales,
            f.collected,
            f.outstanding,
            f.average_order_value
        ),
        (
            cents(8_600),
            cents(1_700),
            cents(6_900),
            cents(5_400),
            cents(1_500),
            Some(cents(1_720))
        )
    );

    let mut orders = ProjectionRunner::new(ReadModels::default());
    orders.apply_all(&log);
    let ada = &orders.read_model().orders().rows()[0];
    assert_eq!(
        (ada.customer.as_str(), ada.total),
        ("Lovelace, Ada", cents(2_400))
    );
}

#[test]
fn importing_the_same_file_twice_adds_nothing() {
    let store = MemoryStore::new();
    let first = plan(EXPORT).unwrap().for_customers(&BTreeMap::new());
    block_on(load_plan(&store, first)).unwrap();
    let again = plan(EXPORT).unwrap().for_customers(&BTreeMap::new());

    let outcome = block_on(load_plan(&store, again)).unwrap();
    assert_eq!(outcome.written, 0);
}

#[test]
fn files_that_are_not_exports_are_refused_whole() {
    assert_eq!(plan(""), Err(ImportError::Empty));
    assert_eq!(plan("\u{feff}\r\n"), Err(ImportError::Empty));
    assert_eq!(
        plan("Name,Email\r\n#1,a@b.c\r\n"),
        Err(ImportError::MissingColumn("Lineitem quantity"))
    );
}

fn dashboard_of(store: &MemoryStore) -> orderlog::read::DashboardFigures {
    let mut dashboard = ProjectionRunner::new(ReadModels::default());
    dashboard.apply_all(&block_on(store.read_all(1, 100_000)).unwrap());
    dashboard.read_model().figures(&orderlog::read::Utc)
}

fn imported(text: &str) -> MemoryStore {
    let store = MemoryStore::new();
    let preview = plan(text).unwrap().for_customers(&BTreeMap::new());
    block_on(load_plan(&store, preview)).unwrap();
    store
}

#[test]
fn exporting_and_importing_into_an_empty_store_gives_the_same_dashboard() {
    let original = imported(EXPORT);
    let mut orders = ProjectionRunner::new(ReadModels::default());
    orders.apply_all(&block_on(original.read_all(1, 100_000)).unwrap());

    let exported = orderlog::io::shopify::export(orders.read_model().numbered_orders()).unwrap();
    let round_trip = imported(&exported);
    assert_eq!(plan(&exported).unwrap().rejected, vec![], "{exported}");
    assert_eq!(dashboard_of(&round_trip), dashboard_of(&original));
}

/// The orders list of a store, as (customer, SKUs) per order.
fn customers_and_skus(store: &MemoryStore) -> Vec<(String, String)> {
    let mut orders = ProjectionRunner::new(ReadModels::default());
    orders.apply_all(&block_on(store.read_all(1, 100_000)).unwrap());
    orders
        .read_model()
        .numbered_orders()
        .map(|(_, order)| {
            let skus = order.lines().iter().map(|l| l.line.sku.as_str().to_owned());
            (
                order.header().unwrap().customer.as_str().to_owned(),
                skus.collect::<Vec<_>>().join(" "),
            )
        })
        .collect()
}

#[test]
fn text_a_spreadsheet_would_run_as_a_formula_is_defused_on_export_and_restored_on_import() {
    let hostile = "Name,Email,Financial Status,Created at,Lineitem quantity,Lineitem name,Lineitem price,Lineitem sku,Billing Name,Notes\n\
        #1,mail@example.com,pending,2026-05-01 10:00:00 +0000,1,+cmd|' /C calc'!A0,2.00,@SUM(A1:A9),=1+2,-5 units\n\
        #2,x@example.com,pending,2026-05-01 11:00:00 +0000,1,Tea,2.00,TEA-1,Ada Lovelace,\n";
    let original = imported(hostile);
    let mut orders = ProjectionRunner::new(ReadModels::default());
    orders.apply_all(&block_on(original.read_all(1, 100_000)).unwrap());
    let exported = orderlog::io::shopify::export(orders.read_model().numbered_orders()).unwrap();

    let mut cells = Vec::new();
    for record in csv::Reader::from_reader(exported.as_bytes()).records() {
        cells.extend(record.unwrap().iter().map(str::to_owned));
    }
    for defused in ["'=1+2", "'@SUM(A1:A9)", "'-5 units", "'+cmd|' /C calc'!A0"] {
        assert!(
            cells.iter().any(|c| c == defused),
            "{defused} in {exported}"
        );
    }
    assert!(
        cells.iter().all(|c| !c.starts_with(['=', '+', '-', '@'])),
        "no cell starts like a formula: {exported}"
    );
    assert!(
        cells.iter().any(|c| c == "Ada Lovelace"),
        "plain text is left alone"
    );

    let round_trip = imported(&exported);
    assert_eq!(
        customers_and_skus(&round_trip),
        customers_and_skus(&original)
    );
    assert_eq!(
        customers_and_skus(&original)[0],
        ("=1+2".to_owned(), "@SUM(A1:A9)".to_owned())
    );
}

#[test]
fn an_import_makes_a_customer_per_email_matches_one_already_known_and_registers_no_one_twice() {
    let store = MemoryStore::new();
    let preview = plan(EXPORT).unwrap().for_customers(&BTreeMap::new());
    let emails: Vec<String> = preview
        .customers
        .iter()
        .map(|(_, command, _)| match command {
            orderlog::domain::customer::CustomerCommand::Register(details) => {
                details.email.as_ref().unwrap().as_str().to_owned()
            }
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(emails, ["ada@example.com", "edsger@example.nl"]);
    block_on(load_plan(&store, preview)).unwrap();
    let mut side = ProjectionRunner::new(ReadModels::default());
    side.apply_all(&block_on(store.read_all(1, 100_000)).unwrap());
    let rows = side.read_model().customer_rows();
    assert_eq!(rows.len(), 2);
    let ada = rows
        .iter()
        .find(|row| row.details.name.as_str() == "Lovelace, Ada")
        .unwrap();
    assert_eq!((ada.orders, ada.spent), (1, cents(2_400)));
    let figures = side.read_model().figures(&orderlog::read::Utc);
    assert_eq!(
        figures.customers, 6,
        "two by email, the rest by the name on the order"
    );

    // Again: the same customers, nothing written.
    let again = plan(EXPORT)
        .unwrap()
        .for_customers(&orderlog::read::customers::by_email(
            side.read_model().shop(),
        ));
    assert!(again.customers.is_empty(), "{:?}", again.customers);
    assert_eq!(block_on(load_plan(&store, again)).unwrap().written, 0);

    // A customer typed by hand with that email is the one an import finds.
    let known = BTreeMap::from([("ada@example.com".to_owned(), "by-hand".to_owned())]);
    let matched = plan(EXPORT).unwrap().for_customers(&known);
    let ada_order = matched
        .commands
        .iter()
        .find_map(|(_, command, _)| match command {
            orderlog::domain::OrderCommand::Create(create)
                if create
                    .email
                    .as_ref()
                    .is_some_and(|e| e.as_str() == "ada@example.com") =>
            {
                Some(create.customer_id.clone())
            }
            _ => None,
        })
        .unwrap();
    assert_eq!(ada_order.as_deref(), Some("by-hand"));
    assert_eq!(matched.customers.len(), 1, "only edsger is new");
}
