//! What a seller types into a form, turned into commands: every field's text either parses
//! into the domain's values or yields the message shown for it. Pure and tested natively:
//! no signals, no storage, no clock (the shell stamps a command's time when it runs it).
//!
//! - [`new_order`]: the new-order form (a customer and one line).
//! - [`order`]: the controls of an order's page (lines, charges, payment, fulfilment, …).
//! - [`product`]: the controls of the products view (register, receive, adjust, reorder).

pub mod new_order;
pub mod order;
pub mod product;

pub use new_order::{OrderForm, OrderFormErrors};
