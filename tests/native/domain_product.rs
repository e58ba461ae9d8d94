//! The product decider as a specification: the catalogue entry and the stock ledger, given
//! events, when a command, then events or an error; then the figures derived from the state.

use orderlog::domain::{
    LineId, Money, Product, ProductCommand, ProductError, ProductEvent, ProductName, Quantity,
    RateName, Remark, ReservationId, Sku,
};
use orderlog::es::{codec, Aggregate};

use crate::support;

fn given(events: impl IntoIterator<Item = ProductEvent>) -> support::Given<Product> {
    support::given(events)
}

fn product_after(events: impl IntoIterator<Item = ProductEvent>) -> Product {
    events
        .into_iter()
        .fold(Product::default(), |product, event| product.evolve(&event))
}

fn units(quantity: u32) -> Quantity {
    Quantity::new(quantity).unwrap()
}

fn remark(text: &str) -> Remark {
    Remark::parse(text).unwrap()
}

/// The reservation for line `line` of order `order`.
fn res(order: &str, line: u32) -> ReservationId {
    ReservationId {
        order_id: order.into(),
        line_id: LineId(line),
    }
}

// Events.

fn registered() -> ProductEvent {
    ProductEvent::ProductRegistered {
        sku: Sku::parse("TEA-1").unwrap(),
        name: ProductName::parse("Sencha, 100 g").unwrap(),
        price: Money::from_cents(450),
    }
}

fn received(quantity: u32) -> ProductEvent {
    ProductEvent::StockReceived {
        quantity: units(quantity),
    }
}

fn adjusted(by: i64) -> ProductEvent {
    ProductEvent::StockAdjusted {
        by,
        reason: remark("counted"),
    }
}

fn reserved(id: ReservationId, reserved: u64, back_ordered: u64) -> ProductEvent {
    ProductEvent::StockReserved {
        reservation: id,
        reserved,
        back_ordered,
    }
}

fn consumed(
    id: ReservationId,
    from_reserved: u64,
    from_available: u64,
    not_on_hand: u64,
) -> ProductEvent {
    ProductEvent::StockConsumed {
        reservation: id,
        from_reserved,
        from_available,
        not_on_hand,
    }
}

/// Registered with 10 on hand.
fn stocked() -> Vec<ProductEvent> {
    vec![registered(), received(10)]
}

fn with(
    mut events: Vec<ProductEvent>,
    more: impl IntoIterator<Item = ProductEvent>,
) -> Vec<ProductEvent> {
    events.extend(more);
    events
}

// Commands.

fn register() -> ProductCommand {
    ProductCommand::Register {
        sku: Sku::parse("TEA-1").unwrap(),
        name: ProductName::parse("Sencha, 100 g").unwrap(),
        price: Money::from_cents(450),
    }
}

fn receive(quantity: u32) -> ProductCommand {
    ProductCommand::ReceiveStock {
        quantity: units(quantity),
    }
}

fn adjust(by: i64) -> ProductCommand {
    ProductCommand::AdjustStock {
        by,
        reason: remark("counted"),
    }
}

fn reserve(id: ReservationId, quantity: u32) -> ProductCommand {
    ProductCommand::Reserve {
        reservation: id,
        quantity: units(quantity),
    }
}

fn consume(id: ReservationId, quantity: u32) -> ProductCommand {
    ProductCommand::Consume {
        reservation: id,
        quantity: units(quantity),
    }
}

// Registering.

#[test]
fn given_nothing_when_registering_then_the_product_is_listed() {
    given([]).when(register()).then(vec![registered()]);
}

#[test]
fn given_a_registered_product_when_registering_again_then_it_is_refused() {
    given([registered()])
        .when(register())
        .then_err(ProductError::AlreadyRegistered);
}

#[test]
fn given_reservations_on_an_unregistered_sku_when_registering_then_the_product_is_listed() {
    given([reserved(res("o1", 1), 0, 2)])
        .when(register())
        .then(vec![registered()]);
}

#[test]
fn given_an_unregistered_sku_when_the_seller_moves_stock_then_it_must_be_registered_first() {
    for command in [
        receive(1),
        adjust(1),
        ProductCommand::SetReorderLevel { level: 3 },
    ] {
        given([])
            .when(command)
            .then_err(ProductError::NotRegistered);
    }
}

// Receiving and adjusting.

#[test]
fn given_a_registered_product_when_receiving_stock_then_it_is_recorded() {
    given([registered()])
        .when(receive(12))
        .then(vec![received(12)]);
}

#[test]
fn given_the_largest_stock_when_receiving_more_then_it_is_refused_never_wrapped() {
    given([registered(), adjusted(i64::MAX), adjusted(i64::MAX)])
        .when(receive(2))
        .then_err(ProductError::StockTooLarge);
}

#[test]
fn given_stock_when_adjusting_down_then_it_is_recorded() {
    given(stocked()).when(adjust(-3)).then(vec![adjusted(-3)]);
}

#[test]
fn given_stock_when_adjusting_by_nothing_then_it_is_refused() {
    given(stocked())
        .when(adjust(0))
        .then_err(ProductError::NoChange);
}

#[test]
fn given_stock_when_adjusting_below_zero_then_it_is_refused() {
    given(stocked())
        .when(adjust(-11))
        .then_err(ProductError::NotEnoughOnHand { on_hand: 10 });
}

#[test]
fn given_reserved_stock_when_adjusting_below_the_reserved_units_then_it_is_refused() {
    given(with(stocked(), [reserved(res("o1", 1), 4, 0)]))
        .when(adjust(-7))
        .then_err(ProductError::BelowReserved { reserved: 4 });
}

#[test]
fn given_the_largest_stock_when_adjusting_up_then_it_is_refused_never_wrapped() {
    given([registered(), adjusted(i64::MAX), adjusted(i64::MAX)])
        .when(adjust(2))
        .then_err(ProductError::StockTooLarge);
}

// Reorder level.

#[test]
fn given_a_registered_product_when_setting_a_reorder_level_then_it_is_recorded() {
    given(stocked())
        .when(ProductCommand::SetReorderLevel { level: 5 })
        .then(vec![ProductEvent::ReorderLevelSet { level: 5 }]);
}

#[test]
fn given_a_reorder_level_when_setting_the_same_level_then_nothing_is_recorded() {
    given(with(
        stocked(),
        [ProductEvent::ReorderLevelSet { level: 5 }],
    ))
    .when(ProductCommand::SetReorderLevel { level: 5 })
    .then(vec![]);
}

// Tax rate.

/// The rate a product names: "Reduced".
fn reduced() -> Option<RateName> {
    RateName::parse("Reduced").ok()
}

#[test]
fn given_a_registered_product_when_setting_its_tax_rate_then_it_is_recorded_and_kept() {
    given(stocked())
        .when(ProductCommand::SetTaxRate { rate: reduced() })
        .then(vec![ProductEvent::TaxRateSet { rate: reduced() }]);
    let product = product_after(with(
        stocked(),
        [ProductEvent::TaxRateSet { rate: reduced() }],
    ));
    assert_eq!(product.tax_rate(), reduced().as_ref());
}

#[test]
fn given_a_products_rate_when_setting_it_again_then_nothing_is_recorded_and_none_restores_the_default(
) {
    let history = with(stocked(), [ProductEvent::TaxRateSet { rate: reduced() }]);
    given(history.clone())
        .when(ProductCommand::SetTaxRate { rate: reduced() })
        .then(vec![]);
    given(history)
        .when(ProductCommand::SetTaxRate { rate: None })
        .then(vec![ProductEvent::TaxRateSet { rate: None }]);
}

#[test]
fn given_an_unregistered_product_when_setting_its_tax_rate_then_it_is_refused() {
    given([])
        .when(ProductCommand::SetTaxRate { rate: reduced() })
        .then_err(ProductError::NotRegistered);
}

#[test]
fn a_tax_rate_set_is_stored_in_a_fixed_json_shape() {
    let stored = codec::encode(&ProductEvent::TaxRateSet { rate: reduced() }).unwrap();
    assert_eq!(stored.event_type, "TaxRateSet");
    assert_eq!(stored.payload, r#"{"rate":"Reduced"}"#);
}

// Reserving.

#[test]
fn given_enough_stock_when_reserving_then_every_unit_is_reserved() {
    given(stocked())
        .when(reserve(res("o1", 1), 4))
        .then(vec![reserved(res("o1", 1), 4, 0)]);
}

#[test]
fn given_short_stock_when_reserving_then_the_shortfall_is_back_ordered() {
    given(with(stocked(), [reserved(res("o1", 1), 8, 0)]))
        .when(reserve(res("o2", 1), 5))
        .then(vec![reserved(res("o2", 1), 2, 3)]);
}

#[test]
fn given_an_unregistered_sku_when_reserving_then_it_is_back_ordered_in_full() {
    given([])
        .when(reserve(res("o1", 1), 3))
        .then(vec![reserved(res("o1", 1), 0, 3)]);
}

#[test]
fn given_a_reservation_when_reserving_for_the_same_line_again_then_it_is_refused() {
    given(with(stocked(), [reserved(res("o1", 1), 1, 0)]))
        .when(reserve(res("o1", 1), 1))
        .then_err(ProductError::AlreadyReserved(res("o1", 1)));
}

// Releasing.

#[test]
fn given_a_reservation_when_releasing_it_then_what_it_held_and_awaited_is_given_back() {
    given(with(stocked(), [reserved(res("o1", 1), 10, 2)]))
        .when(ProductCommand::Release {
            reservation: res("o1", 1),
        })
        .then(vec![ProductEvent::ReservationReleased {
            reservation: res("o1", 1),
            reserved: 10,
            back_ordered: 2,
        }]);
}

#[test]
fn given_no_such_reservation_when_releasing_then_it_is_refused() {
    given(stocked())
        .when(ProductCommand::Release {
            reservation: res("o1", 1),
        })
        .then_err(ProductError::UnknownReservation(res("o1", 1)));
}

// Consuming.

#[test]
fn given_a_reservation_when_consuming_part_of_it_then_it_comes_out_of_the_reserved_units() {
    given(with(stocked(), [reserved(res("o1", 1), 4, 0)]))
        .when(consume(res("o1", 1), 3))
        .then(vec![consumed(res("o1", 1), 3, 0, 0)]);
}

#[test]
fn given_a_back_order_and_new_stock_when_consuming_then_it_comes_out_of_available_stock() {
    given([
        registered(),
        received(2),
        reserved(res("o1", 1), 2, 3),
        received(5),
    ])
    .when(consume(res("o1", 1), 5))
    .then(vec![consumed(res("o1", 1), 2, 3, 0)]);
}

#[test]
fn given_a_back_order_and_no_stock_when_consuming_then_the_missing_units_are_recorded() {
    given([reserved(res("o1", 1), 0, 3)])
        .when(consume(res("o1", 1), 3))
        .then(vec![consumed(res("o1", 1), 0, 0, 3)]);
}

#[test]
fn given_a_reservation_when_consuming_more_than_it_holds_then_it_is_refused() {
    given(with(stocked(), [reserved(res("o1", 1), 2, 1)]))
        .when(consume(res("o1", 1), 4))
        .then_err(ProductError::ConsumesMoreThanReserved {
            reservation: res("o1", 1),
            reserved: 3,
        });
}

#[test]
fn given_no_such_reservation_when_consuming_then_it_is_refused() {
    given(stocked())
        .when(consume(res("o1", 1), 1))
        .then_err(ProductError::UnknownReservation(res("o1", 1)));
}

// Figures derived from the state.

#[test]
fn available_stock_is_on_hand_less_reserved() {
    let product = product_after(with(
        stocked(),
        [reserved(res("o1", 1), 4, 0), reserved(res("o2", 1), 6, 5)],
    ));
    assert_eq!(
        (
            product.on_hand(),
            product.reserved(),
            product.back_ordered(),
            product.available()
        ),
        (10, 10, 5, 0)
    );
}

#[test]
fn a_released_reservation_makes_its_units_available_again() {
    let product = product_after(with(
        stocked(),
        [
            reserved(res("o1", 1), 4, 0),
            ProductEvent::ReservationReleased {
                reservation: res("o1", 1),
                reserved: 4,
                back_ordered: 0,
            },
        ],
    ));
    assert_eq!(
        (product.available(), product.reservations().count()),
        (10, 0)
    );
}

#[test]
fn consumed_units_leave_the_shop_and_a_finished_reservation_closes() {
    let product = product_after(with(
        stocked(),
        [
            reserved(res("o1", 1), 4, 0),
            consumed(res("o1", 1), 4, 0, 0),
        ],
    ));
    assert_eq!(
        (
            product.on_hand(),
            product.available(),
            product.reservation(&res("o1", 1))
        ),
        (6, 6, None)
    );
}

#[test]
fn a_product_is_below_its_reorder_level_when_fewer_units_are_available() {
    let level = |events: Vec<ProductEvent>| product_after(events).is_below_reorder_level();
    let at_level_five = with(stocked(), [ProductEvent::ReorderLevelSet { level: 5 }]);
    assert!(!level(at_level_five.clone()));
    assert!(!level(with(
        at_level_five.clone(),
        [reserved(res("o1", 1), 5, 0)]
    )));
    assert!(level(with(at_level_five, [reserved(res("o1", 1), 6, 0)])));
    assert!(
        !level(vec![registered()]),
        "a level of zero never asks to reorder"
    );
}

#[test]
fn every_refusal_reads_as_a_shop_owner_would_say_it() {
    for (error, message) in [
        (
            ProductError::AlreadyRegistered,
            "this product is already registered",
        ),
        (ProductError::NotRegistered, "register this product first"),
        (
            ProductError::NoChange,
            "an adjustment must change the stock",
        ),
        (
            ProductError::NotEnoughOnHand { on_hand: 10 },
            "only 10 units are on hand",
        ),
        (
            ProductError::BelowReserved { reserved: 4 },
            "stock on hand cannot go below the 4 units reserved for orders",
        ),
        (
            ProductError::StockTooLarge,
            "the stock count is too large to record",
        ),
        (
            ProductError::AlreadyReserved(res("o1", 2)),
            "line 2 of order o1 already has stock reserved",
        ),
        (
            ProductError::UnknownReservation(res("o1", 2)),
            "line 2 of order o1 has no stock reserved",
        ),
        (
            ProductError::ConsumesMoreThanReserved {
                reservation: res("o1", 2),
                reserved: 3,
            },
            "line 2 of order o1 has only 3 units reserved or back-ordered",
        ),
    ] {
        assert_eq!(error.to_string(), message);
    }
}

#[test]
fn stock_reserved_is_stored_in_a_fixed_json_shape() {
    let stored = codec::encode(&reserved(res("order-7", 1), 2, 3)).unwrap();
    assert_eq!(stored.event_type, "StockReserved");
    assert_eq!(
        stored.payload,
        r#"{"back_ordered":3,"reservation":{"line_id":1,"order_id":"order-7"},"reserved":2}"#
    );
}

#[test]
fn a_product_state_survives_a_json_snapshot() {
    let product = product_after(with(
        stocked(),
        [
            ProductEvent::ReorderLevelSet { level: 3 },
            reserved(res("o1", 1), 4, 1),
        ],
    ));
    let snapshot = serde_json::to_string(&product).unwrap();
    assert_eq!(serde_json::from_str::<Product>(&snapshot).unwrap(), product);
}
