//! The demo shop: a pure, deterministic plan of the commands that fill the desk with six
//! months of a small tea and homeware stall's trade: a catalogue of twelve products with
//! their stock, and orders in every state a seller meets (drafts, paid in full or in part,
//! unpaid, shipped whole or in parts, refunded, cancelled). The commands are real ones: the
//! shell runs them through the deciders like any other, so the demo obeys every rule of the
//! domain (`tests/native/demo_plan.rs` folds whole plans through the deciders to prove it).
//!
//! Same seed, same plan, on every platform: the randomness is a seeded `fastrand::Rng`, drawn
//! only in fixed-width integers (never `usize`, whose draws differ between wasm32 and native).
//! Each order draws from its own generator, keyed by the seed and its number, so a larger demo
//! with the same seed holds the smaller one's orders (only their times stretch). Nothing here
//! does I/O, reads a clock or touches a signal; running the plan is the shell's job.

use fastrand::Rng;

use crate::domain::{
    order_stream, product_stream, CreateOrder, CustomerName, Email, FulfilLines, InputError,
    LineId, LineQuantity, Money, OrderCommand, OrderLine, PaymentMethod, ProductCommand,
    ProductName, Quantity, Remark, Sku, Timestamp, SHOP_CURRENCY,
};
use crate::es::{CommandMeta, Planned};

const MINUTE_MS: i64 = 60_000;
const HOUR_MS: i64 = 60 * MINUTE_MS;
const DAY_MS: i64 = 24 * HOUR_MS;

/// How far back the demo's orders go: six months. The first is created no earlier than
/// `now − HISTORY_MS`, the last at least an hour before `now`.
pub const HISTORY_MS: i64 = 183 * DAY_MS;

/// One command of the plan: the stream it goes to, the id that makes running it a second
/// time write nothing, and when the seller issued it (the time to record it at).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DemoCommand<C> {
    pub stream_id: String,
    pub command_id: String,
    pub at: Timestamp,
    pub command: C,
}

/// The commands as a bulk write takes them: each issued at its own time, by the seller.
#[must_use]
pub fn planned<C>(commands: Vec<DemoCommand<C>>) -> Vec<Planned<C>> {
    commands
        .into_iter()
        .map(|c| {
            let meta = CommandMeta::direct(c.command_id, c.at.0);
            (c.stream_id, c.command, meta)
        })
        .collect()
}

/// What loading the demo runs, in this order: the product commands, then the orders'
/// commands sorted by the time they were issued (so each order's own commands keep theirs).
///
/// Command ids: the catalogue's (`Register`, `SetReorderLevel`) are the same for every seed,
/// so loading a second demo does not register a product twice; a plan's stock delivery
/// (`demo-{seed}-{orders}-stock-…`) is sized for its own orders; an order's commands are
/// `demo-{seed}-{n}-{k}`, the k-th command of order `demo-{seed}-{n}`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DemoPlan {
    pub products: Vec<DemoCommand<ProductCommand>>,
    pub orders: Vec<DemoCommand<OrderCommand>>,
}

/// The demo shop's catalogue, stock and `orders` orders, created over the six months before
/// `now` ([`HISTORY_MS`]); every later command of an order is issued after it was created and
/// no later than `now`.
///
/// # Panics
/// Never: the demo's fixed texts (names, emails, SKUs, reasons) are all valid, which
/// `tests/native/demo_plan.rs` checks for every one of them.
#[must_use]
pub fn plan(orders: usize, seed: u64, now: Timestamp) -> DemoPlan {
    let first = now.0 - HISTORY_MS;
    let span = i128::from(HISTORY_MS - HOUR_MS);
    let count = i128::try_from(orders).unwrap_or(i128::MAX).max(1);
    let mut order_commands = Vec::new();
    let mut stock_moves = Vec::new();
    let mut created_at = first;
    for n in 0..orders {
        let mut rng = Rng::with_seed(order_seed(seed, n));
        // Order n is created in the n-th of `orders` equal slots of the history, somewhere
        // in its slot (one full-width draw, whatever the slot's length).
        let index = i128::try_from(n).unwrap_or(i128::MAX);
        let offset = (span * index + span * i128::from(rng.u32(..)) / (1 << 32)) / count;
        created_at = (first + i64::try_from(offset).unwrap_or(0)).max(created_at + 1);
        let script = OrderScript::write(rng, Timestamp(created_at), now);
        let order_id = format!("demo-{seed}-{n}");
        let stream_id = order_stream(&order_id);
        order_commands.extend(
            script
                .commands
                .into_iter()
                .enumerate()
                .map(|(k, (at, command))| DemoCommand {
                    stream_id: stream_id.clone(),
                    command_id: format!("{order_id}-{k}"),
                    at,
                    command,
                }),
        );
        stock_moves.extend(script.stock_moves);
    }
    // Stable sorts: an order's commands, strictly later one after another, keep their order.
    order_commands.sort_by_key(|command| command.at);
    stock_moves.sort_by_key(|stock_move| stock_move.at);
    DemoPlan {
        products: catalogue_and_stock(
            &mut Rng::with_seed(seed),
            &format!("demo-{seed}-{orders}-stock"),
            &peak_units_held(&stock_moves),
            Timestamp(first - 7 * DAY_MS),
        ),
        orders: order_commands,
    }
}

/// A generator for order `n` of the demo with `seed`, unrelated to its neighbours'
/// (`SplitMix64`'s finaliser over both).
fn order_seed(seed: u64, n: usize) -> u64 {
    let n = u64::try_from(n).unwrap_or(u64::MAX);
    let mut z = seed ^ n.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// A product of the demo catalogue. `popularity` weighs how often order lines pick it.
struct Listing {
    sku: &'static str,
    name: &'static str,
    price_cents: u64,
    reorder_level: u64,
    popularity: u32,
}

const fn listing(
    sku: &'static str,
    name: &'static str,
    price_cents: u64,
    reorder_level: u64,
    popularity: u32,
) -> Listing {
    Listing {
        sku,
        name,
        price_cents,
        reorder_level,
        popularity,
    }
}

/// What the stall sells. Loose tea sells most; teapots and cup sets now and then.
const CATALOGUE: [Listing; 12] = [
    listing("TEA-EARL", "Earl Grey, loose leaf, 100 g", 895, 20, 14),
    listing("TEA-ASSAM", "Assam breakfast tea, 250 g", 1_250, 15, 12),
    listing("TEA-SENCHA", "Japanese sencha, 100 g", 1_195, 12, 9),
    listing("TEA-CHAI", "Masala chai blend, 100 g", 975, 15, 11),
    listing("TEA-MINT", "Moroccan mint, 100 g", 850, 10, 8),
    listing("TEA-CHAMOMILE", "Chamomile flowers, 50 g", 725, 10, 7),
    listing("POT-CAST", "Cast-iron teapot, 0.8 l", 4_800, 3, 3),
    listing("POT-GLASS", "Glass teapot with infuser, 1 l", 3_400, 4, 4),
    listing("MUG-STONE", "Stoneware mug, speckled glaze", 1_800, 8, 8),
    listing("CUP-SET", "Porcelain tea cups, set of four", 3_900, 3, 3),
    listing("INF-STEEL", "Stainless steel tea infuser", 650, 12, 9),
    listing("TOWEL-LINEN", "Linen tea towel", 1_450, 6, 5),
];

/// The stall's customers: name and email address.
const CUSTOMERS: [(&str, &str); 40] = [
    ("Amelia Hart", "amelia.hart@example.com"),
    ("Noah Bennett", "noah.bennett@example.org"),
    ("Priya Raman", "priya.raman@example.net"),
    ("Lucas Moreau", "lucas.moreau@example.com"),
    ("Hannah Schmidt", "h.schmidt@example.org"),
    ("Oliver Quinn", "oliver.quinn@example.com"),
    ("Sofia Rossi", "sofia.rossi@example.net"),
    ("Mateo García", "mateo.garcia@example.com"),
    ("Chloé Dubois", "chloe.dubois@example.org"),
    ("Ethan Walker", "ethan.walker@example.com"),
    ("Mei Tanaka", "mei.tanaka@example.net"),
    ("Jonah Fischer", "jonah.fischer@example.com"),
    ("Isla Campbell", "isla.campbell@example.org"),
    ("Kwame Mensah", "kwame.mensah@example.com"),
    ("Freya Lindqvist", "freya.lindqvist@example.net"),
    ("Samuel Okafor", "sam.okafor@example.com"),
    ("Grace O'Brien", "grace.obrien@example.org"),
    ("Daniel Novak", "daniel.novak@example.com"),
    ("Aisha Khan", "aisha.khan@example.net"),
    ("Leo Martins", "leo.martins@example.com"),
    ("Emma Jansen", "emma.jansen@example.org"),
    ("Tomás Silva", "tomas.silva@example.com"),
    ("Ruby Thompson", "ruby.thompson@example.net"),
    ("Arjun Mehta", "arjun.mehta@example.com"),
    ("Clara Weber", "clara.weber@example.org"),
    ("Finn Murphy", "finn.murphy@example.com"),
    ("Yuki Sato", "yuki.sato@example.net"),
    ("Nora Haddad", "nora.haddad@example.com"),
    ("Felix Bauer", "felix.bauer@example.org"),
    ("Zoe Papadopoulos", "zoe.papadopoulos@example.com"),
    ("Ibrahim Yilmaz", "ibrahim.yilmaz@example.net"),
    ("Alice Fontaine", "alice.fontaine@example.com"),
    ("Marcus Reid", "marcus.reid@example.org"),
    ("Elena Petrova", "elena.petrova@example.com"),
    ("Hugo Laurent", "hugo.laurent@example.net"),
    ("Maya Cohen", "maya.cohen@example.com"),
    ("Oscar Nilsson", "oscar.nilsson@example.org"),
    ("Lily Chen", "lily.chen@example.com"),
    ("Rafael Costa", "rafael.costa@example.net"),
    ("Ingrid Olsen", "ingrid.olsen@example.com"),
];

const CANCEL_REASONS: [&str; 6] = [
    "Customer changed their mind",
    "Ordered twice by mistake",
    "Payment never arrived",
    "Out of stock for too long",
    "Customer is moving house and asked to cancel",
    "Address could not be delivered to",
];

const NOTES: [&str; 5] = [
    "Gift wrap, please",
    "Leave with the neighbour if nobody is in",
    "Birthday present: no prices on the slip",
    "Will collect at the Saturday market",
    "Asked for samples of the new blends",
];

/// Sales tax, in hundredths of a percent: 8.25 %.
const TAX_BASIS_POINTS: u64 = 825;
/// Flat shipping, free from [`FREE_SHIPPING_FROM`] up.
const SHIPPING_CENTS: u64 = 595;
const FREE_SHIPPING_FROM: u64 = 7_500;

/// The demo's fixed texts are valid; `tests/native/demo_plan.rs` runs every one of them
/// through here.
fn valid<T>(parsed: Result<T, InputError>) -> T {
    parsed.unwrap_or_else(|error| panic!("the demo's fixed text is invalid: {error}"))
}

fn units(count: u32) -> Quantity {
    valid(Quantity::new(count))
}

fn sku(listing: &Listing) -> Sku {
    valid(Sku::parse(listing.sku))
}

/// `count` as a `u32` bound for a draw: the demo's lists are short.
fn bound(count: usize) -> u32 {
    u32::try_from(count).unwrap_or(u32::MAX)
}

/// An item of `items`, each as likely as the others.
fn pick<'a, T>(rng: &mut Rng, items: &'a [T]) -> &'a T {
    let index = rng.u32(0..bound(items.len()));
    &items[usize::try_from(index).unwrap_or(0)]
}

/// Whether something that happens `percent` times in a hundred happens this time.
fn chance(rng: &mut Rng, percent: u32) -> bool {
    rng.u32(0..100) < percent
}

/// `share` percent of `amount`, at least one cent and at least one cent short of it; `None`
/// when `amount` cannot be split in two parts of a cent or more.
fn part_of(amount: u64, share: u32) -> Option<u64> {
    (amount >= 2).then(|| (amount * u64::from(share) / 100).clamp(1, amount - 1))
}

/// Units of a product taken into reservations (+) or given back (−) at a moment: placing an
/// order reserves its lines, cancelling releases what was not shipped. Shipping moves units
/// from reserved to gone, which leaves this figure as it is.
struct StockMove {
    at: Timestamp,
    product: usize,
    units: i64,
}

/// For each product of the catalogue, the most units that orders hold at one time (reserved,
/// or shipped and so gone): what the opening delivery must cover for nothing to be
/// back-ordered. `moves` are sorted by time.
fn peak_units_held(moves: &[StockMove]) -> [u64; CATALOGUE.len()] {
    let mut held = [0_i64; CATALOGUE.len()];
    let mut peak = [0_u64; CATALOGUE.len()];
    for stock_move in moves {
        let product = stock_move.product;
        held[product] += stock_move.units;
        peak[product] = peak[product].max(u64::try_from(held[product]).unwrap_or(0));
    }
    peak
}

/// Each product registered, stocked and given its reorder level. Each delivery covers what
/// the orders will hold at their peak plus some spare; two products, picked by the seed, get
/// less spare than their reorder level, so the demo shows what running low looks like.
fn catalogue_and_stock(
    rng: &mut Rng,
    delivery_id: &str,
    peak_units: &[u64; CATALOGUE.len()],
    at: Timestamp,
) -> Vec<DemoCommand<ProductCommand>> {
    let products = bound(CATALOGUE.len());
    let low_one = rng.u32(0..products);
    let low_other = (low_one + 1 + rng.u32(0..products - 1)) % products;
    let mut commands = Vec::new();
    let mut issue = |stream_id: &str, command_id: String, command| {
        let minutes = i64::try_from(commands.len()).unwrap_or(0);
        commands.push(DemoCommand {
            stream_id: stream_id.to_owned(),
            command_id,
            at: Timestamp(at.0 + minutes * MINUTE_MS),
            command,
        });
    };
    for ((index, listing), peak) in (0..products).zip(&CATALOGUE).zip(peak_units) {
        let sku = sku(listing);
        let stream_id = product_stream(&sku);
        let level = listing.reorder_level;
        let spare = if index == low_one || index == low_other {
            rng.u64(0..level)
        } else {
            level + rng.u64(5..=3 * level)
        };
        issue(
            &stream_id,
            format!("demo-catalogue-{}-register", listing.sku),
            ProductCommand::Register {
                sku: sku.clone(),
                name: valid(ProductName::parse(listing.name)),
                price: Money::from_cents(listing.price_cents),
            },
        );
        let mut to_receive = peak + spare;
        let mut delivery = 0;
        while to_receive > 0 {
            let quantity = u32::try_from(to_receive.min(u64::from(Quantity::MAX))).unwrap_or(1);
            issue(
                &stream_id,
                format!("{delivery_id}-{}-{delivery}", listing.sku),
                ProductCommand::ReceiveStock {
                    quantity: units(quantity),
                },
            );
            to_receive -= u64::from(quantity);
            delivery += 1;
        }
        issue(
            &stream_id,
            format!("demo-catalogue-{}-reorder-level", listing.sku),
            ProductCommand::SetReorderLevel { level },
        );
    }
    commands
}

/// A line as the script keeps track of it.
struct ScriptLine {
    line_id: LineId,
    product: usize,
    ordered: u32,
    fulfilled: u32,
}

impl ScriptLine {
    fn remaining(&self) -> u32 {
        self.ordered - self.fulfilled
    }
}

/// What the seller does with the order once it exists.
enum Fate {
    Draft,
    CancelledDraft,
    Cancelled,
    Placed,
}

/// How a placed order is paid.
enum Payment {
    InFull,
    InTwoParts,
    InPart,
    Not,
}

/// How much of a placed order is shipped.
enum Dispatch {
    All,
    InTwoParcels,
    Part,
    Nothing,
}

/// One order's commands as a seller issues them, each at a moment after the one before and
/// none after `now`; the order's figures as the commands leave them, so that every amount
/// and quantity stays within what the domain accepts.
struct OrderScript {
    rng: Rng,
    clock: i64,
    now: i64,
    commands: Vec<(Timestamp, OrderCommand)>,
    lines: Vec<ScriptLine>,
    total: u64,
    paid: u64,
    refunded: u64,
    /// How the last payment was made: refunds go back the same way.
    paid_by: Option<PaymentMethod>,
    stock_moves: Vec<StockMove>,
}

impl OrderScript {
    /// The whole life of one order, drawn from `rng`.
    fn write(rng: Rng, created_at: Timestamp, now: Timestamp) -> OrderScript {
        let mut script = OrderScript {
            rng,
            clock: created_at.0,
            now: now.0,
            commands: Vec::new(),
            lines: Vec::new(),
            total: 0,
            paid: 0,
            refunded: 0,
            paid_by: None,
            stock_moves: Vec::new(),
        };
        script.create(created_at);
        script.charge_tax_and_shipping();
        if chance(&mut script.rng, 6) {
            script.add_note();
        }
        match script.fate() {
            Fate::Draft => {}
            Fate::CancelledDraft => script.cancel(),
            Fate::Cancelled => script.place_then_cancel(),
            Fate::Placed => script.place_and_complete(),
        }
        script
    }

    fn fate(&mut self) -> Fate {
        match self.rng.u32(0..100) {
            0..5 => Fate::Draft,
            5 => Fate::CancelledDraft,
            6..11 => Fate::Cancelled,
            _ => Fate::Placed,
        }
    }

    /// A moment `min_ms..=max_ms` after the last command, pulled closer when that would pass
    /// `now` (at most halfway to it), so a recent order's life still fits before `now`.
    fn later(&mut self, min_ms: i64, max_ms: i64) -> Timestamp {
        let delay = self.rng.i64(min_ms..=max_ms);
        self.clock += delay.min((self.now - self.clock) / 2).max(1);
        Timestamp(self.clock)
    }

    fn issue(&mut self, at: Timestamp, command: OrderCommand) {
        self.commands.push((at, command));
    }

    fn create(&mut self, created_at: Timestamp) {
        let (customer, email) = *pick(&mut self.rng, &CUSTOMERS);
        let line_count = match self.rng.u32(0..100) {
            0..55 => 1,
            55..85 => 2,
            _ => 3,
        };
        let mut lines = Vec::new();
        for line_id in (1..=line_count).map(LineId) {
            let product = self.another_product();
            let quantity = match self.rng.u32(0..100) {
                0..50 => 1,
                50..80 => 2,
                80..92 => 3,
                _ => 4,
            };
            let listing = &CATALOGUE[product];
            let gross = listing.price_cents * u64::from(quantity);
            let discount = if chance(&mut self.rng, 10) {
                gross * u64::from(*pick(&mut self.rng, &[10_u32, 15, 20])) / 100
            } else {
                0
            };
            self.total += gross - discount;
            self.lines.push(ScriptLine {
                line_id,
                product,
                ordered: quantity,
                fulfilled: 0,
            });
            lines.push(OrderLine {
                line_id,
                sku: sku(listing),
                product_name: valid(ProductName::parse(listing.name)),
                quantity: units(quantity),
                unit_price: Money::from_cents(listing.price_cents),
                discount: Money::from_cents(discount),
                discount_percent: None,
                tax: None,
            });
        }
        self.issue(
            created_at,
            OrderCommand::Create(CreateOrder {
                name: None,
                customer: valid(CustomerName::parse(customer)),
                email: Some(valid(Email::parse(email))),
                customer_id: None,
                exchange_for: None,
                currency: SHOP_CURRENCY,
                prices_include_tax: false,
                lines,
                created_at,
            }),
        );
    }

    /// A product weighed by popularity, not on the order yet.
    fn another_product(&mut self) -> usize {
        let total: u32 = CATALOGUE.iter().map(|listing| listing.popularity).sum();
        loop {
            let mut ticket = self.rng.u32(0..total);
            let product = CATALOGUE
                .iter()
                .position(|listing| {
                    let drawn = ticket < listing.popularity;
                    ticket = ticket.saturating_sub(listing.popularity);
                    drawn
                })
                .unwrap_or(0);
            if self.lines.iter().all(|line| line.product != product) {
                return product;
            }
        }
    }

    /// Orders sent by post pay shipping (free on larger orders); some customers pay sales
    /// tax. Nothing is set when neither applies.
    fn charge_tax_and_shipping(&mut self) {
        let subtotal = self.total;
        let shipping = if chance(&mut self.rng, 30) && subtotal < FREE_SHIPPING_FROM {
            SHIPPING_CENTS
        } else {
            0
        };
        let tax = if chance(&mut self.rng, 20) {
            (subtotal * TAX_BASIS_POINTS + 5_000) / 10_000
        } else {
            0
        };
        if tax + shipping == 0 {
            return;
        }
        self.total += tax + shipping;
        let at = self.later(MINUTE_MS, 10 * MINUTE_MS);
        self.issue(
            at,
            OrderCommand::SetCharges {
                tax: Money::from_cents(tax),
                shipping: Money::from_cents(shipping),
            },
        );
    }

    fn add_note(&mut self) {
        let note = *pick(&mut self.rng, &NOTES);
        let text = valid(Remark::parse(note));
        let at = self.later(MINUTE_MS, HOUR_MS);
        self.issue(at, OrderCommand::AddNote { text, at });
    }

    fn place(&mut self) {
        let at = self.later(2 * MINUTE_MS, 30 * MINUTE_MS);
        self.issue(at, OrderCommand::Place { at });
        let moves: Vec<StockMove> = self
            .lines
            .iter()
            .map(|line| StockMove {
                at,
                product: line.product,
                units: i64::from(line.ordered),
            })
            .collect();
        self.stock_moves.extend(moves);
    }

    /// Placed, then paid and shipped as most orders are, in full or in part; now and then
    /// some or all of a paid order is given back.
    fn place_and_complete(&mut self) {
        self.place();
        let payment = self.settle();
        self.dispatch(&payment);
        if self.paid > 0 && self.paid == self.total && chance(&mut self.rng, 7) {
            let full = self.paid - self.refunded;
            let share = self.rng.u32(10..=50);
            let amount = if chance(&mut self.rng, 50) {
                full
            } else {
                part_of(full, share).unwrap_or(full)
            };
            self.refund(amount);
        }
    }

    /// Most customers pay in full, some in two payments; some pay a part, some nothing yet.
    fn settle(&mut self) -> Payment {
        let payment = match self.rng.u32(0..100) {
            0..57 => Payment::InFull,
            57..76 => Payment::InTwoParts,
            76..88 => Payment::InPart,
            _ => Payment::Not,
        };
        match payment {
            Payment::InFull => self.pay(self.total),
            Payment::InTwoParts | Payment::InPart => {
                let share = self.rng.u32(20..=70);
                if let Some(first) = part_of(self.total, share) {
                    self.pay(first);
                    if matches!(payment, Payment::InTwoParts) {
                        self.pay(self.total - first);
                    }
                }
            }
            Payment::Not => {}
        }
        payment
    }

    /// Paid orders are mostly shipped whole; orders paid in part or not at all, less often.
    fn dispatch(&mut self, payment: &Payment) {
        let whole_percent = match payment {
            Payment::InFull | Payment::InTwoParts => 80,
            Payment::InPart => 25,
            Payment::Not => 8,
        };
        let dispatch = match self.rng.u32(0..100) {
            roll if roll < whole_percent => {
                if chance(&mut self.rng, 12) {
                    Dispatch::InTwoParcels
                } else {
                    Dispatch::All
                }
            }
            roll if roll < whole_percent + 12 => Dispatch::Part,
            _ => Dispatch::Nothing,
        };
        match dispatch {
            Dispatch::All => self.ship_the_rest(),
            Dispatch::InTwoParcels => {
                self.ship_part();
                if self.units_left() > 0 {
                    self.ship_the_rest();
                }
            }
            Dispatch::Part => self.ship_part(),
            Dispatch::Nothing => {}
        }
    }

    /// Placed, perhaps a deposit or the whole paid, perhaps a parcel sent, then cancelled;
    /// what was paid is usually given back.
    fn place_then_cancel(&mut self) {
        self.place();
        match self.rng.u32(0..100) {
            0..35 => {
                let share = self.rng.u32(20..=50);
                if let Some(deposit) = part_of(self.total, share) {
                    self.pay(deposit);
                }
            }
            35..50 => self.pay(self.total),
            _ => {}
        }
        // Never everything: a fulfilled order cannot be cancelled.
        if chance(&mut self.rng, 15) && self.units_left() >= 2 {
            self.ship_part();
        }
        self.cancel();
        if self.paid > 0 && chance(&mut self.rng, 85) {
            self.refund(self.paid - self.refunded);
        }
    }

    fn pay(&mut self, amount: u64) {
        if amount == 0 {
            return;
        }
        let method = match self.rng.u32(0..100) {
            0..55 => PaymentMethod::Card,
            55..80 => PaymentMethod::Cash,
            80..95 => PaymentMethod::BankTransfer,
            _ => PaymentMethod::Other,
        };
        let at = self.later(10 * MINUTE_MS, 3 * DAY_MS);
        self.paid += amount;
        self.paid_by = Some(method);
        self.issue(
            at,
            OrderCommand::RecordPayment {
                amount: Money::from_cents(amount),
                currency: SHOP_CURRENCY,
                method,
                at,
            },
        );
    }

    fn units_left(&self) -> u32 {
        self.lines.iter().map(ScriptLine::remaining).sum()
    }

    /// A parcel with some of the order's units and never all of them; everything when the
    /// order has a single unit left.
    fn ship_part(&mut self) {
        let left = self.units_left();
        if left < 2 {
            self.ship_the_rest();
            return;
        }
        let mut parcel: Vec<u32> = Vec::with_capacity(self.lines.len());
        for line in &self.lines {
            parcel.push(self.rng.u32(0..=line.remaining()));
        }
        let packed: u32 = parcel.iter().sum();
        if packed == left {
            // Everything: keep one unit back.
            if let Some(units) = parcel.iter_mut().rev().find(|units| **units > 0) {
                *units -= 1;
            }
        } else if packed == 0 {
            // Nothing: send one unit of the first line with some left.
            if let Some((units, _)) = parcel
                .iter_mut()
                .zip(&self.lines)
                .find(|(_, line)| line.remaining() > 0)
            {
                *units = 1;
            }
        }
        let mut shipped = Vec::new();
        for (line, units_sent) in self.lines.iter_mut().zip(parcel) {
            if units_sent > 0 {
                line.fulfilled += units_sent;
                shipped.push(LineQuantity {
                    line_id: line.line_id,
                    quantity: units(units_sent),
                });
            }
        }
        let at = self.later(HOUR_MS, 4 * DAY_MS);
        self.issue(
            at,
            OrderCommand::Fulfil {
                lines: FulfilLines::Only(shipped),
                at,
            },
        );
    }

    fn ship_the_rest(&mut self) {
        for line in &mut self.lines {
            line.fulfilled = line.ordered;
        }
        let at = self.later(HOUR_MS, 6 * DAY_MS);
        self.issue(
            at,
            OrderCommand::Fulfil {
                lines: FulfilLines::AllRemaining,
                at,
            },
        );
    }

    fn refund(&mut self, amount: u64) {
        if amount == 0 {
            return;
        }
        let at = self.later(DAY_MS, 20 * DAY_MS);
        self.refunded += amount;
        self.issue(
            at,
            OrderCommand::RecordRefund {
                amount: Money::from_cents(amount),
                currency: SHOP_CURRENCY,
                method: self.paid_by,
                at,
            },
        );
    }

    /// Cancels the order; the units it still held go back to stock.
    fn cancel(&mut self) {
        let reason = *pick(&mut self.rng, &CANCEL_REASONS);
        let reason = valid(Remark::parse(reason));
        let at = self.later(HOUR_MS, 5 * DAY_MS);
        self.issue(at, OrderCommand::Cancel { reason, at });
        let placed = self
            .commands
            .iter()
            .any(|(_, command)| matches!(command, OrderCommand::Place { .. }));
        if placed {
            let moves: Vec<StockMove> = self
                .lines
                .iter()
                .filter(|line| line.remaining() > 0)
                .map(|line| StockMove {
                    at,
                    product: line.product,
                    units: -i64::from(line.remaining()),
                })
                .collect();
            self.stock_moves.extend(moves);
        }
    }
}
