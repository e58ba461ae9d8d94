//! The business of a small seller as pure deciders: values (money, quantities, names) that
//! cannot hold a bad state, aggregates that `decide` on commands and `evolve` from events
//! (`order`, `product`, `settings`: the shop's own settings and invoice numbers), `tax`
//! (rates, discounts and their rounding), the `stock_policy` that turns order events into
//! product commands, and `shop`: the commands and events of all aggregates together, the
//! names of their streams.
//!
//! Nothing here does I/O, is `async`, reads a clock or an RNG, or imports leptos, web-sys,
//! js-sys or `indexed_db_futures`: ids and timestamps arrive inside the commands. Everything is
//! tested natively (`cargo test`).

pub mod customer;
pub mod money;
pub mod order;
pub mod product;
pub mod settings;
pub mod shop;
pub mod stock_policy;
pub mod tax;
pub mod values;

pub use money::{Amount, Money};
pub use order::{
    CreateOrder, FinancialStatus, FulfilLines, FulfilmentStatus, LineFigures, LineQuantity,
    LineState, Order, OrderCommand, OrderError, OrderEvent, OrderLine, PaymentMethod, RefundGiven,
    ReturnedLine, Stage,
};
pub use product::{Product, ProductCommand, ProductError, ProductEvent, ReservationId};
pub use settings::{
    Address, Invoice, Shop, ShopLine, ShopSettings, ShopSettingsCommand, ShopSettingsError,
    ShopSettingsEvent, SHOP_STREAM,
};
pub use shop::{order_stream, product_sku, product_stream, ShopCommand, ShopEvent, SHOP_CURRENCY};
pub use tax::{Discount, Rate, RateName, TaxRate};
pub use values::{
    Currency, CustomerName, Email, InputError, LineId, OrderName, Phone, ProductName, Quantity,
    Remark, Sku, Tag, TimeZone, Timestamp,
};
