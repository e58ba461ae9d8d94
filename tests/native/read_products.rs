//! The products view as a fold: given a shop's log, written by real commands and the stock
//! policy, the row each product shows; and, over random shops, each row is its product
//! stream's own fold, and folding one event at a time equals folding all at once.

use orderlog::domain::{
    product_stream, Product, ProductCommand, ProductEvent, Quantity, Remark, Sku,
};
use orderlog::es::{codec, Aggregate, ProjectionRunner};
use orderlog::read::{ProductRow, ReadModels};
use proptest::prelude::*;

use crate::support::random_shop::{run, steps};
use crate::support::shop::{cancel, cents, create, fulfil_all, line, place, sku, Shop, JAN_2026};
use crate::support::stored;

fn rows(shop: &Shop) -> Vec<ProductRow> {
    shop.fold::<ReadModels>().product_rows()
}

/// The row of a registered product with `on_hand` units and nothing reserved.
fn in_stock(sku_text: &str, name: &str, price: u64, on_hand: u64) -> ProductRow {
    ProductRow {
        sku: sku(sku_text),
        name: name.into(),
        price: Some(cents(price)),
        on_hand,
        reserved: 0,
        back_ordered: 0,
        available: on_hand,
        reorder_level: 0,
        below_reorder_level: false,
        tax_rate: None,
    }
}

/// Tea (4.50), ten on hand, and order a for three of them, placed.
fn tea_on_order() -> Shop {
    let mut shop = Shop::default();
    shop.stocked("TEA-1", "Tea", 450, 10)
        .order("a", create(JAN_2026, vec![line(1, "TEA-1", 3, 450, 0)]))
        .order("a", place());
    shop
}

#[test]
fn given_an_empty_shop_then_there_are_no_rows() {
    assert_eq!(rows(&Shop::default()), vec![]);
}

#[test]
fn given_a_registered_product_with_stock_then_its_row_shows_its_listing_and_stock() {
    let mut shop = Shop::default();
    shop.stocked("TEA-1", "Tea", 450, 10);

    assert_eq!(rows(&shop), vec![in_stock("TEA-1", "Tea", 450, 10)]);
}

#[test]
fn given_products_registered_in_any_order_then_rows_are_sorted_by_sku() {
    let mut shop = Shop::default();
    shop.stocked("MUG-2", "Mug", 1_250, 1)
        .stocked("BAG-9", "Bag", 300, 2)
        .stocked("TEA-1", "Tea", 450, 3);

    assert_eq!(
        rows(&shop),
        vec![
            in_stock("BAG-9", "Bag", 300, 2),
            in_stock("MUG-2", "Mug", 1_250, 1),
            in_stock("TEA-1", "Tea", 450, 3),
        ]
    );
}

#[test]
fn given_a_placed_order_then_its_units_are_reserved_and_no_longer_available() {
    assert_eq!(
        rows(&tea_on_order()),
        vec![ProductRow {
            reserved: 3,
            available: 7,
            ..in_stock("TEA-1", "Tea", 450, 10)
        }]
    );
}

#[test]
fn given_a_placed_order_when_it_ships_then_its_units_leave_the_stock() {
    let mut shop = tea_on_order();
    shop.order("a", fulfil_all());

    assert_eq!(rows(&shop), vec![in_stock("TEA-1", "Tea", 450, 7)]);
}

#[test]
fn given_a_placed_order_when_it_is_cancelled_then_its_units_are_available_again() {
    let mut shop = tea_on_order();
    shop.order("a", cancel());

    assert_eq!(rows(&shop), vec![in_stock("TEA-1", "Tea", 450, 10)]);
}

#[test]
fn given_a_sku_never_registered_when_an_order_reserves_it_then_it_has_a_row_with_no_name_or_price()
{
    let mut shop = Shop::default();
    shop.order("a", create(JAN_2026, vec![line(1, "MUG-9", 2, 800, 0)]))
        .order("a", place());

    assert_eq!(
        rows(&shop),
        vec![ProductRow {
            sku: sku("MUG-9"),
            name: String::new(),
            price: None,
            on_hand: 0,
            reserved: 0,
            back_ordered: 2,
            available: 0,
            reorder_level: 0,
            below_reorder_level: false,
            tax_rate: None,
        }]
    );
}

#[test]
fn given_more_ordered_than_on_hand_then_the_rest_is_back_ordered() {
    let mut shop = Shop::default();
    shop.stocked("TEA-1", "Tea", 450, 2)
        .order("a", create(JAN_2026, vec![line(1, "TEA-1", 5, 450, 0)]))
        .order("a", place());

    assert_eq!(
        rows(&shop),
        vec![ProductRow {
            reserved: 2,
            back_ordered: 3,
            available: 0,
            ..in_stock("TEA-1", "Tea", 450, 2)
        }]
    );
}

#[test]
fn given_a_reorder_level_when_available_stock_falls_below_it_then_the_row_says_so() {
    let mut shop = Shop::default();
    shop.stocked("TEA-1", "Tea", 450, 10)
        .product("TEA-1", ProductCommand::SetReorderLevel { level: 4 })
        .product(
            "TEA-1",
            ProductCommand::AdjustStock {
                by: -7,
                reason: Remark::parse("breakage").unwrap(),
            },
        );

    assert_eq!(
        rows(&shop),
        vec![ProductRow {
            reorder_level: 4,
            below_reorder_level: true,
            tax_rate: None,
            ..in_stock("TEA-1", "Tea", 450, 3)
        }]
    );
}

#[test]
fn given_only_draft_orders_then_no_product_has_a_row() {
    let mut shop = Shop::default();
    shop.order("a", create(JAN_2026, vec![line(1, "TEA-1", 1, 450, 0)]));

    assert_eq!(rows(&shop), vec![]);
}

#[test]
fn a_row_is_found_by_its_sku() {
    let mut shop = Shop::default();
    shop.stocked("TEA-1", "Tea", 450, 10)
        .stocked("MUG-2", "Mug", 1_250, 1);
    let view = shop.fold::<ReadModels>();

    assert_eq!(
        (
            view.product_row(&sku("MUG-2")),
            view.product_row(&sku("BAG-9"))
        ),
        (Some(in_stock("MUG-2", "Mug", 1_250, 1)), None)
    );
}

#[test]
fn given_a_product_event_outside_a_product_stream_then_no_row_appears() {
    let event = ProductEvent::StockReceived {
        quantity: Quantity::new(5).unwrap(),
    };
    let encoded = codec::encode(&event).unwrap();
    let mut runner = ProjectionRunner::new(ReadModels::default());

    assert_eq!(
        runner.apply_all(&[stored(1, &encoded.event_type, &encoded.payload)]),
        1
    );
    assert_eq!(runner.read_model().product_rows(), vec![]);
}

/// Each product stream's own fold, by SKU.
fn products_by_the_book(shop: &Shop) -> Vec<(Sku, Product)> {
    let events = shop.events();
    let mut skus: Vec<Sku> = events
        .iter()
        .filter_map(|e| e.stream_id.strip_prefix("product-"))
        .map(sku)
        .collect();
    skus.sort();
    skus.dedup();
    skus.into_iter()
        .map(|sku| {
            let stream = product_stream(&sku);
            let product = events
                .iter()
                .filter(|e| e.stream_id == stream)
                .map(|e| {
                    codec::decode::<ProductEvent>(&e.event_type, e.schema_version, &e.payload)
                        .unwrap()
                })
                .fold(Product::default(), |product, event| product.evolve(&event));
            (sku, product)
        })
        .collect()
}

proptest! {
    #[test]
    fn each_row_is_its_product_streams_own_fold(steps in steps()) {
        let shop = run(&steps);
        let expected: Vec<ProductRow> = products_by_the_book(&shop)
            .into_iter()
            .map(|(sku, product)| ProductRow {
                sku,
                name: product.listing().map_or_else(String::new, |l| l.name.as_str().to_owned()),
                price: product.listing().map(|l| l.price),
                on_hand: product.on_hand(),
                reserved: product.reserved(),
                back_ordered: product.back_ordered(),
                available: product.available(),
                reorder_level: product.reorder_level(),
                below_reorder_level: product.is_below_reorder_level(),
                tax_rate: None,
            })
            .collect();

        let rows = rows(&shop);
        prop_assert_eq!(&rows, &expected);
        for row in &rows {
            prop_assert_eq!(row.available + row.reserved, row.on_hand);
            prop_assert_eq!(row.below_reorder_level, row.available < row.reorder_level);
        }
    }

    #[test]
    fn folding_one_event_at_a_time_equals_folding_all_at_once(steps in steps()) {
        let events = run(&steps).events();
        let mut at_once = ProjectionRunner::new(ReadModels::default());
        at_once.apply_all(&events);
        let mut one_by_one = ProjectionRunner::new(ReadModels::default());
        for event in &events {
            one_by_one.apply_all(std::slice::from_ref(event));
        }

        prop_assert_eq!(one_by_one.read_model().product_rows(), at_once.read_model().product_rows());
        prop_assert_eq!(one_by_one.read_model(), at_once.read_model());
        prop_assert_eq!(one_by_one.checkpoint(), events.len() as u64);
    }

    #[test]
    fn a_saved_products_view_reads_back_the_same(steps in steps()) {
        let events = run(&steps).events();
        let mut side = ProjectionRunner::new(ReadModels::default());
        side.apply_all(&events);
        let restored = ProjectionRunner::<ReadModels>::restore(
            side.save().unwrap(),
            events.last(),
            orderlog::es::UnreadableEvents::Halt,
        );

        prop_assert_eq!(restored.checkpoint(), events.len() as u64);
        prop_assert_eq!(restored.read_model().product_rows(), side.read_model().product_rows());
    }
}

#[test]
fn the_form_is_offered_skus_starting_with_the_text_first_then_other_matches_in_sku_order() {
    let never_registered = ProductRow {
        name: String::new(),
        price: None,
        ..in_stock("TEA-0", "", 0, 0)
    };
    let rows = [
        in_stock("BLACK-TEA", "Black tea", 450, 1),
        in_stock("MUG", "Tea mug", 900, 1),
        never_registered,
        in_stock("TEA-1", "Green", 300, 1),
        in_stock("TEA-2", "Oolong", 500, 1),
    ];
    let skus = |text: &str, at_most: usize| {
        orderlog::read::matching(&rows, text, at_most)
            .into_iter()
            .map(|row| row.sku.as_str().to_owned())
            .collect::<Vec<_>>()
    };
    assert_eq!(skus("tea", 10), ["TEA-1", "TEA-2", "BLACK-TEA", "MUG"]);
    assert_eq!(skus("TEA", 3), ["TEA-1", "TEA-2", "BLACK-TEA"]);
    assert_eq!(skus("oolong", 10), ["TEA-2"]);
    assert_eq!(skus("coffee", 10), Vec::<String>::new());
}
