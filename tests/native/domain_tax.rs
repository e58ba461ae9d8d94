//! Tax by rate, discounts and their rounding, and the shop's settings and invoice numbers, as
//! specifications: given events, when a command, then events or an error; the figures an
//! order derives from them, worked out by hand; and the stored JSON.

use orderlog::domain::{
    Address, CreateOrder, Currency, CustomerName, Discount, LineId, Money, Order, OrderCommand,
    OrderError, OrderEvent, OrderLine, ProductName, Quantity, Rate, RateName, Shop, ShopLine,
    ShopSettings, ShopSettingsCommand, ShopSettingsError, ShopSettingsEvent, Sku, TaxRate,
    TimeZone, Timestamp,
};
use orderlog::es::{codec, Aggregate};

use crate::support;

const AT: Timestamp = Timestamp(1_767_225_600_000);

fn cents(cents: u64) -> Money {
    Money::from_cents(cents)
}

fn rate(percent: &str) -> Rate {
    Rate::parse(percent).unwrap()
}

fn tax_rate(name: &str, percent: &str) -> TaxRate {
    TaxRate {
        name: RateName::parse(name).unwrap(),
        rate: rate(percent),
    }
}

fn vat() -> TaxRate {
    tax_rate("VAT", "20")
}

fn reduced() -> TaxRate {
    tax_rate("Reduced", "5.5")
}

/// Line `id`: `quantity` units at `unit_cents`, taxed at `tax`, no discount.
fn line(id: u32, quantity: u32, unit_cents: u64, tax: Option<TaxRate>) -> OrderLine {
    OrderLine {
        line_id: LineId(id),
        sku: Sku::parse(&format!("SKU-{id}")).unwrap(),
        product_name: ProductName::parse(&format!("Item {id}")).unwrap(),
        quantity: Quantity::new(quantity).unwrap(),
        unit_price: cents(unit_cents),
        discount: Money::ZERO,
        discount_percent: None,
        tax,
    }
}

fn eur() -> Currency {
    Currency::new(*b"EUR")
}

fn created(prices_include_tax: bool) -> OrderEvent {
    OrderEvent::OrderCreated {
        name: None,
        customer: CustomerName::parse("Ada").unwrap(),
        email: None,
        customer_id: None,
        exchange_for: None,
        currency: Currency::new(*b"EUR"),
        created_at: AT,
        prices_include_tax,
    }
}

fn given(events: impl IntoIterator<Item = OrderEvent>) -> support::Given<Order> {
    support::given(events)
}

fn order(prices_include_tax: bool, lines: Vec<OrderLine>) -> Vec<OrderEvent> {
    std::iter::once(created(prices_include_tax))
        .chain(lines.into_iter().map(OrderEvent::LineAdded))
        .collect()
}

fn after(events: impl IntoIterator<Item = OrderEvent>) -> Order {
    events
        .into_iter()
        .fold(Order::default(), |order, event| order.evolve(&event))
}

fn order_discount(discount: Discount) -> OrderEvent {
    OrderEvent::OrderDiscountSet {
        discount: Some(discount),
    }
}

// Tax by rate.

#[test]
fn tax_on_prices_without_it_is_added_to_each_line_rounded_half_up() {
    // 3 × 3.33 = 9.99; 20% of it is 1.998, so 2.00.
    let order = after(order(false, vec![line(1, 3, 333, Some(vat()))]));
    assert_eq!(order.total_tax(), Some(cents(200)));
    assert_eq!(order.total(), Some(cents(1_199)));
}

#[test]
fn tax_on_prices_with_it_is_taken_out_of_each_line_and_adds_nothing() {
    // 12.00 including 20% holds 2.00 of tax.
    let order = after(order(true, vec![line(1, 1, 1_200, Some(vat()))]));
    assert_eq!(order.total_tax(), Some(cents(200)));
    assert_eq!(order.total(), Some(cents(1_200)));
}

#[test]
fn tax_is_rounded_per_line_and_the_order_tax_is_the_sum_of_the_rounded_lines() {
    // Each 0.05 line at 10% is 0.005 of tax, rounded up to 0.01: 0.02 in all, where the tax
    // of the sum (0.10 at 10%) would be 0.01.
    let ten = tax_rate("Sales", "10");
    let order = after(order(
        false,
        vec![line(1, 1, 5, Some(ten.clone())), line(2, 1, 5, Some(ten))],
    ));
    assert_eq!(order.total_tax(), Some(cents(2)));
    assert_eq!(order.total(), Some(cents(12)));
}

#[test]
fn the_order_shows_tax_by_rate_in_the_order_the_rates_first_appear_then_the_typed_tax() {
    let order = after(
        order(
            false,
            vec![
                line(1, 1, 1_000, Some(vat())),
                line(2, 2, 400, Some(reduced())),
                line(3, 1, 500, Some(vat())),
                line(4, 1, 300, None),
            ],
        )
        .into_iter()
        .chain([OrderEvent::ChargesSet {
            tax: cents(50),
            shipping: cents(400),
        }]),
    );
    let by_rate: Vec<(Option<TaxRate>, Money, Money)> = order
        .tax_by_rate()
        .unwrap()
        .into_iter()
        .map(|at| (at.rate, at.base, at.tax))
        .collect();
    assert_eq!(
        by_rate,
        vec![
            // 10.00 and 5.00 at 20%: 2.00 and 1.00.
            (Some(vat()), cents(1_500), cents(300)),
            // 8.00 at 5.5%: 0.44.
            (Some(reduced()), cents(800), cents(44)),
            (None, Money::ZERO, cents(50)),
        ]
    );
    // 26.00 of lines, 3.44 of rated tax, 0.50 typed, 4.00 shipping.
    assert_eq!(order.total(), Some(cents(3_394)));
}

#[test]
fn on_prices_with_tax_the_base_of_a_rate_is_the_lines_net_of_their_tax() {
    let order = after(order(true, vec![line(1, 1, 1_055, Some(reduced()))]));
    let at = &order.tax_by_rate().unwrap()[0];
    // 10.55 including 5.5% holds 0.55.
    assert_eq!((at.base, at.tax), (cents(1_000), cents(55)));
}

#[test]
fn a_line_without_a_rate_is_untaxed_as_every_order_before_rates_was() {
    let order = after(order(false, vec![line(1, 2, 450, None)]));
    assert_eq!(order.total_tax(), Some(Money::ZERO));
    assert_eq!(order.tax_by_rate(), Some(vec![]));
    assert_eq!(order.total(), Some(cents(900)));
}

// Discounts.

#[test]
fn a_percentage_off_a_line_is_rounded_half_up_and_taxed_after() {
    // 10% of 9.99 is 0.999, so 1.00; 8.99 at 20% is 1.798, so 1.80.
    let discounted = OrderLine {
        discount_percent: Some(rate("10")),
        ..line(1, 3, 333, Some(vat()))
    };
    let order = after(order(false, vec![discounted]));
    assert_eq!(order.discounts(), Some(cents(100)));
    assert_eq!(order.total_tax(), Some(cents(180)));
    assert_eq!(order.total(), Some(cents(1_079)));
}

#[test]
fn a_line_whose_fixed_and_percentage_discounts_exceed_it_is_refused() {
    let too_much = OrderLine {
        discount: cents(150),
        discount_percent: Some(rate("90")),
        ..line(1, 1, 1_000, None)
    };
    given(order(false, vec![]))
        .when(OrderCommand::AddLine(too_much))
        .then_err(OrderError::DiscountExceedsLine {
            line_id: LineId(1),
            line_total: cents(1_000).of(eur()),
        });
}

#[test]
fn an_order_discount_is_shared_over_the_lines_by_their_amounts_before_tax() {
    // 10% off 30.00 is 3.00: 2.00 off the 20.00 line at 20%, 1.00 off the 10.00 line at 5.5%.
    let history = order(
        false,
        vec![
            line(1, 1, 2_000, Some(vat())),
            line(2, 1, 1_000, Some(reduced())),
        ],
    );
    given(history.clone())
        .when(OrderCommand::SetDiscount {
            discount: Some(Discount::Percent(rate("10"))),
        })
        .then(vec![order_discount(Discount::Percent(rate("10")))]);
    let order = after(
        history
            .into_iter()
            .chain([order_discount(Discount::Percent(rate("10")))]),
    );
    let lines = order.line_figures().unwrap();
    assert_eq!(
        lines
            .iter()
            .map(|l| (l.order_discount, l.net, l.tax))
            .collect::<Vec<_>>(),
        // 18.00 × 20% = 3.60; 9.00 × 5.5% = 0.495, so 0.50.
        vec![
            (cents(200), cents(1_800), cents(360)),
            (cents(100), cents(900), cents(50))
        ]
    );
    assert_eq!(order.discounts(), Some(cents(300)));
    assert_eq!(order.total(), Some(cents(3_110)));
}

#[test]
fn a_fixed_order_discount_larger_than_the_subtotal_is_refused() {
    given(order(false, vec![line(1, 1, 1_000, None)]))
        .when(OrderCommand::SetDiscount {
            discount: Some(Discount::Amount(cents(1_001))),
        })
        .then_err(OrderError::DiscountExceedsOrder {
            subtotal: cents(1_000).of(eur()),
        });
}

#[test]
fn an_order_discount_never_takes_the_total_below_zero_when_lines_go() {
    let order = after(
        order(false, vec![line(1, 1, 1_000, None), line(2, 1, 500, None)])
            .into_iter()
            .chain([
                order_discount(Discount::Amount(cents(1_200))),
                OrderEvent::LineRemoved { line_id: LineId(1) },
            ]),
    );
    assert_eq!(order.order_discount(), Some(cents(500)));
    assert_eq!(order.total(), Some(Money::ZERO));
}

#[test]
fn setting_the_same_discount_again_records_nothing_and_none_takes_it_away() {
    let history: Vec<OrderEvent> = order(false, vec![line(1, 1, 1_000, None)])
        .into_iter()
        .chain([order_discount(Discount::Amount(cents(100)))])
        .collect();
    given(history.clone())
        .when(OrderCommand::SetDiscount {
            discount: Some(Discount::Amount(cents(100))),
        })
        .then(vec![]);
    given(history)
        .when(OrderCommand::SetDiscount { discount: None })
        .then(vec![OrderEvent::OrderDiscountSet { discount: None }]);
}

#[test]
fn a_placed_order_takes_no_discount() {
    given(
        order(false, vec![line(1, 1, 1_000, None)])
            .into_iter()
            .chain([OrderEvent::OrderPlaced { at: AT }]),
    )
    .when(OrderCommand::SetDiscount {
        discount: Some(Discount::Percent(rate("5"))),
    })
    .then_err(OrderError::LockedAfterPlacing);
}

#[test]
fn a_new_order_keeps_whether_its_prices_include_tax() {
    given([])
        .when(OrderCommand::Create(CreateOrder {
            name: None,
            customer: CustomerName::parse("Ada").unwrap(),
            email: None,
            customer_id: None,
            exchange_for: None,
            currency: Currency::new(*b"EUR"),
            prices_include_tax: true,
            lines: vec![],
            created_at: AT,
        }))
        .then(vec![created(true)]);
}

// The shop's settings.

fn settings() -> ShopSettings {
    ShopSettings {
        name: Some(ShopLine::parse("Café Lumière").unwrap()),
        address: Some(Address::parse("1 rue de la Paix\n75002 Paris").unwrap()),
        tax_number: Some(ShopLine::parse("FR40303265045").unwrap()),
        currency: Currency::new(*b"EUR"),
        time_zone: TimeZone::parse("Europe/Paris").unwrap(),
        prices_include_tax: true,
        tax_rates: vec![vat(), reduced()],
        default_rate: Some(vat().name),
    }
}

fn change(settings: ShopSettings, shop_has_orders: bool) -> ShopSettingsCommand {
    ShopSettingsCommand::Change {
        settings,
        shop_has_orders,
    }
}

fn shop(events: impl IntoIterator<Item = ShopSettingsEvent>) -> support::Given<Shop> {
    support::given(events)
}

#[test]
fn a_new_shop_records_its_settings_whole() {
    shop([])
        .when(change(settings(), false))
        .then(vec![ShopSettingsEvent::SettingsChanged(settings())]);
}

#[test]
fn the_same_settings_again_record_nothing() {
    shop([ShopSettingsEvent::SettingsChanged(settings())])
        .when(change(settings(), true))
        .then(vec![]);
}

#[test]
fn a_shop_with_orders_keeps_its_currency() {
    let in_yen = ShopSettings {
        currency: Currency::new(*b"JPY"),
        ..settings()
    };
    shop([ShopSettingsEvent::SettingsChanged(settings())])
        .when(change(in_yen.clone(), true))
        .then_err(ShopSettingsError::CurrencyLocked {
            current: Currency::new(*b"EUR"),
        });
    shop([ShopSettingsEvent::SettingsChanged(settings())])
        .when(change(in_yen.clone(), false))
        .then(vec![ShopSettingsEvent::SettingsChanged(in_yen)]);
}

#[test]
fn a_shop_with_orders_may_change_everything_but_its_currency() {
    let renamed = ShopSettings {
        name: Some(ShopLine::parse("Lumière").unwrap()),
        prices_include_tax: false,
        ..settings()
    };
    shop([ShopSettingsEvent::SettingsChanged(settings())])
        .when(change(renamed.clone(), true))
        .then(vec![ShopSettingsEvent::SettingsChanged(renamed)]);
}

#[test]
fn a_rate_listed_twice_or_a_default_that_is_no_rate_is_refused() {
    let twice = ShopSettings {
        tax_rates: vec![vat(), tax_rate("VAT", "10")],
        ..settings()
    };
    shop([])
        .when(change(twice, false))
        .then_err(ShopSettingsError::DuplicateRate("VAT".to_owned()));
    let unknown = ShopSettings {
        default_rate: Some(RateName::parse("Zero").unwrap()),
        ..settings()
    };
    shop([])
        .when(change(unknown, false))
        .then_err(ShopSettingsError::UnknownDefaultRate("Zero".to_owned()));
}

// Invoice numbers.

fn issue(order_id: &str) -> ShopSettingsCommand {
    ShopSettingsCommand::IssueInvoice {
        order_id: order_id.to_owned(),
        at: AT,
    }
}

fn issued(number: u64, order_id: &str) -> ShopSettingsEvent {
    ShopSettingsEvent::InvoiceIssued {
        number,
        order_id: order_id.to_owned(),
        at: AT,
    }
}

#[test]
fn invoice_numbers_follow_one_another_from_1() {
    shop([])
        .when(issue("order-a"))
        .then(vec![issued(1, "order-a")]);
    shop([issued(1, "order-a")])
        .when(issue("order-b"))
        .then(vec![issued(2, "order-b")]);
}

#[test]
fn an_invoiced_order_keeps_its_number() {
    shop([issued(1, "order-a"), issued(2, "order-b")])
        .when(issue("order-a"))
        .then(vec![]);
}

#[test]
fn a_number_is_never_given_twice_whatever_happens_to_its_order() {
    // The order's cancellation is in its own stream: the shop's numbers only go up.
    let history = [issued(1, "order-a"), issued(2, "order-b")];
    let state = history.iter().fold(Shop::default(), Aggregate::evolve);
    assert_eq!(state.invoice("order-a").map(|i| i.number), Some(1));
    shop(history)
        .when(issue("order-c"))
        .then(vec![issued(3, "order-c")]);
}

#[test]
fn settings_changes_leave_the_invoice_numbers_alone() {
    shop([
        issued(1, "order-a"),
        ShopSettingsEvent::SettingsChanged(settings()),
    ])
    .when(issue("order-b"))
    .then(vec![issued(2, "order-b")]);
}

#[test]
fn every_refusal_of_the_settings_reads_as_a_shop_owner_would_say_it() {
    assert_eq!(
        ShopSettingsError::CurrencyLocked {
            current: Currency::new(*b"EUR")
        }
        .to_string(),
        "the shop has orders in EUR: its currency cannot change (each order keeps the currency it was made in)"
    );
    assert_eq!(
        OrderError::DiscountExceedsOrder {
            subtotal: cents(1_000).of(eur())
        }
        .to_string(),
        "the discount exceeds the order's subtotal of 10.00"
    );
    assert_eq!(
        OrderError::Overpayment {
            due: cents(1_200).of(Currency::new(*b"JPY"))
        }
        .to_string(),
        "payment exceeds the balance due of 1,200",
        "yen have no minor units"
    );
}

// The stored shape.

#[test]
fn rated_and_discounted_lines_and_order_discounts_are_stored_in_a_fixed_json_shape() {
    let rated = OrderLine {
        discount_percent: Some(rate("12.5")),
        ..line(1, 2, 450, Some(reduced()))
    };
    let stored = codec::encode(&OrderEvent::LineAdded(rated)).unwrap();
    assert_eq!(
        stored.payload,
        r#"{"discount":0,"discount_percent":12500,"line_id":1,"product_name":"Item 1","quantity":2,"sku":"SKU-1","tax":{"name":"Reduced","rate":5500},"unit_price":450}"#
    );
    let stored = codec::encode(&order_discount(Discount::Percent(rate("10")))).unwrap();
    assert_eq!(stored.event_type, "OrderDiscountSet");
    assert_eq!(stored.payload, r#"{"discount":{"percent":10000}}"#);
    let stored = codec::encode(&created(true)).unwrap();
    assert_eq!(
        stored.payload,
        r#"{"created_at":1767225600000,"currency":"EUR","customer":"Ada","email":null,"name":null,"prices_include_tax":true}"#
    );
}

#[test]
fn settings_and_invoices_are_stored_in_a_fixed_json_shape() {
    let stored = codec::encode(&issued(7, "order-a")).unwrap();
    assert_eq!(stored.event_type, "InvoiceIssued");
    assert_eq!(
        stored.payload,
        r#"{"at":1767225600000,"number":7,"order_id":"order-a"}"#
    );
    let stored = codec::encode(&ShopSettingsEvent::SettingsChanged(settings())).unwrap();
    assert_eq!(stored.event_type, "SettingsChanged");
    assert_eq!(
        stored.payload,
        r#"{"address":"1 rue de la Paix\n75002 Paris","currency":"EUR","default_rate":"VAT","name":"Café Lumière","prices_include_tax":true,"tax_number":"FR40303265045","tax_rates":[{"name":"VAT","rate":20000},{"name":"Reduced","rate":5500}],"time_zone":"Europe/Paris"}"#
    );
    let read: ShopSettingsEvent = codec::decode(&stored.event_type, 1, &stored.payload).unwrap();
    assert_eq!(read, ShopSettingsEvent::SettingsChanged(settings()));
}

#[test]
fn a_rate_above_100_percent_in_a_stored_event_is_refused_on_reading() {
    let stored = r#"{"name":"Silly","rate":150000}"#;
    assert!(serde_json::from_str::<TaxRate>(stored).is_err());
}
