//! Fuzzing every way text gets into orderlog: a Shopify orders CSV, a backup file, a stored
//! event's payload, and the fields a seller types into a command's form. Each input is
//! either taken or refused with a reason; nothing panics, and nothing refused is written.
//!
//! `FUZZ_CASES` sets the cases per target (2,000 by default); the test command runs
//! 100,000 each in the `fuzz` profile (optimised, with overflow checks on, so arithmetic
//! that would wrap fails here instead).

use futures::executor::block_on;
use orderlog::app::bulk::load;
use orderlog::demo;
use orderlog::domain::customer::Customer;
use orderlog::domain::{Currency, LineId, Order, Product, Shop, ShopEvent, Timestamp};
use orderlog::es::{
    codec, verify, verify_chain, Aggregate, Envelope, EventStore, MemoryStore, NewEvent,
};
use orderlog::forms;
use orderlog::io::{backup, shopify};
use proptest::prelude::*;
use serde_json::Value;

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: std::env::var("FUZZ_CASES")
            .ok()
            .and_then(|cases| cases.parse().ok())
            .unwrap_or(2_000),
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

// ---- a Shopify orders CSV ----

/// The columns of an export: those orderlog writes, and two it does not read.
fn export_columns() -> Vec<&'static str> {
    shopify::EXPORT_COLUMNS
        .into_iter()
        .chain(["Tags", "Vendor"])
        .collect()
}

/// Cells a real export holds, and cells that break things.
fn cell() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "",
            "#1001",
            "#1002",
            "#1003",
            "paid",
            "pending",
            "partially_paid",
            "refunded",
            "partially_refunded",
            "voided",
            "fulfilled",
            "partial",
            "unfulfilled",
            "USD",
            "EUR",
            "usd",
            "2026-05-01 10:00:00 +0200",
            "2026-05-02 09:00:00 +0000",
            "2026-13-45 99:00:00 +9900",
            "2026-05-01T10:00:00Z",
            "0",
            "1",
            "2",
            "-1",
            "5.00",
            "10.00",
            "0.01",
            "24.00",
            "-5.00",
            "1e9",
            "99999999999999999999",
            "184467440737095516.15",
            "5,00",
            "abc",
            "TEA-1",
            "TEA-2",
            "=1+2",
            "@SUM(A1)",
            "'=1+2",
            "<img src=x onerror=alert(1)>",
            "Ada Lovelace",
            "a@b.c",
            "not an email",
            "\u{feff}",
            "\"",
            "\"\"",
            ",",
            "\n",
            "\r\n",
            " ",
            "ünïcödé 名前",
            "\0",
        ])
        .prop_map(str::to_owned),
        "\\PC{0,12}",
    ]
}

/// A file: some of the columns in any order (sometimes all), then rows of cells; written
/// by the CSV writer (quoting as a real export does) or joined raw (quoting broken).
fn csv_file() -> impl Strategy<Value = String> {
    (
        prop::sample::subsequence(export_columns(), 0..=export_columns().len()),
        any::<bool>(),
        prop::collection::vec(prop::collection::vec(cell(), 0..28), 0..12),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(|(mut columns, all, rows, quoted, bom)| {
            if all {
                columns = export_columns();
            }
            let mut text = String::new();
            if bom {
                text.push('\u{feff}');
            }
            if quoted {
                let mut writer = csv::WriterBuilder::new()
                    .flexible(true)
                    .from_writer(Vec::new());
                writer.write_record(&columns).unwrap();
                for row in &rows {
                    writer.write_record(row).unwrap();
                }
                text.push_str(&String::from_utf8(writer.into_inner().unwrap()).unwrap());
            } else {
                text.push_str(&columns.join(","));
                for row in &rows {
                    text.push('\n');
                    text.push_str(&row.join(","));
                }
            }
            text
        })
}

fn check_import(text: &str) -> Result<(), TestCaseError> {
    let Ok(preview) = shopify::plan(text) else {
        return Ok(()); // refused whole, with its reason (ImportError)
    };
    for rejection in &preview.rejected {
        prop_assert!(
            !rejection.reason.is_empty() && rejection.line >= 2,
            "{rejection:?}"
        );
    }
    // What the preview promises, the deciders keep: every planned command is accepted.
    let store = MemoryStore::new();
    let outcome = block_on(load(
        &store,
        preview.products,
        preview.commands,
        async |_, _, _| true,
    ))
    .unwrap();
    prop_assert_eq!(&outcome.refused, &vec![], "{}", text);
    prop_assert!(block_on(verify(&store)).is_ok());
    Ok(())
}

// ---- a backup file ----

/// A real log: the demo shop's first commands, decided and appended.
fn demo_log(orders: usize) -> Vec<Envelope> {
    let plan = demo::plan(orders, 11, Timestamp(1_780_000_000_000));
    let store = MemoryStore::new();
    block_on(load(
        &store,
        demo::planned(plan.products),
        demo::planned(plan.orders),
        async |_, _, _| true,
    ))
    .unwrap();
    block_on(store.read_all(1, 100_000)).unwrap()
}

#[derive(Clone, Debug)]
enum Damage {
    /// Replace the character at this share of the text.
    Replace(f64, char),
    Insert(f64, char),
    Delete(f64),
    Truncate(f64),
    DropLine(usize),
    DuplicateLine(usize),
    SwapLines(usize, usize),
}

fn damage() -> impl Strategy<Value = Damage> {
    let at = 0.0..1.0_f64;
    prop_oneof![
        (at.clone(), any::<char>()).prop_map(|(at, c)| Damage::Replace(at, c)),
        (
            at.clone(),
            prop::sample::select(vec!['0', '1', 'a', '"', '{', '}', ',', ':', '\n', ' '])
        )
            .prop_map(|(at, c)| Damage::Replace(at, c)),
        (at.clone(), any::<char>()).prop_map(|(at, c)| Damage::Insert(at, c)),
        at.clone().prop_map(Damage::Delete),
        at.prop_map(Damage::Truncate),
        (0..40_usize).prop_map(Damage::DropLine),
        (0..40_usize).prop_map(Damage::DuplicateLine),
        (0..40_usize, 0..40_usize).prop_map(|(a, b)| Damage::SwapLines(a, b)),
    ]
}

fn damaged(text: &str, damages: &[Damage]) -> String {
    let mut chars: Vec<char> = text.chars().collect();
    #[allow(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        clippy::cast_precision_loss
    )]
    let index = |len: usize, at: f64| ((len as f64) * at) as usize;
    for damage in damages {
        let len = chars.len();
        match *damage {
            Damage::Replace(at, c) if len > 0 => chars[index(len, at).min(len - 1)] = c,
            Damage::Delete(at) if len > 0 => drop(chars.remove(index(len, at).min(len - 1))),
            Damage::Replace(..) | Damage::Delete(_) => {} // nothing left to damage
            Damage::Insert(at, c) => chars.insert(index(len, at).min(len), c),
            Damage::Truncate(at) => chars.truncate(index(len, at)),
            Damage::DropLine(_) | Damage::DuplicateLine(_) | Damage::SwapLines(..) => {
                let text: String = chars.iter().collect();
                chars = damaged_lines(&text, damage).chars().collect();
            }
        }
    }
    chars.into_iter().collect()
}

/// `text` with one of its lines dropped, duplicated or swapped with another.
fn damaged_lines(text: &str, damage: &Damage) -> String {
    let mut lines: Vec<&str> = text.lines().collect();
    if lines.is_empty() {
        return text.to_owned();
    }
    let n = lines.len();
    match *damage {
        Damage::DropLine(i) => drop(lines.remove(i % n)),
        Damage::DuplicateLine(i) => lines.insert(i % n, lines[i % n]),
        Damage::SwapLines(a, b) => lines.swap(a % n, b % n),
        _ => {}
    }
    lines.join("\n") + "\n"
}

// ---- a stored event's payload ----

/// Values that break a payload's fields.
fn hostile_value() -> impl Strategy<Value = Value> {
    prop::sample::select(vec![
        Value::Null,
        Value::Bool(true),
        serde_json::json!(-1),
        serde_json::json!(0),
        serde_json::json!(1.5),
        serde_json::json!(u64::MAX),
        serde_json::json!(i64::MIN),
        serde_json::json!(1e308),
        serde_json::json!(""),
        serde_json::json!("x"),
        serde_json::json!("USD"),
        serde_json::json!([]),
        serde_json::json!([1, 2]),
        serde_json::json!({}),
        serde_json::json!({"id": 1}),
    ])
}

/// Replaces the `pick`-th node (depth first) of `value` with `with`.
fn replace_node(value: &mut Value, pick: &mut usize, with: &Value) -> bool {
    if *pick == 0 {
        *value = with.clone();
        return true;
    }
    *pick -= 1;
    match value {
        Value::Array(items) => items.iter_mut().any(|item| replace_node(item, pick, with)),
        Value::Object(fields) => fields
            .values_mut()
            .any(|field| replace_node(field, pick, with)),
        _ => false,
    }
}

/// Folds a decoded event into the state its stream had before it. `evolve` is total: it
/// must take any event that decodes, however wrong for the state.
fn fold_any(stream_events: &[Envelope], event: &ShopEvent) {
    let decoded = |envelope: &Envelope| {
        codec::decode::<ShopEvent>(
            &envelope.event_type,
            envelope.schema_version,
            &envelope.payload,
        )
        .unwrap()
    };
    match event {
        ShopEvent::Order(event) => {
            let state = stream_events
                .iter()
                .fold(Order::default(), |state, e| match decoded(e) {
                    ShopEvent::Order(e) => state.evolve(&e),
                    ShopEvent::Product(_) | ShopEvent::Shop(_) | ShopEvent::Customer(_) => state,
                });
            let after = state.evolve(event);
            let _ = (
                after.total(),
                after.balance_due(),
                after.refundable(),
                after.financial_status(),
            );
        }
        ShopEvent::Product(event) => {
            let state =
                stream_events
                    .iter()
                    .fold(Product::default(), |state, e| match decoded(e) {
                        ShopEvent::Product(e) => state.evolve(&e),
                        ShopEvent::Order(_) | ShopEvent::Shop(_) | ShopEvent::Customer(_) => state,
                    });
            let after = state.evolve(event);
            let _ = (after.available(), after.reserved(), after.back_ordered());
        }
        ShopEvent::Shop(event) => {
            let state = stream_events
                .iter()
                .fold(Shop::default(), |state, e| match decoded(e) {
                    ShopEvent::Shop(e) => state.evolve(&e),
                    ShopEvent::Order(_) | ShopEvent::Product(_) | ShopEvent::Customer(_) => state,
                });
            let after = state.evolve(event);
            let _ = after.settings();
        }
        ShopEvent::Customer(event) => {
            let state =
                stream_events
                    .iter()
                    .fold(Customer::default(), |state, e| match decoded(e) {
                        ShopEvent::Customer(e) => state.evolve(&e),
                        ShopEvent::Order(_) | ShopEvent::Product(_) | ShopEvent::Shop(_) => state,
                    });
            let after = state.evolve(event);
            let _ = (after.details(), after.merged_into());
        }
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn any_csv_file_is_imported_whole_or_refused_with_a_reason(text in csv_file()) {
        check_import(&text)?;
    }

    #[test]
    fn any_text_as_a_csv_file_is_imported_or_refused(text in "\\PC{0,300}") {
        check_import(&text)?;
    }

    #[test]
    fn a_damaged_backup_is_refused_or_reads_as_the_very_same_log(
        damages in prop::collection::vec(damage(), 1..4)
    ) {
        thread_local! {
            static LOG: Vec<Envelope> = demo_log(3);
        }
        LOG.with(|log| {
            let text = damaged(&backup::write(log), &damages);
            match backup::read(&text) {
                Err(reason) => prop_assert!(!reason.to_string().is_empty()),
                Ok(events) => {
                    // Accepted only if nothing that matters changed (say, a space in JSON).
                    prop_assert_eq!(&events, log, "accepted a changed log from {:?}", damages);
                    prop_assert!(verify_chain(None, &events).is_ok());
                }
            }
            Ok(())
        })?;
    }

    #[test]
    fn any_text_as_a_backup_is_refused_without_a_panic(text in "\\PC{0,400}") {
        prop_assert!(backup::read(&text).is_err());
    }

    #[test]
    fn any_stored_payload_decodes_or_is_refused_and_a_decoded_event_folds(
        index in any::<prop::sample::Index>(),
        node in 0..40_usize,
        with in hostile_value(),
        event_type in prop::sample::select(vec![
            "OrderCreated", "LineAdded", "LineQuantityChanged", "LineRemoved", "ChargesSet",
            "OrderPlaced", "PaymentRecorded", "LinesFulfilled", "OrderCancelled",
            "RefundRecorded", "NoteAdded", "ProductRegistered", "StockReceived",
            "StockAdjusted", "ReorderLevelSet", "TaxRateSet", "StockReserved", "ReservationReleased",
            "StockConsumed", "OrderDiscountSet", "SettingsChanged", "InvoiceIssued",
            "PaymentVoided", "OrderReopened", "LinesReturned", "StockRestocked", "TagAdded",
            "TagRemoved", "CustomerRegistered", "CustomerChanged", "CustomerMerged",
            "Unknown", "",
        ]),
        keep_type in any::<bool>(),
        schema_version in prop::sample::select(vec![0_u32, 1, 2, u32::MAX]),
    ) {
        thread_local! {
            static LOG: Vec<Envelope> = demo_log(6);
        }
        LOG.with(|log| {
            let target = &log[index.index(log.len())];
            let mut payload: Value = serde_json::from_str(&target.payload).unwrap();
            let mut pick = node;
            replace_node(&mut payload, &mut pick, &with);
            let stored = NewEvent {
                event_type: if keep_type { target.event_type.clone() } else { event_type.to_owned() },
                schema_version: if keep_type { 1 } else { schema_version },
                payload: payload.to_string(),
            };
            if let Ok(event) =
                codec::decode::<ShopEvent>(&stored.event_type, stored.schema_version, &stored.payload)
            {
                let before: Vec<Envelope> = log
                    .iter()
                    .take_while(|e| e.seq < target.seq)
                    .filter(|e| e.stream_id == target.stream_id)
                    .cloned()
                    .collect();
                fold_any(&before, &event);
            }
            Ok::<(), TestCaseError>(())
        })?;
    }

    #[test]
    fn any_text_typed_into_a_commands_form_builds_it_or_says_why(
        a in "\\PC{0,40}",
        b in "\\PC{0,40}",
        c in "\\PC{0,40}",
        method in "\\PC{0,16}",
    ) {
        let usd = Currency::parse("USD").unwrap();
        let yen = Currency::parse("JPY").unwrap();
        let dinar = Currency::parse("BHD").unwrap();
        let settings = forms::settings::SettingsForm {
            name: a.clone(),
            address: b.clone(),
            tax_number: c.clone(),
            currency: method.clone(),
            time_zone: c.clone(),
            prices_include_tax: false,
            rates: std::array::from_fn(|row| (if row == 0 { a.clone() } else { String::new() }, b.clone())),
            default_rate: c.clone(),
        };
        let results = [
            forms::order::payment(&a, &method, usd).map(|_| ()),
            forms::order::payment(&forms::typed_decimal(&a, ','), &method, yen).map(|_| ()),
            forms::order::refund(&a, &method, usd).map(|_| ()),
            forms::order::refund(&a, &method, dinar).map(|_| ()),
            forms::order::charges(&a, &b, usd).map(|_| ()),
            forms::order::order_discount(&a, yen).map(|_| ()),
            settings.to_settings(|zone| zone == "UTC").map(|_| ()),
            forms::order::note(&a).map(|_| ()),
            forms::order::add_tag(&a).map(|_| ()),
            forms::customer::CustomerForm {
                name: a.clone(),
                email: b.clone(),
                phone: c.clone(),
                address: b.clone(),
                notes: c.clone(),
                tags: a.clone(),
            }
            .to_details()
            .map(|_| ()),
            forms::order::return_lines(
                &[forms::order::ReturnChoice { line_id: LineId(1), units: 1, restock: true }],
                &a,
                &method,
                usd,
            )
            .map(|_| ()),
            forms::order::void_payment(1, &a).map(|_| ()),
            forms::order::cancel(&a).map(|_| ()),
            forms::order::fulfil_line(LineId(1), &a).map(|_| ()),
            forms::order::change_quantity(LineId(1), &a).map(|_| ()),
            forms::product::register(&a, &b, &c, usd).map(|_| ()),
            forms::product::tax_rate(&a).map(|_| ()),
            forms::product::receive(&a).map(|_| ()),
            forms::product::adjust(&a, &b).map(|_| ()),
            forms::product::reorder_level(&a).map(|_| ()),
        ];
        for result in results {
            if let Err(reason) = result {
                prop_assert!(!reason.to_string().is_empty());
            }
        }
        // Any address reads as some orders query.
        let _ = orderlog::read::orders_query::OrdersQuery::from_params(|_| Some(a.clone())).to_params();
    }
}
