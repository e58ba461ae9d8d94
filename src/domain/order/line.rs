//! One line of an order and its arithmetic: what was ordered (SKU, name, quantity, unit
//! price, discount, tax rate) and, once placed, how much of it has been fulfilled. Rules
//! about when a line may change live in the decider, not here.

use serde::{Deserialize, Serialize};

use crate::domain::{LineId, Money, ProductName, Quantity, Rate, Sku, TaxRate};

/// So many units of a SKU at a unit price, less a discount on the whole line, taxed at a rate
/// or not at all. A line recorded before rates existed has neither rate nor percentage; its
/// stored shape is unchanged.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderLine {
    pub line_id: LineId,
    pub sku: Sku,
    pub product_name: ProductName,
    pub quantity: Quantity,
    pub unit_price: Money,
    /// A fixed amount taken off the line as a whole.
    pub discount: Money,
    /// A share of quantity × unit price taken off too, rounded half up; with the fixed
    /// amount, never more than the line.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub discount_percent: Option<Rate>,
    /// The rate it is taxed at, kept as it was when sold; `None`: no tax on the line.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tax: Option<TaxRate>,
}

impl OrderLine {
    /// Quantity × unit price, before the discount; `None` when that does not fit in [`Money`].
    #[must_use]
    pub fn gross(&self) -> Option<Money> {
        self.unit_price.checked_mul(u64::from(self.quantity.get()))
    }

    /// The fixed discount plus the percentage of the gross; `None` on overflow.
    #[must_use]
    pub fn discount_amount(&self) -> Option<Money> {
        let share = self.discount_percent.map_or(Money::ZERO, |rate| {
            rate.of(self.gross().unwrap_or_default())
        });
        self.discount.checked_add(share)
    }

    /// Quantity × unit price − discount; `None` on overflow or when the discount exceeds the
    /// line (the decider refuses both).
    #[must_use]
    pub fn total(&self) -> Option<Money> {
        self.gross()?.checked_sub(self.discount_amount()?)
    }
}

/// So many units of one line: what a fulfilment ships.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineQuantity {
    pub line_id: LineId,
    pub quantity: Quantity,
}

/// So many units of one line coming back, and whether they go back on the shelf (or, worn
/// or broken, not).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReturnedLine {
    pub line_id: LineId,
    pub quantity: Quantity,
    pub restock: bool,
}

/// A line as the order holds it: what was ordered, how many units have been fulfilled, and
/// how many of those came back (and of them, how many went back to stock).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineState {
    pub line: OrderLine,
    pub fulfilled: u32,
    #[serde(default)]
    pub returned: u32,
    #[serde(default)]
    pub restocked: u32,
}

impl LineState {
    /// Units ordered and not fulfilled yet.
    #[must_use]
    pub fn remaining(&self) -> u32 {
        self.line.quantity.get().saturating_sub(self.fulfilled)
    }

    /// Units fulfilled and not returned: what can still come back.
    #[must_use]
    pub fn returnable(&self) -> u32 {
        self.fulfilled.saturating_sub(self.returned)
    }
}
