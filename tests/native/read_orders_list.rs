//! The orders list as a fold: given stored order events, the rows the orders table shows.

use orderlog::domain::{
    Currency, CustomerName, FinancialStatus, FulfilLines, FulfilmentStatus, LineId, LineQuantity,
    Money, Order, OrderCommand, OrderEvent, PaymentMethod, Quantity, Remark, Timestamp,
};
use orderlog::es::{codec, Aggregate, Envelope, ProjectionRunner, UnreadableEvents};
use orderlog::forms::OrderForm;
use orderlog::read::{OrderRow, ReadModels};

const AT: Timestamp = Timestamp(1_767_225_600_000);

/// Stored events, appended in the order given, with gap-free seqs and stream versions.
#[derive(Default)]
struct Log(Vec<Envelope>);

impl Log {
    fn append(&mut self, stream_id: &str, event: &OrderEvent) {
        let stored = codec::encode(event).unwrap();
        let version = self.0.iter().filter(|e| e.stream_id == stream_id).count() as u64 + 1;
        let seq = self.0.len() as u64 + 1;
        self.0.push(Envelope {
            seq,
            stream_id: stream_id.into(),
            stream_version: version,
            event_type: stored.event_type,
            schema_version: stored.schema_version,
            recorded_at: 0,
            command_id: format!("c{seq}"),
            correlation_id: format!("c{seq}"),
            causation_id: format!("c{seq}"),
            payload: stored.payload,
            hash: String::new(),
        });
    }

    /// Decides `command` on the stream as it stands and appends what it decided.
    fn run(&mut self, stream_id: &str, command: &OrderCommand) {
        let order = self
            .0
            .iter()
            .filter(|e| e.stream_id == stream_id)
            .map(|e| {
                codec::decode::<OrderEvent>(&e.event_type, e.schema_version, &e.payload).unwrap()
            })
            .fold(Order::default(), |order, event| order.evolve(&event));
        for event in order.decide(command).unwrap() {
            self.append(stream_id, &event);
        }
    }

    fn rows(&self) -> Vec<OrderRow> {
        let mut runner = ProjectionRunner::new(ReadModels::default());
        assert_eq!(runner.apply_all(&self.0), self.0.len());
        runner.read_model().orders().rows().to_vec()
    }
}

fn form_order(customer: &str, sku: &str, quantity: &str, unit_price: &str) -> OrderCommand {
    let form = OrderForm {
        customer: customer.into(),
        sku: sku.into(),
        quantity: quantity.into(),
        unit_price: unit_price.into(),
        discount: String::new(),
        tax: None,
        ..OrderForm::default()
    };
    OrderCommand::Create(
        form.to_command(&orderlog::domain::ShopSettings::default())
            .unwrap()
            .at(AT),
    )
}

fn cents(cents: u64) -> Money {
    Money::from_cents(cents)
}

fn usd() -> Currency {
    Currency::new(*b"USD")
}

fn pay(amount: u64) -> OrderCommand {
    OrderCommand::RecordPayment {
        amount: cents(amount),
        currency: usd(),
        method: PaymentMethod::Cash,
        at: AT,
    }
}

/// A seller's view of a row: what the table's cells read.
fn cells(row: &OrderRow) -> [String; 4] {
    [
        format!("#{}", row.number),
        row.customer.clone(),
        row.items.to_string(),
        row.total.to_string(),
    ]
}

#[test]
fn given_the_new_order_form_when_saved_then_the_row_reads_as_the_seller_typed_it() {
    let mut log = Log::default();
    log.run("order-a", &form_order("Ada Lovelace", "TEA-1", "3", "4.50"));

    let rows = log.rows();
    assert_eq!(
        rows.iter().map(cells).collect::<Vec<_>>(),
        vec![[
            "#1001".to_owned(),
            "Ada Lovelace".to_owned(),
            "3".to_owned(),
            "13.50".to_owned()
        ]]
    );
    assert_eq!(
        rows[0],
        OrderRow {
            order_id: "order-a".into(),
            number: 1001,
            customer: "Ada Lovelace".into(),
            items: 3,
            total: cents(1_350),
            currency: usd(),
            created_at: AT,
            financial_status: FinancialStatus::Pending,
            fulfilment_status: FulfilmentStatus::Unfulfilled,
            balance_due: cents(1_350),
            draft: true,
            cancelled: false,
            tags: vec![],
            search_text: "#1001 ada lovelace tea-1".into(),
        }
    );
}

#[test]
fn given_two_orders_then_they_are_numbered_from_1001_in_log_order() {
    let mut log = Log::default();
    log.run(
        "order-b",
        &form_order("Grace Hopper", "MUG-2", "2", "1,250"),
    );
    log.run("order-a", &form_order("Ada Lovelace", "TEA-1", "3", "4.50"));

    let numbered: Vec<(u64, String, Money)> = log
        .rows()
        .into_iter()
        .map(|row| (row.number, row.customer, row.total))
        .collect();
    assert_eq!(
        numbered,
        vec![
            (1001, "Grace Hopper".into(), cents(250_000)),
            (1002, "Ada Lovelace".into(), cents(1_350)),
        ]
    );
}

#[test]
fn given_lines_charges_and_payments_then_the_row_shows_the_order_figures() {
    let mut log = Log::default();
    log.run("order-a", &form_order("Ada Lovelace", "TEA-1", "3", "4.50"));
    log.run(
        "order-a",
        &OrderCommand::ChangeLineQuantity {
            line_id: LineId(1),
            quantity: Quantity::new(4).unwrap(),
        },
    );
    log.run(
        "order-a",
        &OrderCommand::SetCharges {
            tax: cents(100),
            shipping: cents(500),
        },
    );
    log.run("order-a", &OrderCommand::Place { at: AT });
    log.run("order-a", &pay(1_000));

    let row = &log.rows()[0];
    assert_eq!(
        (row.items, row.total, row.balance_due, row.financial_status),
        (
            4,
            cents(2_400),
            cents(1_400),
            FinancialStatus::PartiallyPaid
        )
    );
}

#[test]
fn given_a_paid_fulfilled_order_then_the_row_says_so() {
    let mut log = Log::default();
    log.run("order-a", &form_order("Ada Lovelace", "TEA-1", "3", "4.50"));
    log.run("order-a", &OrderCommand::Place { at: AT });
    log.run("order-a", &pay(1_350));
    log.run(
        "order-a",
        &OrderCommand::Fulfil {
            lines: FulfilLines::Only(vec![LineQuantity {
                line_id: LineId(1),
                quantity: Quantity::new(1).unwrap(),
            }]),
            at: AT,
        },
    );
    let partly = log.rows()[0].fulfilment_status;
    log.run(
        "order-a",
        &OrderCommand::Fulfil {
            lines: FulfilLines::AllRemaining,
            at: AT,
        },
    );

    let row = &log.rows()[0];
    assert_eq!(
        (
            partly,
            row.fulfilment_status,
            row.financial_status,
            row.balance_due
        ),
        (
            FulfilmentStatus::Partial,
            FulfilmentStatus::Fulfilled,
            FinancialStatus::Paid,
            Money::ZERO
        )
    );
}

#[test]
fn given_a_cancelled_unpaid_order_then_the_row_is_voided_and_marked_cancelled() {
    let mut log = Log::default();
    log.run("order-a", &form_order("Ada Lovelace", "TEA-1", "3", "4.50"));
    log.run(
        "order-a",
        &OrderCommand::Cancel {
            reason: Remark::parse("out of stock").unwrap(),
            at: AT,
        },
    );

    let row = &log.rows()[0];
    assert_eq!(
        (row.cancelled, row.financial_status),
        (true, FinancialStatus::Voided)
    );
}

#[test]
fn given_an_event_of_an_order_never_created_then_no_row_appears() {
    let mut log = Log::default();
    log.append("order-x", &OrderEvent::OrderPlaced { at: AT });
    log.run("order-a", &form_order("Ada Lovelace", "TEA-1", "3", "4.50"));

    let rows = log.rows();
    assert_eq!(
        rows.iter()
            .map(|r| (r.number, r.order_id.as_str()))
            .collect::<Vec<_>>(),
        vec![(1001, "order-a")]
    );
    assert_eq!(
        rows[0].customer,
        CustomerName::parse("Ada Lovelace").unwrap().as_str()
    );
}

#[test]
fn a_saved_list_keeps_only_its_folds_and_restores_the_same_rows() {
    let mut log = Log::default();
    log.run("order-a", &form_order("Ada", "TEA-1", "2", "4.50"));
    log.run("order-b", &form_order("Grace", "MUG-2", "1", "12"));
    log.run("order-a", &OrderCommand::Place { at: AT });
    log.run("order-a", &pay(900));
    let mut runner = ProjectionRunner::new(ReadModels::default());
    runner.apply_all(&log.0);

    let saved = runner.save().unwrap();
    assert!(
        saved.iter().all(|part| !part.state.contains("search_text")),
        "the rows are not saved: {saved:?}"
    );
    let last = log.0.last().unwrap();
    let restored =
        ProjectionRunner::<ReadModels>::restore(saved, Some(last), UnreadableEvents::Halt);
    assert_eq!(restored.checkpoint(), last.seq, "the saved copy was used");
    assert_eq!(restored.read_model(), runner.read_model());
    assert_eq!(restored.read_model().orders().rows().len(), 2);
}

#[test]
fn a_saved_list_whose_folds_do_not_match_is_rebuilt_not_trusted() {
    let mut log = Log::default();
    log.run("order-a", &form_order("Ada", "TEA-1", "2", "4.50"));
    let mut runner = ProjectionRunner::new(ReadModels::default());
    runner.apply_all(&log.0);
    let mut saved = runner.save().unwrap();
    // A stream with no order folded for it.
    let damaged = saved[1].state.replace(
        "\"streams\":[\"order-a\"]",
        "\"streams\":[\"order-a\",\"order-b\"]",
    );
    assert_ne!(damaged, saved[1].state);
    saved[1].state = damaged;

    let restored = ProjectionRunner::<ReadModels>::restore(
        saved,
        log.0.last(),
        UnreadableEvents::SkipAndReport,
    );
    assert_eq!(restored.checkpoint(), 0, "rebuilt from the log instead");
    assert!(restored.read_model().orders().rows().is_empty());
}
