//! The stock process manager's queue: it follows the log, asks the domain's `stock_policy`
//! what each order event means for stock (given the order's shared fold before the event),
//! and queues those product commands for the shell to run (`app::stock::run`). Orders never
//! reach into products; this is the only bridge.
//!
//! It is a read model: its queue is saved and restored with the others, under their one
//! checkpoint, so a tab closed between an order's append and its product commands runs them
//! on the next start. Every product command's id is made from the seq of the order event that
//! caused it, so running one twice writes nothing the second time.

use serde::{Deserialize, Serialize};

use super::{Folded, ReadModel, ShopFolds};
use crate::domain::{stock_policy, Order, OrderEvent, ProductCommand, ShopEvent, Sku};
use crate::es::Envelope;

/// A product command the policy asked for, not yet run.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingCommand {
    pub sku: Sku,
    #[serde(with = "queued")]
    pub command: ProductCommand,
    /// `stock-<seq>-<n>`: the n-th command for the order event at seq.
    pub command_id: String,
    /// The order command that caused it.
    pub causation_id: String,
    pub correlation_id: String,
    pub recorded_at: i64,
}

/// The commands still to run, oldest first.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StockProcess {
    pending: Vec<PendingCommand>,
}

impl StockProcess {
    /// The commands waiting to be run, oldest first.
    #[must_use]
    pub fn pending(&self) -> &[PendingCommand] {
        &self.pending
    }

    /// Hands the pending commands over to be run; they are no longer pending here.
    pub fn take_pending(&mut self) -> Vec<PendingCommand> {
        std::mem::take(&mut self.pending)
    }

    /// Puts back commands that could not be run, ahead of newer ones.
    pub fn retry_later(&mut self, failed: Vec<PendingCommand>) {
        let newer = std::mem::replace(&mut self.pending, failed);
        self.pending.extend(newer);
    }
}

impl ReadModel for StockProcess {
    fn before(&mut self, envelope: &Envelope, event: &ShopEvent, shop: &ShopFolds) {
        let ShopEvent::Order(event) = event else {
            return;
        };
        let created = Order::default();
        let before = match shop.order(&envelope.stream_id) {
            Some((_, order)) => order,
            None if matches!(event, OrderEvent::OrderCreated { .. }) => &created,
            // An order never created calls for nothing.
            None => return,
        };
        let commands = stock_policy::react(&envelope.stream_id, before, event);
        self.pending
            .extend(
                commands
                    .into_iter()
                    .enumerate()
                    .map(|(n, (sku, command))| PendingCommand {
                        sku,
                        command,
                        command_id: format!("stock-{}-{n}", envelope.seq),
                        causation_id: envelope.command_id.clone(),
                        correlation_id: envelope.correlation_id.clone(),
                        recorded_at: envelope.recorded_at,
                    }),
            );
    }

    fn apply(&mut self, _: &Envelope, _: &Folded, _: &ShopFolds) {}
}

/// A queued command as the saved queue holds it: the same JSON as the product command's own,
/// read as one of the four the stock policy asks for, so a start that restores the queue
/// carries the decoding of these four and not of every product command.
mod queued {
    use serde::{ser, Deserialize, Deserializer, Serialize, Serializer};

    use crate::domain::{ProductCommand, Quantity, ReservationId};

    #[derive(Serialize, Deserialize)]
    enum Queued {
        Reserve {
            reservation: ReservationId,
            quantity: Quantity,
        },
        Release {
            reservation: ReservationId,
        },
        Consume {
            reservation: ReservationId,
            quantity: Quantity,
        },
        Restock {
            reservation: ReservationId,
            quantity: Quantity,
        },
    }

    pub fn serialize<S: Serializer>(command: &ProductCommand, to: S) -> Result<S::Ok, S::Error> {
        use ProductCommand as P;
        let queued = match command {
            P::Reserve {
                reservation,
                quantity,
            } => Queued::Reserve {
                reservation: reservation.clone(),
                quantity: *quantity,
            },
            P::Release { reservation } => Queued::Release {
                reservation: reservation.clone(),
            },
            P::Consume {
                reservation,
                quantity,
            } => Queued::Consume {
                reservation: reservation.clone(),
                quantity: *quantity,
            },
            P::Restock {
                reservation,
                quantity,
            } => Queued::Restock {
                reservation: reservation.clone(),
                quantity: *quantity,
            },
            _ => {
                return Err(ser::Error::custom(
                    "the stock policy queues no such command",
                ))
            }
        };
        queued.serialize(to)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(from: D) -> Result<ProductCommand, D::Error> {
        use ProductCommand as P;
        Ok(match Queued::deserialize(from)? {
            Queued::Reserve {
                reservation,
                quantity,
            } => P::Reserve {
                reservation,
                quantity,
            },
            Queued::Release { reservation } => P::Release { reservation },
            Queued::Consume {
                reservation,
                quantity,
            } => P::Consume {
                reservation,
                quantity,
            },
            Queued::Restock {
                reservation,
                quantity,
            } => P::Restock {
                reservation,
                quantity,
            },
        })
    }
}
