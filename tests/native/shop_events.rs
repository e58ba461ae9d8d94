//! Reading any stored event of the shop as one `ShopEvent`.

use orderlog::domain::{
    order_stream, product_sku, product_stream, Currency, CustomerName, OrderEvent, ProductEvent,
    Quantity, ShopEvent, Sku, Timestamp,
};
use orderlog::es::codec::{decode, encode};
use orderlog::es::CodecError;

#[test]
fn an_order_event_reads_as_a_shop_event() {
    let event = OrderEvent::OrderCreated {
        name: None,
        customer: CustomerName::parse("Ada").unwrap(),
        email: None,
        customer_id: None,
        exchange_for: None,
        currency: Currency::new(*b"USD"),
        prices_include_tax: false,
        created_at: Timestamp(1),
    };
    let stored = encode(&event).unwrap();
    assert_eq!(
        decode::<ShopEvent>(&stored.event_type, 1, &stored.payload),
        Ok(ShopEvent::Order(event))
    );
}

#[test]
fn a_product_event_reads_as_a_shop_event_and_stores_unchanged() {
    let event = ProductEvent::StockReceived {
        quantity: Quantity::new(5).unwrap(),
    };
    let stored = encode(&event).unwrap();
    let as_shop = encode(&ShopEvent::Product(event.clone())).unwrap();
    assert_eq!(as_shop, stored);
    assert_eq!(
        decode::<ShopEvent>(&stored.event_type, 1, &stored.payload),
        Ok(ShopEvent::Product(event))
    );
}

#[test]
fn an_event_of_no_aggregate_is_unknown() {
    assert!(matches!(
        decode::<ShopEvent>("Teleported", 1, "{}"),
        Err(CodecError::UnknownType(_))
    ));
}

#[test]
fn an_order_event_of_the_wrong_shape_is_a_decode_error_not_unknown() {
    assert!(matches!(
        decode::<ShopEvent>("OrderCreated", 1, "{\"customer\":5}"),
        Err(CodecError::Decode { .. })
    ));
}

#[test]
fn a_product_stream_names_its_sku_and_no_other_stream_does() {
    let sku = Sku::parse("TEA-1").unwrap();
    assert_eq!(product_sku(&product_stream(&sku)), Some(sku));
    assert_eq!(product_sku(&order_stream("7")), None);
    assert_eq!(product_sku("product-"), None);
    assert_eq!(
        product_sku("product- TEA-1"),
        None,
        "not a stream product_stream writes"
    );
}
