//! Two tabs on one log, at random: each issues commands (some decided against a state the
//! other tab has since moved on, so their appends conflict and are decided again), follows
//! the log when it likes, and runs its own stock process's queue. Whatever the
//! interleaving, both tabs end with read models equal to a rebuild from the log, every
//! stock command ran once, and no product's books break.

use std::cell::RefCell;
use std::collections::BTreeMap;

use futures::executor::block_on;
use orderlog::app::stock;
use orderlog::domain::{
    order_stream, product_stream, Order, OrderCommand, Product, ProductCommand, ProductName,
};
use orderlog::es::{
    catch_up, execute, load, verify, Aggregate, AppendRequest, Batch, CommandMeta, EventStore,
    ExecuteError, MemoryStore, StoreError,
};
use orderlog::read::ReadSide;
use proptest::prelude::*;

use crate::support::shop::{
    cancel, cents, create, fulfil_all, line, pay, place, refund, sku, units, JAN_2026,
};

/// One tab: its read side (the stock process's queue among it), as `AppCtx` holds it.
#[derive(Default)]
struct Tab {
    models: RefCell<ReadSide>,
    /// A command decided against the state of its stream then, not yet appended.
    held: Option<(String, AppendRequest, Held)>,
}

#[derive(Clone, Debug)]
enum Held {
    Order(OrderCommand),
    Product(ProductCommand),
}

impl Tab {
    fn follow(&self, store: &MemoryStore) {
        block_on(catch_up(
            store,
            || self.models.borrow().checkpoint(),
            |from, batch| self.models.borrow_mut().apply_stored(from, batch),
        ))
        .unwrap();
    }

    fn run_stock(&self, store: &MemoryStore) {
        let pending = self
            .models
            .borrow_mut()
            .read_model_mut()
            .stock_mut()
            .take_pending();
        let outcome = block_on(stock::Stock::default().run(store, pending));
        assert_eq!(outcome.refused.len(), 0, "{:?}", outcome.refused);
        if !outcome.failed.is_empty() {
            self.models
                .borrow_mut()
                .read_model_mut()
                .stock_mut()
                .retry_later(outcome.failed);
        }
    }

    /// Decides `command` now, to append it later.
    fn hold(&mut self, stream: String, command: Held, meta: &CommandMeta, store: &MemoryStore) {
        let request = match &command {
            Held::Order(c) => decide_now::<Order>(store, &stream, c, meta),
            Held::Product(c) => decide_now::<Product>(store, &stream, c, meta),
        };
        self.held = request.map(|request| (stream, request, command));
    }

    /// Appends the held command; if its stream moved on, decides it again as `execute`
    /// does (the domain may refuse it now).
    fn commit(&mut self, store: &MemoryStore) {
        let Some((stream, request, command)) = self.held.take() else {
            return;
        };
        let meta = request.meta.clone();
        match block_on(store.append(request)) {
            Ok(_) => {}
            Err(StoreError::Conflict { .. }) => match &command {
                Held::Order(c) => decide_again::<Order>(store, &stream, c, &meta),
                Held::Product(c) => decide_again::<Product>(store, &stream, c, &meta),
            },
            Err(other) => panic!("the store failed: {other}"),
        }
    }
}

/// `command` decided against its stream as the store has it now: the append to make later,
/// or `None` when the domain refuses it now.
fn decide_now<A: Aggregate>(
    store: &MemoryStore,
    stream: &str,
    command: &A::Command,
    meta: &CommandMeta,
) -> Option<AppendRequest> {
    let loaded = block_on(load::<A, _>(store, stream)).unwrap();
    let mut batch = Batch::<A>::new();
    batch.seed(stream, loaded.state, loaded.version);
    batch.decide(stream, command, meta.clone()).ok()?;
    batch.take_requests().pop()
}

/// Runs `command` again after a conflict, as `execute` does; only the domain may refuse it.
fn decide_again<A: Aggregate>(
    store: &MemoryStore,
    stream: &str,
    command: &A::Command,
    meta: &CommandMeta,
) {
    match block_on(execute::<A, _>(store, stream, command, meta)) {
        Ok(_) | Err(ExecuteError::Domain(_)) => {}
        Err(other) => panic!("only the domain may refuse: {other}"),
    }
}

#[derive(Clone, Debug)]
enum Act {
    /// Decide a command on order n (or stock of SKU n) now; append it at the tab's next Commit.
    Decide(u8, Command),
    Commit,
    Follow,
    RunStock,
}

#[derive(Clone, Debug)]
enum Command {
    Create(Vec<(u8, u32)>),
    Place,
    Pay(u64),
    Refund(u64),
    FulfilAll,
    Cancel,
    Receive(u32),
}

fn act() -> impl Strategy<Value = Act> {
    let command = prop_oneof![
        2 => prop::collection::vec((0u8..3, 1u32..4), 1..3).prop_map(Command::Create),
        2 => Just(Command::Place),
        2 => (1u64..2_000).prop_map(Command::Pay),
        1 => (1u64..1_000).prop_map(Command::Refund),
        1 => Just(Command::FulfilAll),
        1 => Just(Command::Cancel),
        1 => (1u32..6).prop_map(Command::Receive),
    ];
    prop_oneof![
        4 => (0u8..3, command).prop_map(|(n, c)| Act::Decide(n, c)),
        3 => Just(Act::Commit),
        2 => Just(Act::Follow),
        2 => Just(Act::RunStock),
    ]
}

fn sku_text(n: u8) -> String {
    format!("SKU-{n}")
}

fn command_for(n: u8, command: &Command) -> (String, Held) {
    let order = |c| (order_stream(&n.to_string()), Held::Order(c));
    match command {
        Command::Create(lines) => order(create(
            JAN_2026,
            lines
                .iter()
                .enumerate()
                .map(|(i, &(s, q))| line(u32::try_from(i).unwrap() + 1, &sku_text(s), q, 500, 0))
                .collect(),
        )),
        Command::Place => order(place()),
        Command::Pay(amount) => order(pay(*amount)),
        Command::Refund(amount) => order(refund(*amount)),
        Command::FulfilAll => order(fulfil_all()),
        Command::Cancel => order(cancel()),
        Command::Receive(quantity) => (
            product_stream(&sku(&sku_text(n))),
            Held::Product(ProductCommand::ReceiveStock {
                quantity: units(*quantity),
            }),
        ),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn two_tabs_in_any_interleaving_end_with_the_logs_read_models_and_sound_books(
        acts in prop::collection::vec((any::<bool>(), act()), 1..80)
    ) {
        let store = MemoryStore::new();
        // The SKUs exist, so receiving stock is a seller's act on a registered product.
        for n in 0..3 {
            let register = ProductCommand::Register {
                sku: sku(&sku_text(n)),
                name: ProductName::parse("Thing").unwrap(),
                price: cents(500),
            };
            block_on(execute::<Product, _>(&store, &product_stream(&sku(&sku_text(n))), &register, &CommandMeta::direct(format!("register-{n}"), JAN_2026.0))).unwrap();
        }
        let mut tabs = [Tab::default(), Tab::default()];
        for (step, (second, act)) in acts.iter().enumerate() {
            let tab = &mut tabs[usize::from(*second)];
            match act {
                Act::Decide(n, command) => {
                    let (stream, held) = command_for(*n, command);
                    let meta = CommandMeta::direct(format!("c{step}"), JAN_2026.0);
                    tab.hold(stream, held, &meta, &store);
                }
                Act::Commit => tab.commit(&store),
                Act::Follow => tab.follow(&store),
                Act::RunStock => {
                    tab.follow(&store);
                    tab.run_stock(&store);
                }
            }
        }
        // Both tabs settle: follow the log and run their queues until nothing is left.
        for _ in 0..4 {
            for tab in &mut tabs {
                tab.commit(&store);
                tab.follow(&store);
                tab.run_stock(&store);
            }
        }
        for tab in &tabs {
            tab.follow(&store);
            prop_assert!(tab.models.borrow().read_model().stock().pending().is_empty());
        }

        let log = block_on(store.read_all(1, u32::MAX)).unwrap();
        prop_assert!(block_on(verify(&store)).is_ok());
        let mut rebuilt = ReadSide::default();
        rebuilt.apply_all(&log);
        for tab in &tabs {
            // Everything but the stock queue, which each tab empties by running it.
            let tab = tab.models.borrow();
            let views = |side: &ReadSide| {
                let models = side.read_model();
                (side.checkpoint(), models.shop().clone(), models.orders().clone())
            };
            prop_assert_eq!(views(&tab), views(&rebuilt), "a tab's views are the log's");
        }
        // Every command, stock commands included, was appended once: its events are one run.
        let mut runs: BTreeMap<&str, Vec<u64>> = BTreeMap::new();
        for event in &log {
            runs.entry(event.command_id.as_str()).or_default().push(event.seq);
        }
        for (command_id, seqs) in &runs {
            prop_assert!(
                seqs.windows(2).all(|w| w[1] == w[0] + 1),
                "command {} was appended more than once: {:?}", command_id, seqs
            );
        }
        // The books: no product holds more than it has, and what it holds is for open lines.
        for n in 0..3 {
            let product = block_on(load::<Product, _>(&store, &product_stream(&sku(&sku_text(n))))).unwrap().state;
            prop_assert!(product.reserved() <= product.on_hand(), "{:?}", product);
            for reservation in product.reservations() {
                let order = block_on(load::<Order, _>(&store, &reservation.id.order_id)).unwrap().state;
                let open = order.lines().iter().any(|l| l.line.line_id == reservation.id.line_id && l.remaining() > 0);
                prop_assert!(open, "{:?} holds stock for a line with nothing left to ship", reservation);
            }
        }
    }
}
