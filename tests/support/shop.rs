//! A shop run as the app would run it: commands go through `es::execute` into a
//! `MemoryStore`, and each order event's stock commands (`stock_policy::react`) go to the
//! product streams, so the log holds what a real shop's would. For the read models' tests.

use futures::executor::block_on;
use orderlog::domain::customer::{customer_stream, Customer, CustomerCommand};
use orderlog::domain::stock_policy::react;
use orderlog::domain::{
    order_stream, product_stream, CreateOrder, Currency, CustomerName, FulfilLines, LineId, Money,
    Order, OrderCommand, OrderError, OrderEvent, OrderLine, PaymentMethod, Product, ProductCommand,
    ProductError, ProductName, Quantity, Remark, Sku, Timestamp,
};
use orderlog::es::{
    codec, execute, load, CommandMeta, Envelope, EventStore, ExecuteError, MemoryStore, Projection,
    ProjectionRunner,
};

/// 2026-01-01 00:00 UTC, in milliseconds.
pub const JAN_2026: Timestamp = Timestamp(1_767_225_600_000);

/// A day in milliseconds.
pub const DAY: i64 = 86_400_000;

pub fn usd() -> Currency {
    Currency::new(*b"USD")
}

pub fn sku(text: &str) -> Sku {
    Sku::parse(text).unwrap()
}

pub fn units(quantity: u32) -> Quantity {
    Quantity::new(quantity).unwrap()
}

pub fn cents(cents: u64) -> Money {
    Money::from_cents(cents)
}

/// Line `line_id`: `quantity` × `sku` at `unit_price` cents, less `discount` cents. The
/// product name on the line is the SKU's followed by " (as sold)", so a test can tell it from
/// the catalogue's.
pub fn line(
    line_id: u32,
    sku_text: &str,
    quantity: u32,
    unit_price: u64,
    discount: u64,
) -> OrderLine {
    OrderLine {
        line_id: LineId(line_id),
        sku: sku(sku_text),
        product_name: ProductName::parse(&format!("{sku_text} (as sold)")).unwrap(),
        quantity: units(quantity),
        unit_price: cents(unit_price),
        discount: cents(discount),
        discount_percent: None,
        tax: None,
    }
}

pub fn create(created_at: Timestamp, lines: Vec<OrderLine>) -> OrderCommand {
    OrderCommand::Create(CreateOrder {
        name: None,
        customer: CustomerName::parse("Ada Lovelace").unwrap(),
        email: None,
        customer_id: None,
        exchange_for: None,
        currency: usd(),
        prices_include_tax: false,
        lines,
        created_at,
    })
}

pub fn pay(amount: u64) -> OrderCommand {
    OrderCommand::RecordPayment {
        amount: cents(amount),
        currency: usd(),
        method: PaymentMethod::Card,
        at: JAN_2026,
    }
}

pub fn refund(amount: u64) -> OrderCommand {
    OrderCommand::RecordRefund {
        amount: cents(amount),
        currency: usd(),
        method: Some(PaymentMethod::Card),
        at: JAN_2026,
    }
}

pub fn place() -> OrderCommand {
    OrderCommand::Place { at: JAN_2026 }
}

pub fn cancel() -> OrderCommand {
    OrderCommand::Cancel {
        reason: Remark::parse("the customer changed their mind").unwrap(),
        at: JAN_2026,
    }
}

pub fn fulfil_all() -> OrderCommand {
    OrderCommand::Fulfil {
        lines: FulfilLines::AllRemaining,
        at: JAN_2026,
    }
}

/// A shop's log in memory, with the stock policy run after every order command.
#[derive(Default)]
pub struct Shop {
    store: MemoryStore,
    commands: u32,
}

impl Shop {
    fn next_meta(&mut self) -> CommandMeta {
        self.commands += 1;
        CommandMeta::direct(format!("command-{}", self.commands), JAN_2026.0)
    }

    /// Runs `command` on order `order_id`, then the product commands its events call for.
    #[track_caller]
    #[allow(clippy::needless_pass_by_value)] // `.order(id, place())` reads as the story
    pub fn order(&mut self, order_id: &str, command: OrderCommand) -> &mut Shop {
        self.try_order(order_id, &command).unwrap();
        self
    }

    /// Runs `command` on customer `customer_id`; it must be accepted.
    #[track_caller]
    #[allow(clippy::needless_pass_by_value)] // `.customer(id, command)` reads as the story
    pub fn customer(&mut self, customer_id: &str, command: CustomerCommand) -> &mut Shop {
        let meta = self.next_meta();
        block_on(execute::<Customer, _>(
            &self.store,
            &customer_stream(customer_id),
            &command,
            &meta,
        ))
        .unwrap();
        self
    }

    /// Runs `command` on order `order_id` and, when it is accepted, the product commands its
    /// events call for (each is expected to be accepted).
    ///
    /// # Errors
    /// The order's refusal; nothing is written then.
    #[track_caller]
    pub fn try_order(&mut self, order_id: &str, command: &OrderCommand) -> Result<(), OrderError> {
        let stream = order_stream(order_id);
        let mut before = self.order_state(order_id);
        let meta = self.next_meta();
        let appended = block_on(execute::<Order, _>(&self.store, &stream, command, &meta))
            .map_err(|error| match error {
                ExecuteError::Domain(refusal) => refusal,
                other => panic!("the store failed: {other}"),
            })?;
        for envelope in appended {
            let event: OrderEvent = codec::decode(
                &envelope.event_type,
                envelope.schema_version,
                &envelope.payload,
            )
            .unwrap();
            for (sku, stock_command) in react(&stream, &before, &event) {
                self.try_product(&sku, &stock_command).unwrap();
            }
            before = before.evolve(&event);
        }
        Ok(())
    }

    #[track_caller]
    #[allow(clippy::needless_pass_by_value)] // `.product(sku, command)` reads as the story
    pub fn product(&mut self, sku_text: &str, command: ProductCommand) -> &mut Shop {
        self.try_product(&sku(sku_text), &command).unwrap();
        self
    }

    /// # Errors
    /// The product's refusal; nothing is written then.
    #[track_caller]
    pub fn try_product(&mut self, sku: &Sku, command: &ProductCommand) -> Result<(), ProductError> {
        let meta = self.next_meta();
        block_on(execute::<Product, _>(
            &self.store,
            &product_stream(sku),
            command,
            &meta,
        ))
        .map(|_| ())
        .map_err(|error| match error {
            ExecuteError::Domain(refusal) => refusal,
            other => panic!("the store failed: {other}"),
        })
    }

    /// Registers `sku` as `name` at `price` cents and receives `stock` units of it.
    #[track_caller]
    pub fn stocked(&mut self, sku_text: &str, name: &str, price: u64, stock: u32) -> &mut Shop {
        self.product(
            sku_text,
            ProductCommand::Register {
                sku: sku(sku_text),
                name: ProductName::parse(name).unwrap(),
                price: cents(price),
            },
        );
        if stock > 0 {
            self.product(
                sku_text,
                ProductCommand::ReceiveStock {
                    quantity: units(stock),
                },
            );
        }
        self
    }

    /// Order `order_id` as its decider sees it now.
    pub fn order_state(&self, order_id: &str) -> Order {
        block_on(load::<Order, _>(&self.store, &order_stream(order_id)))
            .unwrap()
            .state
    }

    /// The whole log, in seq order.
    pub fn events(&self) -> Vec<Envelope> {
        block_on(self.store.read_all(1, u32::MAX)).unwrap()
    }

    /// A read model folded from the whole log; every event must apply.
    #[track_caller]
    pub fn fold<P: Projection + Default + Clone>(&self) -> P {
        let events = self.events();
        let mut runner = ProjectionRunner::new(P::default());
        assert_eq!(runner.apply_all(&events), events.len());
        assert_eq!(runner.skipped(), &[]);
        runner.read_model().clone()
    }
}
