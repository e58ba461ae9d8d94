//! One line of an order and its arithmetic: what was ordered (SKU, name, quantity, unit
//! price, discount) and, once placed, how much of it has been fulfilled. Rules about when a
//! line may change live in the decider, not here.

use serde::{Deserialize, Serialize};

use crate::domain::{LineId, Money, ProductName, Quantity, Sku};

/// So many units of a SKU at a unit price, less a discount on the whole line.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderLine {
    pub line_id: LineId,
    pub sku: Sku,
    pub product_name: ProductName,
    pub quantity: Quantity,
    pub unit_price: Money,
    /// Taken off the line as a whole, never more than quantity × unit price.
    pub discount: Money,
}

impl OrderLine {
    /// Quantity × unit price, before the discount; `None` when that does not fit in [`Money`].
    #[must_use]
    pub fn gross(&self) -> Option<Money> {
        self.unit_price.checked_mul(u64::from(self.quantity.get()))
    }

    /// Quantity × unit price − discount; `None` on overflow or when the discount exceeds the
    /// line (the decider refuses both).
    #[must_use]
    pub fn total(&self) -> Option<Money> {
        self.gross()?.checked_sub(self.discount)
    }
}

/// So many units of one line: what a fulfilment ships.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineQuantity {
    pub line_id: LineId,
    pub quantity: Quantity,
}

/// A line as the order holds it: what was ordered and how many units have been fulfilled.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineState {
    pub line: OrderLine,
    pub fulfilled: u32,
}

impl LineState {
    /// Units ordered and not fulfilled yet.
    #[must_use]
    pub fn remaining(&self) -> u32 {
        self.line.quantity.get().saturating_sub(self.fulfilled)
    }
}
