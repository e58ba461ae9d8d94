//! The product aggregate: one SKU's catalogue entry (name, price, the tax rate it sells at)
//! and its stock ledger: units on hand, units reserved for order lines, units back-ordered,
//! and a reorder level.
//!
//! Orders reach stock only through commands (`stock_policy.rs` writes them); nothing here
//! reads an order. A SKU an order sells before it is registered still gets a stock ledger:
//! reserving, releasing and consuming work on an unregistered product, whose stock starts at
//! zero, so its first reservation is back-ordered in full. Restocking a returned unit works
//! on it too. Receiving, adjusting and the
//! reorder level are the seller's own acts and need the product registered first.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::{LineId, Money, ProductName, Quantity, RateName, Remark, Sku};
use crate::es::Aggregate;

/// Which order line a reservation holds stock for.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ReservationId {
    pub order_id: String,
    pub line_id: LineId,
}

impl fmt::Display for ReservationId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {} of order {}", self.line_id, self.order_id)
    }
}

/// Serialisable so that a process manager can keep commands it has yet to run.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ProductCommand {
    Register {
        sku: Sku,
        name: ProductName,
        price: Money,
    },
    /// A delivery: units arrive on hand.
    ReceiveStock {
        quantity: Quantity,
    },
    /// A correction after a count, a breakage, a gift: `by` units more (or fewer) on hand.
    AdjustStock {
        by: i64,
        reason: Remark,
    },
    SetReorderLevel {
        level: u64,
    },
    /// The name of the shop's rate its lines are taxed at; `None`: the shop's default.
    SetTaxRate {
        rate: Option<RateName>,
    },
    /// Hold units for an order line; what is not on hand is back-ordered.
    Reserve {
        reservation: ReservationId,
        quantity: Quantity,
    },
    /// Give back everything a reservation still holds or awaits.
    Release {
        reservation: ReservationId,
    },
    /// Units of a reservation left the shop with a fulfilment.
    Consume {
        reservation: ReservationId,
        quantity: Quantity,
    },
    /// Units of an order line came back and go back on the shelf.
    Restock {
        reservation: ReservationId,
        quantity: Quantity,
    },
}

/// What happened to a product's catalogue entry or stock. Stored as its variant's name, the event type, and its data, the payload (see `es::codec`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ProductEvent {
    ProductRegistered {
        sku: Sku,
        name: ProductName,
        price: Money,
    },
    StockReceived {
        quantity: Quantity,
    },
    StockAdjusted {
        by: i64,
        reason: Remark,
    },
    ReorderLevelSet {
        level: u64,
    },
    TaxRateSet {
        rate: Option<RateName>,
    },
    /// `reserved` units were held from what was available; `back_ordered` were not on hand.
    StockReserved {
        reservation: ReservationId,
        reserved: u64,
        back_ordered: u64,
    },
    /// What the reservation held (`reserved`) and awaited (`back_ordered`) is given back.
    ReservationReleased {
        reservation: ReservationId,
        reserved: u64,
        back_ordered: u64,
    },
    /// Units shipped for a reservation: `from_reserved` out of its reserved units; of its
    /// back-ordered units, `from_available` out of unreserved stock on hand and `not_on_hand`
    /// that the books did not show on hand (the stock count is off: count it).
    StockConsumed {
        reservation: ReservationId,
        from_reserved: u64,
        from_available: u64,
        not_on_hand: u64,
    },
    /// Units of an order line were returned and are on hand again.
    StockRestocked {
        reservation: ReservationId,
        quantity: Quantity,
    },
}

/// Every product event is at schema version 1; nothing to upcast yet.
impl crate::es::EventSchema for ProductEvent {}

#[derive(Clone, Debug, Error, PartialEq, Eq)]
pub enum ProductError {
    #[error("this product is already registered")]
    AlreadyRegistered,
    #[error("register this product first")]
    NotRegistered,
    #[error("an adjustment must change the stock")]
    NoChange,
    #[error("only {on_hand} units are on hand")]
    NotEnoughOnHand { on_hand: u64 },
    #[error("stock on hand cannot go below the {reserved} units reserved for orders")]
    BelowReserved { reserved: u64 },
    #[error("the stock count is too large to record")]
    StockTooLarge,
    #[error("{0} already has stock reserved")]
    AlreadyReserved(ReservationId),
    #[error("{0} has no stock reserved")]
    UnknownReservation(ReservationId),
    #[error("{reservation} has only {reserved} units reserved or back-ordered")]
    ConsumesMoreThanReserved {
        reservation: ReservationId,
        reserved: u64,
    },
}

/// How the product shows in the catalogue.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Listing {
    pub sku: Sku,
    pub name: ProductName,
    pub price: Money,
}

/// Stock held, and awaited, for one order line.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reservation {
    pub id: ReservationId,
    pub reserved: u64,
    pub back_ordered: u64,
}

/// The state of one product stream. `Default` is a SKU nobody has mentioned yet.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Product {
    listing: Option<Listing>,
    on_hand: u64,
    reorder_level: u64,
    reservations: Reservations,
    /// The name of the shop's rate it sells at; `None`: the shop's default.
    #[serde(default)]
    tax_rate: Option<RateName>,
}

/// A product's open reservations by order line, with their totals kept as they change: a
/// product with thousands of open order lines (an import) finds one, and sums them, without
/// a scan. Stored as the list of reservations, ordered by order and line.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "Vec<Reservation>", into = "Vec<Reservation>")]
struct Reservations {
    open: BTreeMap<ReservationId, Reservation>,
    reserved: u64,
    back_ordered: u64,
}

impl Reservations {
    /// Opens a reservation; one that is open already holds and awaits the sum of both.
    fn open(&mut self, reservation: Reservation) {
        self.reserved = self.reserved.saturating_add(reservation.reserved);
        self.back_ordered = self.back_ordered.saturating_add(reservation.back_ordered);
        match self.open.get_mut(&reservation.id) {
            Some(open) => {
                open.reserved = open.reserved.saturating_add(reservation.reserved);
                open.back_ordered = open.back_ordered.saturating_add(reservation.back_ordered);
            }
            None => {
                self.open.insert(reservation.id.clone(), reservation);
            }
        }
    }

    fn close(&mut self, id: &ReservationId) {
        if let Some(closed) = self.open.remove(id) {
            self.reserved -= closed.reserved;
            self.back_ordered -= closed.back_ordered;
        }
    }

    /// Takes up to `reserved` and `back_ordered` units off the reservation, closing it once
    /// it holds and awaits nothing.
    fn take(&mut self, id: &ReservationId, reserved: u64, back_ordered: u64) {
        let Some(open) = self.open.get_mut(id) else {
            return;
        };
        let reserved = reserved.min(open.reserved);
        let back_ordered = back_ordered.min(open.back_ordered);
        open.reserved -= reserved;
        open.back_ordered -= back_ordered;
        self.reserved -= reserved;
        self.back_ordered -= back_ordered;
        if open.reserved == 0 && open.back_ordered == 0 {
            self.open.remove(id);
        }
    }
}

impl From<Vec<Reservation>> for Reservations {
    fn from(list: Vec<Reservation>) -> Self {
        let mut reservations = Reservations::default();
        for reservation in list {
            reservations.open(reservation);
        }
        reservations
    }
}

impl From<Reservations> for Vec<Reservation> {
    fn from(reservations: Reservations) -> Self {
        reservations.open.into_values().collect()
    }
}

impl Product {
    /// Name and price; `None` until the product is registered.
    #[must_use]
    pub fn listing(&self) -> Option<&Listing> {
        self.listing.as_ref()
    }

    /// Units in the shop, reserved or not.
    #[must_use]
    pub fn on_hand(&self) -> u64 {
        self.on_hand
    }

    #[must_use]
    pub fn reorder_level(&self) -> u64 {
        self.reorder_level
    }

    /// The name of the shop's rate it sells at; `None`: the shop's default.
    #[must_use]
    pub fn tax_rate(&self) -> Option<&RateName> {
        self.tax_rate.as_ref()
    }

    /// Open reservations, by order and line.
    pub fn reservations(&self) -> impl Iterator<Item = &Reservation> {
        self.reservations.open.values()
    }

    #[must_use]
    pub fn reservation(&self, id: &ReservationId) -> Option<&Reservation> {
        self.reservations.open.get(id)
    }

    /// Units on hand held for order lines.
    #[must_use]
    pub fn reserved(&self) -> u64 {
        self.reservations.reserved
    }

    /// Units order lines wait for because they were not on hand.
    #[must_use]
    pub fn back_ordered(&self) -> u64 {
        self.reservations.back_ordered
    }

    /// On hand − reserved. The decider never lets reservations exceed what is on hand.
    #[must_use]
    pub fn available(&self) -> u64 {
        self.on_hand.saturating_sub(self.reserved())
    }

    /// Whether it is time to reorder: fewer units available than the reorder level.
    #[must_use]
    pub fn is_below_reorder_level(&self) -> bool {
        self.available() < self.reorder_level
    }

    fn registered(&self) -> Result<(), ProductError> {
        match self.listing {
            Some(_) => Ok(()),
            None => Err(ProductError::NotRegistered),
        }
    }

    fn open_reservation(&self, id: &ReservationId) -> Result<&Reservation, ProductError> {
        self.reservation(id)
            .ok_or_else(|| ProductError::UnknownReservation(id.clone()))
    }

    fn adjust(&self, by: i64, reason: &Remark) -> Result<Vec<ProductEvent>, ProductError> {
        self.registered()?;
        if by == 0 {
            return Err(ProductError::NoChange);
        }
        let Some(on_hand) = self.on_hand.checked_add_signed(by) else {
            return Err(if by < 0 {
                ProductError::NotEnoughOnHand {
                    on_hand: self.on_hand,
                }
            } else {
                ProductError::StockTooLarge
            });
        };
        if on_hand < self.reserved() {
            return Err(ProductError::BelowReserved {
                reserved: self.reserved(),
            });
        }
        Ok(vec![ProductEvent::StockAdjusted {
            by,
            reason: reason.clone(),
        }])
    }

    fn consume(
        &self,
        id: &ReservationId,
        quantity: Quantity,
    ) -> Result<Vec<ProductEvent>, ProductError> {
        let reservation = self.open_reservation(id)?;
        let quantity = u64::from(quantity.get());
        let held = reservation.reserved + reservation.back_ordered;
        if quantity > held {
            return Err(ProductError::ConsumesMoreThanReserved {
                reservation: id.clone(),
                reserved: held,
            });
        }
        let from_reserved = quantity.min(reservation.reserved);
        let from_back_order = quantity - from_reserved;
        let from_available = from_back_order.min(self.available());
        Ok(vec![ProductEvent::StockConsumed {
            reservation: id.clone(),
            from_reserved,
            from_available,
            not_on_hand: from_back_order - from_available,
        }])
    }
}

impl Aggregate for Product {
    type Command = ProductCommand;
    type Event = ProductEvent;
    type Error = ProductError;

    fn decide(&self, command: &ProductCommand) -> Result<Vec<ProductEvent>, ProductError> {
        use ProductCommand as C;
        match command {
            C::Register { .. } if self.listing.is_some() => Err(ProductError::AlreadyRegistered),
            C::Register { sku, name, price } => Ok(vec![ProductEvent::ProductRegistered {
                sku: sku.clone(),
                name: name.clone(),
                price: *price,
            }]),
            C::ReceiveStock { quantity } => {
                self.registered()?;
                self.on_hand
                    .checked_add(u64::from(quantity.get()))
                    .ok_or(ProductError::StockTooLarge)?;
                Ok(vec![ProductEvent::StockReceived {
                    quantity: *quantity,
                }])
            }
            C::AdjustStock { by, reason } => self.adjust(*by, reason),
            C::SetReorderLevel { level } => {
                self.registered()?;
                if *level == self.reorder_level {
                    return Ok(vec![]);
                }
                Ok(vec![ProductEvent::ReorderLevelSet { level: *level }])
            }
            C::SetTaxRate { rate } => {
                self.registered()?;
                if *rate == self.tax_rate {
                    return Ok(vec![]);
                }
                Ok(vec![ProductEvent::TaxRateSet { rate: rate.clone() }])
            }
            C::Reserve { reservation, .. } if self.reservation(reservation).is_some() => {
                Err(ProductError::AlreadyReserved(reservation.clone()))
            }
            C::Reserve {
                reservation,
                quantity,
            } => {
                let wanted = u64::from(quantity.get());
                let reserved = wanted.min(self.available());
                Ok(vec![ProductEvent::StockReserved {
                    reservation: reservation.clone(),
                    reserved,
                    back_ordered: wanted - reserved,
                }])
            }
            C::Release { reservation } => {
                let open = self.open_reservation(reservation)?;
                Ok(vec![ProductEvent::ReservationReleased {
                    reservation: reservation.clone(),
                    reserved: open.reserved,
                    back_ordered: open.back_ordered,
                }])
            }
            C::Consume {
                reservation,
                quantity,
            } => self.consume(reservation, *quantity),
            C::Restock {
                reservation,
                quantity,
            } => {
                self.on_hand
                    .checked_add(u64::from(quantity.get()))
                    .ok_or(ProductError::StockTooLarge)?;
                Ok(vec![ProductEvent::StockRestocked {
                    reservation: reservation.clone(),
                    quantity: *quantity,
                }])
            }
        }
    }

    fn evolve(mut self, event: &ProductEvent) -> Product {
        match event {
            ProductEvent::ProductRegistered { sku, name, price } => {
                self.listing = Some(Listing {
                    sku: sku.clone(),
                    name: name.clone(),
                    price: *price,
                });
            }
            ProductEvent::StockReceived { quantity }
            | ProductEvent::StockRestocked { quantity, .. } => {
                self.on_hand = self.on_hand.saturating_add(u64::from(quantity.get()));
            }
            ProductEvent::StockAdjusted { by, .. } => {
                self.on_hand = self.on_hand.saturating_add_signed(*by);
            }
            ProductEvent::ReorderLevelSet { level } => self.reorder_level = *level,
            ProductEvent::TaxRateSet { rate } => self.tax_rate.clone_from(rate),
            ProductEvent::StockReserved {
                reservation,
                reserved,
                back_ordered,
            } => self.reservations.open(Reservation {
                id: reservation.clone(),
                reserved: *reserved,
                back_ordered: *back_ordered,
            }),
            ProductEvent::ReservationReleased { reservation, .. } => {
                self.reservations.close(reservation);
            }
            ProductEvent::StockConsumed {
                reservation,
                from_reserved,
                from_available,
                not_on_hand,
            } => {
                self.on_hand = self
                    .on_hand
                    .saturating_sub(from_reserved.saturating_add(*from_available));
                self.reservations.take(
                    reservation,
                    *from_reserved,
                    from_available.saturating_add(*not_on_hand),
                );
            }
        }
        self
    }
}
