//! A Shopify "Export orders" CSV, read as the commands a seller would have issued: create,
//! add lines, set charges, place, pay, fulfil, refund, cancel, note. Every order is decided
//! by the order decider before anything is written, so every rule of the domain checks it;
//! an order with any refused command is rejected whole, with its line number and reason.
//!
//! Real exports are messy: a UTF-8 BOM, CRLF, quoted fields with commas, quotes and
//! newlines, columns in any order, extra and missing optional columns, blank cells. One row
//! per line item; the order's own columns only on its first row.

use std::collections::BTreeMap;

use time::format_description::FormatItem;
use time::macros::format_description;
use time::OffsetDateTime;

use crate::domain::customer::{customer_stream, CustomerCommand, CustomerDetails};
use crate::domain::{
    order_stream, product_stream, CreateOrder, Currency, CustomerName, Email, FinancialStatus,
    FulfilLines, FulfilmentStatus, LineId, LineQuantity, Money, Order, OrderCommand, OrderLine,
    OrderName, PaymentMethod, ProductCommand, ProductName, Quantity, Remark, Sku, Stage, Timestamp,
};
use crate::es::{sha256_hex, Aggregate, CommandMeta, Planned};

/// The whole file could not be read as an orders export.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ImportError {
    #[error("the file is empty")]
    Empty,
    #[error("this is not a Shopify orders export: the column {0} is missing")]
    MissingColumn(&'static str),
    #[error("the file could not be read as CSV: {0}")]
    NotCsv(String),
}

/// A row (by its line number in the file, 1 being the header) that will not be imported.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rejection {
    pub line: u64,
    pub order: String,
    pub reason: String,
}

/// What the file holds, before anything is written: the preview.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ImportPlan {
    /// Orders that will be imported, and their line items.
    pub orders: usize,
    pub lines: usize,
    pub rejected: Vec<Rejection>,
    /// One `Register` per SKU seen, first.
    pub products: Vec<Planned<ProductCommand>>,
    /// One `Register` per email not yet a customer's, next (see [`ImportPlan::for_customers`]).
    pub customers: Vec<Planned<CustomerCommand>>,
    /// Every accepted order's commands, order by order.
    pub commands: Vec<Planned<OrderCommand>>,
}

impl ImportPlan {
    /// The plan with its orders made for customers, matched by email (in any case): the
    /// customer `known` has for it, else one the import registers, its id made from the
    /// email so that importing the file again registers no one twice. An order without an
    /// email names no customer.
    #[must_use]
    pub fn for_customers(mut self, known: &BTreeMap<String, String>) -> ImportPlan {
        let mut registered: BTreeMap<String, String> = BTreeMap::new();
        for (_, command, _) in &mut self.commands {
            let OrderCommand::Create(create) = command else {
                continue;
            };
            let Some(email) = &create.email else {
                continue;
            };
            let key = email.as_str().to_lowercase();
            let id = if let Some(id) = known.get(&key).or_else(|| registered.get(&key)) {
                id.clone()
            } else {
                let id = customer_id_for(&key);
                let details = CustomerDetails::named(create.customer.clone(), Some(email.clone()));
                self.customers.push((
                    customer_stream(&id),
                    CustomerCommand::Register(details),
                    CommandMeta::direct(format!("import-customer-{id}"), 0),
                ));
                registered.insert(key, id.clone());
                id
            };
            create.customer_id = Some(id);
        }
        self
    }
}

/// The id of the customer an import registers for `email` (lowercased): `email-` and the
/// first 16 hex digits of its SHA-256, the same on every device and every import.
fn customer_id_for(email: &str) -> String {
    format!("email-{}", &sha256_hex(&[email.as_bytes()])[..16])
}

const REQUIRED: [&str; 4] = [
    "Name",
    "Lineitem quantity",
    "Lineitem price",
    "Lineitem name",
];

/// Physical line numbers of records, counting newlines inside quoted fields too: the
/// parser's own line count misses those after a CRLF, where its offset points at the `\n`
/// that ends the line before. Counts each byte once, from one record to the next.
#[derive(Default)]
struct LineCounter {
    counted_to: usize,
    newlines: u64,
}

impl LineCounter {
    fn line_at(&mut self, text: &str, byte: u64) -> u64 {
        let bytes = text.as_bytes();
        let start = usize::try_from(byte).unwrap_or(usize::MAX).min(bytes.len());
        let through = if bytes.get(start) == Some(&b'\n') {
            start + 1
        } else {
            start
        };
        if through > self.counted_to {
            #[allow(clippy::naive_bytecount)] // one pass over the file; not worth a crate
            let newlines = bytes[self.counted_to..through]
                .iter()
                .filter(|b| **b == b'\n')
                .count();
            self.newlines += newlines as u64;
            self.counted_to = through;
        }
        self.newlines + 1
    }
}

/// One CSV row, by column name.
struct Row {
    line: u64,
    cells: BTreeMap<String, String>,
}

impl Row {
    /// The cell, trimmed, without the apostrophe that guards a formula (see [`defused`]).
    fn get(&self, column: &str) -> &str {
        let cell = self.cells.get(column).map_or("", |v| v.trim());
        match cell.strip_prefix('\'') {
            Some(guarded) if guarded.starts_with(FORMULA_STARTS) => guarded,
            _ => cell,
        }
    }
}

/// What makes a spreadsheet read a cell as a formula (OWASP's list for CSV injection).
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// Text for a CSV cell that a spreadsheet shows as text, never runs: a cell starting like a
/// formula gets a leading apostrophe, which spreadsheets hide and [`plan`] drops again.
fn defused(text: &str) -> String {
    if text.starts_with(FORMULA_STARTS) {
        format!("'{text}")
    } else {
        text.to_owned()
    }
}

/// `2026-05-01 10:00:00 +0200` (Shopify), or RFC 3339.
fn parse_time(text: &str) -> Result<Timestamp, String> {
    const SHOPIFY: &[FormatItem<'static>] = format_description!(
        "[year]-[month]-[day] [hour]:[minute]:[second] [offset_hour sign:mandatory][offset_minute]"
    );
    let at = OffsetDateTime::parse(text, SHOPIFY)
        .or_else(|_| OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339))
        .map_err(|_| format!("the date {text:?} is not like 2026-05-01 10:00:00 +0200"))?;
    i64::try_from(at.unix_timestamp_nanos() / 1_000_000)
        .map(Timestamp)
        .map_err(|_| format!("the date {text:?} is out of range"))
}

fn money(row: &Row, column: &str) -> Result<Money, String> {
    let text = row.get(column);
    if text.is_empty() {
        return Ok(Money::ZERO);
    }
    Money::parse(text).map_err(|e| format!("{column} {text:?}: {e}"))
}

fn field<T>(
    parsed: Result<T, crate::domain::InputError>,
    column: &str,
    text: &str,
) -> Result<T, String> {
    parsed.map_err(|e| format!("{column} {text:?}: {e}"))
}

/// Reads the export.
///
/// # Errors
/// [`ImportError`] when the file as a whole is not an orders export; single orders that do
/// not import are in [`ImportPlan::rejected`].
pub fn plan(text: &str) -> Result<ImportPlan, ImportError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return Err(ImportError::Empty);
    }
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| ImportError::NotCsv(e.to_string()))?
        .iter()
        .map(|h| h.trim().to_owned())
        .collect();
    for column in REQUIRED {
        if !headers.iter().any(|h| h == column) {
            return Err(ImportError::MissingColumn(column));
        }
    }
    // Rows grouped by order name, in the order the names first appear.
    let mut groups: Vec<(String, Vec<Row>)> = Vec::new();
    let mut index: BTreeMap<String, usize> = BTreeMap::new();
    let mut plan = ImportPlan::default();
    let mut lines = LineCounter::default();
    for record in reader.records() {
        let record = record.map_err(|e| ImportError::NotCsv(e.to_string()))?;
        let line = record
            .position()
            .map_or(0, |p| lines.line_at(text, p.byte()));
        let cells: BTreeMap<String, String> = headers
            .iter()
            .cloned()
            .zip(record.iter().map(str::to_owned))
            .collect();
        let row = Row { line, cells };
        let name = row.get("Name").to_owned();
        if name.is_empty() {
            plan.rejected.push(Rejection {
                line,
                order: String::new(),
                reason: "the row has no order Name".into(),
            });
            continue;
        }
        let slot = *index.entry(name.clone()).or_insert_with(|| {
            groups.push((name.clone(), Vec::new()));
            groups.len() - 1
        });
        groups[slot].1.push(row);
    }
    let mut products: BTreeMap<Sku, (ProductName, Money)> = BTreeMap::new();
    for (name, rows) in groups {
        let first_line = rows.first().map_or(0, |r| r.line);
        match order_commands(&name, &rows)
            .and_then(|(commands, total)| check(&name, commands, total))
        {
            Ok(commands) => {
                plan.orders += 1;
                plan.lines += rows.len();
                for (_, command, _) in &commands {
                    if let OrderCommand::Create(create) = command {
                        for line in &create.lines {
                            products
                                .entry(line.sku.clone())
                                .or_insert_with(|| (line.product_name.clone(), line.unit_price));
                        }
                    }
                }
                plan.commands.extend(commands);
            }
            Err(reason) => plan.rejected.push(Rejection {
                line: first_line,
                order: name,
                reason,
            }),
        }
    }
    plan.products = products
        .into_iter()
        .map(|(sku, (name, price))| {
            let id = format!("import-product-{}", sku.as_str());
            let stream = product_stream(&sku);
            (
                stream,
                ProductCommand::Register { sku, name, price },
                CommandMeta::direct(id, 0),
            )
        })
        .collect();
    plan.rejected.sort_by_key(|r| r.line);
    Ok(plan)
}

/// Decides the order's commands in memory: an order any rule refuses, or whose total is
/// not the export's `Total`, is rejected whole.
fn check(
    name: &str,
    commands: Vec<Planned<OrderCommand>>,
    total: Option<Money>,
) -> Result<Vec<Planned<OrderCommand>>, String> {
    let wrong_total = |order: &Order| match (total, order.total()) {
        (Some(expected), Some(computed)) if expected != computed => Some(format!(
            "order {name}: Total {expected} is not its lines, tax and shipping ({computed})"
        )),
        _ => None,
    };
    let mut order = Order::default();
    for (_, command, _) in &commands {
        // A wrong Total makes the payments refused too; the Total is the reason to give.
        let events = order
            .decide(command)
            .map_err(|e| wrong_total(&order).unwrap_or_else(|| format!("order {name}: {e}")))?;
        order = events.iter().fold(order, Order::evolve);
    }
    wrong_total(&order).map_or(Ok(commands), Err)
}

/// The commands a seller would have issued for the order `name` with these rows.
/// Also the export's `Total`, when it gives one, for [`check`].
fn order_commands(
    name: &str,
    rows: &[Row],
) -> Result<(Vec<Planned<OrderCommand>>, Option<Money>), String> {
    let head = &rows[0];
    let stream = order_stream(&format!("shopify-{name}"));
    let created_at = parse_time(head.get("Created at"))?;
    let currency_text = if head.get("Currency").is_empty() {
        "USD"
    } else {
        head.get("Currency")
    };
    let currency = field(Currency::parse(currency_text), "Currency", currency_text)?;
    let customer_text = [
        head.get("Billing Name"),
        head.get("Shipping Name"),
        head.get("Email"),
    ]
    .into_iter()
    .find(|t| !t.is_empty())
    .unwrap_or("Unknown customer");
    let customer = field(
        CustomerName::parse(customer_text),
        "Billing Name",
        customer_text,
    )?;
    let email = match head.get("Email") {
        "" => None,
        text => Some(field(Email::parse(text), "Email", text)?),
    };
    let order_name = field(OrderName::parse(name), "Name", name)?;

    let lines = line_items(rows)?;

    let mut commands: Vec<OrderCommand> = vec![OrderCommand::Create(CreateOrder {
        name: Some(order_name),
        customer,
        email,
        customer_id: None,
        exchange_for: None,
        currency,
        prices_include_tax: false,
        lines: lines.clone(),
        created_at,
    })];
    let (tax, shipping) = (money(head, "Taxes")?, money(head, "Shipping")?);
    if tax != Money::ZERO || shipping != Money::ZERO {
        commands.push(OrderCommand::SetCharges { tax, shipping });
    }
    let cancelled_at = match head.get("Cancelled at") {
        "" => None,
        text => Some(parse_time(text)?),
    };
    let financial = head.get("Financial Status").to_lowercase();
    if financial == "voided" && cancelled_at.is_none() {
        return Err(format!("order {name} is voided but has no Cancelled at"));
    }
    commands.push(OrderCommand::Place { at: created_at });
    let total = money(head, "Total")?;
    commands.extend(payments_and_fulfilment(
        name, rows, &lines, currency, created_at, total,
    )?);
    if let Some(at) = cancelled_at {
        commands.push(OrderCommand::Cancel {
            reason: Remark::parse("cancelled in Shopify").map_err(|e| e.to_string())?,
            at,
        });
    }
    if !head.get("Notes").is_empty() {
        let text = head.get("Notes");
        commands.push(OrderCommand::AddNote {
            text: field(Remark::parse(text), "Notes", text)?,
            at: created_at,
        });
    }
    let planned = commands
        .into_iter()
        .enumerate()
        .map(|(k, command)| {
            let meta = CommandMeta::direct(format!("import-{name}-{k}"), created_at.0);
            (stream.clone(), command, meta)
        })
        .collect();
    let stated_total = (!head.get("Total").is_empty()).then_some(total);
    Ok((planned, stated_total))
}

/// The order's line items, one per row, numbered from 1.
fn line_items(rows: &[Row]) -> Result<Vec<OrderLine>, String> {
    let mut lines = Vec::with_capacity(rows.len());
    for (n, row) in rows.iter().enumerate() {
        let line_id = LineId(u32::try_from(n + 1).map_err(|_| "too many line items".to_owned())?);
        let quantity_text = row.get("Lineitem quantity");
        let name_text = row.get("Lineitem name");
        let sku_text = if row.get("Lineitem sku").is_empty() {
            name_text
        } else {
            row.get("Lineitem sku")
        };
        lines.push(OrderLine {
            line_id,
            sku: field(
                Sku::parse(sku_text),
                &format!("line {} Lineitem sku", row.line),
                sku_text,
            )?,
            product_name: field(
                ProductName::parse(name_text),
                &format!("line {} Lineitem name", row.line),
                name_text,
            )?,
            quantity: field(
                Quantity::parse(quantity_text),
                &format!("line {} Lineitem quantity", row.line),
                quantity_text,
            )?,
            unit_price: money(row, "Lineitem price")
                .map_err(|e| format!("line {}: {e}", row.line))?,
            discount: money(row, "Lineitem discount")
                .map_err(|e| format!("line {}: {e}", row.line))?,
            discount_percent: None,
            tax: None,
        });
    }

    Ok(lines)
}

/// What was paid, refunded and shipped, as the commands that record it.
fn payments_and_fulfilment(
    name: &str,
    rows: &[Row],
    lines: &[OrderLine],
    currency: Currency,
    created_at: Timestamp,
    total: Money,
) -> Result<Vec<OrderCommand>, String> {
    let head = &rows[0];
    let financial = head.get("Financial Status").to_lowercase();
    let mut commands = Vec::new();
    let paid_at = match head.get("Paid at") {
        "" => created_at,
        text => parse_time(text)?,
    };
    let pay = |amount: Money| OrderCommand::RecordPayment {
        amount,
        currency,
        method: PaymentMethod::Other,
        at: paid_at,
    };
    match financial.as_str() {
        "paid" => commands.push(pay(total)),
        "partially_paid" => {
            let outstanding = money(head, "Outstanding Balance")?;
            let paid = total
                .checked_sub(outstanding)
                .ok_or_else(|| format!("order {name}: Outstanding Balance exceeds Total"))?;
            commands.push(pay(paid));
        }
        "refunded" | "partially_refunded" => {
            // What was paid: the Total less what is still outstanding (usually nothing).
            let outstanding = money(head, "Outstanding Balance")?;
            let paid = total
                .checked_sub(outstanding)
                .ok_or_else(|| format!("order {name}: Outstanding Balance exceeds Total"))?;
            commands.push(pay(paid));
            commands.push(OrderCommand::RecordRefund {
                amount: money(head, "Refunded Amount")?,
                currency,
                method: None,
                at: paid_at,
            });
        }
        "pending" | "authorized" | "" | "voided" => {}
        other => return Err(format!("order {name}: unknown Financial Status {other:?}")),
    }
    let fulfilled_at = match head.get("Fulfilled at") {
        "" => created_at,
        text => parse_time(text)?,
    };
    match head.get("Fulfillment Status").to_lowercase().as_str() {
        "fulfilled" => commands.push(OrderCommand::Fulfil {
            lines: FulfilLines::AllRemaining,
            at: fulfilled_at,
        }),
        "partial" => {
            let shipped: Vec<LineQuantity> = rows
                .iter()
                .zip(lines)
                .filter(|(row, _)| {
                    row.get("Lineitem fulfillment status")
                        .eq_ignore_ascii_case("fulfilled")
                })
                .map(|(_, line)| LineQuantity {
                    line_id: line.line_id,
                    quantity: line.quantity,
                })
                .collect();
            if !shipped.is_empty() {
                commands.push(OrderCommand::Fulfil {
                    lines: FulfilLines::Only(shipped),
                    at: fulfilled_at,
                });
            }
        }
        "unfulfilled" | "" | "restocked" => {}
        other => {
            return Err(format!(
                "order {name}: unknown Fulfillment Status {other:?}"
            ))
        }
    }
    Ok(commands)
}

/// The columns [`export`] writes, in Shopify's order.
pub const EXPORT_COLUMNS: [&str; 24] = [
    "Name",
    "Email",
    "Financial Status",
    "Paid at",
    "Fulfillment Status",
    "Fulfilled at",
    "Currency",
    "Subtotal",
    "Shipping",
    "Taxes",
    "Total",
    "Discount Amount",
    "Created at",
    "Lineitem quantity",
    "Lineitem name",
    "Lineitem price",
    "Lineitem sku",
    "Lineitem fulfillment status",
    "Lineitem discount",
    "Billing Name",
    "Notes",
    "Cancelled at",
    "Refunded Amount",
    "Outstanding Balance",
];

fn shopify_time(at: Timestamp) -> String {
    const SHOPIFY_UTC: &[FormatItem<'static>] =
        format_description!("[year]-[month]-[day] [hour]:[minute]:[second] +0000");
    OffsetDateTime::from_unix_timestamp_nanos(i128::from(at.0) * 1_000_000)
        .ok()
        .and_then(|t| t.format(SHOPIFY_UTC).ok())
        .unwrap_or_default()
}

fn financial(status: FinancialStatus) -> &'static str {
    match status {
        FinancialStatus::Pending => "pending",
        FinancialStatus::PartiallyPaid => "partially_paid",
        FinancialStatus::Paid => "paid",
        FinancialStatus::PartiallyRefunded => "partially_refunded",
        FinancialStatus::Refunded => "refunded",
        FinancialStatus::Voided => "voided",
    }
}

/// Writes placed orders (cancelled ones included), each with its number (the Name when it
/// has none), in Shopify's orders-export layout: one row per line item, the order's own
/// columns on its first row. Drafts are left out, as
/// Shopify's export has none. What the layout cannot hold is not kept: payment times and
/// methods (one Paid at, the creation time), and units of a line shipped in part (the line
/// reads as not fulfilled). Text that a spreadsheet would run as a formula is defused
/// (see [`defused`]); importing the file gives the text back as it was.
///
/// # Errors
/// When the CSV writer fails, which writing to memory does not.
pub fn export<'a>(orders: impl IntoIterator<Item = (u64, &'a Order)>) -> Result<String, String> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer
        .write_record(EXPORT_COLUMNS)
        .map_err(|e| e.to_string())?;
    for (number, order) in orders {
        let (Some(header), Some(placed_at), cancelled_at) =
            (order.header(), placed_at(order), cancelled_at(order))
        else {
            continue;
        };
        let name = header
            .name
            .as_ref()
            .map_or_else(|| format!("#{number}"), |n| defused(n.as_str()));
        let fulfilment = match order.fulfilment_status() {
            FulfilmentStatus::Fulfilled => "fulfilled",
            FulfilmentStatus::Partial => "partial",
            FulfilmentStatus::Unfulfilled => "unfulfilled",
        };
        let discount = order
            .lines()
            .iter()
            .fold(Money::ZERO, |sum, l| sum.saturating_add(l.line.discount));
        let notes: Vec<&str> = order.notes().iter().map(|n| n.text.as_str()).collect();
        let created = shopify_time(header.created_at);
        for (n, state) in order.lines().iter().enumerate() {
            let line = &state.line;
            let shipped = if state.remaining() == 0 {
                "fulfilled"
            } else {
                "pending"
            };
            let order_cells: [String; 12] = if n == 0 {
                [
                    header
                        .email
                        .as_ref()
                        .map_or(String::new(), |e| defused(e.as_str())),
                    financial(order.financial_status()).to_owned(),
                    if order.paid() == Money::ZERO {
                        String::new()
                    } else {
                        shopify_time(placed_at)
                    },
                    fulfilment.to_owned(),
                    if fulfilment == "unfulfilled" {
                        String::new()
                    } else {
                        shopify_time(placed_at)
                    },
                    header.currency.to_string(),
                    order.subtotal().unwrap_or_default().to_plain(),
                    order.shipping().to_plain(),
                    order.tax().to_plain(),
                    order.total().unwrap_or_default().to_plain(),
                    discount.to_plain(),
                    created.clone(),
                ]
            } else {
                Default::default()
            };
            let tail: [String; 5] = if n == 0 {
                [
                    defused(header.customer.as_str()),
                    defused(&notes.join("\n")),
                    cancelled_at.map(shopify_time).unwrap_or_default(),
                    order.refunded().to_plain(),
                    order.balance_due().unwrap_or_default().to_plain(),
                ]
            } else {
                Default::default()
            };
            let mut record: Vec<String> = vec![name.clone()];
            record.extend(order_cells);
            record.extend([
                line.quantity.to_string(),
                defused(line.product_name.as_str()),
                line.unit_price.to_plain(),
                defused(line.sku.as_str()),
                shipped.to_owned(),
                line.discount.to_plain(),
            ]);
            record.extend(tail);
            writer.write_record(&record).map_err(|e| e.to_string())?;
        }
    }
    let bytes = writer.into_inner().map_err(|e| e.to_string())?;
    String::from_utf8(bytes).map_err(|e| e.to_string())
}

fn placed_at(order: &Order) -> Option<Timestamp> {
    match order.stage() {
        Stage::Placed { placed_at } => Some(*placed_at),
        Stage::Cancelled { placed_at, .. } => *placed_at,
        Stage::Draft => None,
    }
}

fn cancelled_at(order: &Order) -> Option<Timestamp> {
    match order.stage() {
        Stage::Cancelled { cancelled_at, .. } => Some(*cancelled_at),
        _ => None,
    }
}
