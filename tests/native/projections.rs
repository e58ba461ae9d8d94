//! Projections natively: each event applied once and in order, unreadable events handled by
//! policy, saved copies restored only when they fit, and folding one by one equal to a
//! rebuild.

use std::cell::{Cell, RefCell};

use futures::executor::block_on;
use orderlog::domain::Money;
use orderlog::es::{
    catch_up, AppendRequest, CodecError, Envelope, EventStore, MemoryStore, Projection,
    ProjectionRunner, UnreadableEvents,
};
use orderlog::read::{ReadModels, ReadSide};
use serde::{Deserialize, Serialize};

use crate::support::{meta, new_event, orders_log, stored, TallyEvent};

/// Remembers the seqs folded into it.
#[derive(Debug, Default, PartialEq, Serialize, Deserialize)]
struct Seen(Vec<u64>);

impl Projection for Seen {
    type Event = TallyEvent;
    const NAME: &'static str = "seen";
    const VERSION: u32 = 3;

    fn apply(&mut self, envelope: &Envelope, _event: &TallyEvent) {
        self.0.push(envelope.seq);
    }
}

fn added(seq: u64) -> Envelope {
    stored(seq, "Added", r#"{"reached":1}"#)
}

fn log_of(events: u32) -> MemoryStore {
    let store = MemoryStore::new();
    for n in 0..events {
        let request = AppendRequest {
            stream_id: format!("s{n}"),
            expected_version: 0,
            events: vec![new_event("Added", r#"{"reached":1}"#)],
            meta: meta(&format!("c{n}")),
        };
        block_on(store.append(request)).unwrap();
    }
    store
}

fn caught_up(store: &MemoryStore, runner: ProjectionRunner<Seen>) -> ProjectionRunner<Seen> {
    let runner = RefCell::new(runner);
    block_on(catch_up(
        store,
        || runner.borrow().checkpoint(),
        |from, batch| runner.borrow_mut().apply_stored(from, batch),
    ))
    .unwrap();
    runner.into_inner()
}

#[test]
fn a_projection_applies_each_event_once_in_order() {
    let mut runner = ProjectionRunner::new(Seen::default());
    let events: Vec<Envelope> = (1..=3).map(added).collect();

    assert_eq!(runner.apply_all(&events[..2]), 2);
    assert_eq!(
        runner.apply_all(&events),
        1,
        "events 1 and 2 were already applied"
    );
    assert_eq!(runner.read_model().0, vec![1, 2, 3]);
    assert_eq!(runner.checkpoint(), 3);
}

#[test]
fn a_projection_stops_at_a_gap_instead_of_skipping_events() {
    let mut runner = ProjectionRunner::new(Seen::default());
    assert_eq!(runner.apply_all(&[added(1), added(3)]), 1);
    assert_eq!(runner.checkpoint(), 1);
}

#[test]
fn a_gap_in_the_stored_log_is_passed_over_and_reported_by_default() {
    let mut runner = ProjectionRunner::new(Seen::default());
    let applied = runner.apply_stored(1, &[added(1), added(4), added(6)]);

    assert_eq!(applied, 3);
    assert_eq!(runner.read_model().0, vec![1, 4, 6]);
    assert_eq!(runner.missing(), &[(2, 3), (5, 5)]);
    assert_eq!(runner.checkpoint(), 6);
}

#[test]
fn a_gap_before_the_first_stored_event_read_is_missing_too() {
    let mut runner = ProjectionRunner::new(Seen::default());
    runner.apply_stored(1, &[added(1)]);
    runner.apply_stored(2, &[added(5)]);

    assert_eq!(runner.missing(), &[(2, 4)]);
    assert_eq!(runner.read_model().0, vec![1, 5]);
}

#[test]
fn events_read_from_past_the_checkpoint_prove_no_gap() {
    let mut runner = ProjectionRunner::new(Seen::default());
    runner.apply_stored(1, &[added(1)]);

    assert_eq!(
        runner.apply_stored(3, &[added(3)]),
        0,
        "seq 2 was not asked for, so it may exist"
    );
    assert_eq!(runner.missing(), &[]);
    assert_eq!(runner.checkpoint(), 1);
}

#[test]
fn under_the_halt_policy_a_gap_stops_the_projection_before_it() {
    let mut runner = ProjectionRunner::with_policy(Seen::default(), UnreadableEvents::Halt);

    assert_eq!(runner.apply_stored(1, &[added(1), added(3)]), 1);
    assert_eq!((runner.checkpoint(), runner.missing()), (1, &[][..]));
}

#[test]
fn every_read_models_missing_events_are_reported_once_and_leave_them_incomplete() {
    let log = orders_log(&[("Ada", 1, 450); 3]);
    // Records 3 and 4 (the second order) are gone from the store.
    let stored: Vec<Envelope> = log
        .iter()
        .filter(|e| !(3..=4).contains(&e.seq))
        .cloned()
        .collect();

    let mut models = ReadSide::default();
    assert!(models.complete());
    models.apply_stored(1, &stored);

    assert_eq!(models.missing(), [(3, 4)]);
    assert!(!models.complete());
    assert_eq!(models.checkpoint(), 6);
    assert_eq!(
        models.read_model().orders().rows().len(),
        2,
        "the other orders are shown"
    );
}

#[test]
fn an_unknown_event_is_skipped_and_reported_by_default() {
    let mut runner = ProjectionRunner::new(Seen::default());
    runner.apply_all(&[added(1), stored(2, "Teleported", "{}"), added(3)]);

    assert_eq!(runner.read_model().0, vec![1, 3]);
    assert_eq!(runner.checkpoint(), 3);
    assert_eq!(
        runner.skipped(),
        &[(2, CodecError::UnknownType("Teleported".into()))]
    );
}

#[test]
fn under_the_halt_policy_an_unknown_event_stops_the_projection_before_it() {
    let mut runner = ProjectionRunner::with_policy(Seen::default(), UnreadableEvents::Halt);
    let applied = runner.apply_all(&[added(1), stored(2, "Teleported", "{}"), added(3)]);

    assert_eq!((applied, runner.checkpoint()), (1, 1));
    assert_eq!(
        runner.halted(),
        Some(&(2, CodecError::UnknownType("Teleported".into())))
    );
    assert_eq!(
        runner.apply_all(&[added(3)]),
        0,
        "nothing after it is applied"
    );
}

#[test]
fn a_payload_of_the_wrong_shape_is_reported_not_a_crash() {
    let mut runner = ProjectionRunner::new(Seen::default());
    runner.apply_all(&[stored(1, "Added", r#"{"reached":"many"}"#)]);

    assert_eq!(runner.read_model().0, Vec::<u64>::new());
    assert!(
        matches!(runner.skipped(), [(1, CodecError::Decode { .. })]),
        "{:?}",
        runner.skipped()
    );
}

#[test]
fn catching_up_reads_the_whole_log_across_batches() {
    let store = log_of(2_500);
    let runner = RefCell::new(ProjectionRunner::new(Seen::default()));
    let reads = Cell::new(0);

    let applied = block_on(catch_up(
        &store,
        || runner.borrow().checkpoint(),
        |from, batch| {
            reads.set(reads.get() + 1);
            runner.borrow_mut().apply_stored(from, batch)
        },
    ));
    assert_eq!(applied, Ok(2_500));
    assert_eq!(reads.get(), 3, "three batches of at most 1,000");
    assert_eq!(
        runner.borrow().read_model().0,
        (1..=2_500).collect::<Vec<u64>>()
    );
}

#[test]
fn folding_events_one_at_a_time_equals_a_rebuild_from_zero() {
    let log = orders_log(&[
        ("Ada", 2, 450),
        ("Grace", 1, 99),
        ("Edsger", 7, 1_000),
        ("Barbara", 3, 1),
    ]);

    let mut one_by_one = ProjectionRunner::new(ReadModels::default());
    for envelope in &log {
        one_by_one.apply_all(std::slice::from_ref(envelope));
    }
    let mut rebuilt = ProjectionRunner::new(ReadModels::default());
    rebuilt.apply_all(&log);

    assert_eq!(one_by_one, rebuilt);
    assert_eq!(
        rebuilt
            .read_model()
            .orders()
            .rows()
            .iter()
            .map(|r| r.total)
            .collect::<Vec<_>>(),
        [900, 99, 7_000, 3].map(Money::from_cents)
    );
}

#[test]
fn a_saved_read_model_resumes_at_its_checkpoint_and_replays_only_the_tail() {
    let store = log_of(10);
    let mut early = ProjectionRunner::new(Seen::default());
    early.apply_all(&block_on(store.read_all(1, 4)).unwrap());
    let saved = early.save().unwrap();
    let at_checkpoint = block_on(store.read_all(4, 1)).unwrap();

    let restored = ProjectionRunner::<Seen>::restore(
        saved,
        at_checkpoint.first(),
        UnreadableEvents::SkipAndReport,
    );
    assert_eq!(restored.checkpoint(), 4);
    let restored = caught_up(&store, restored);
    assert_eq!(
        restored.read_model(),
        caught_up(&store, ProjectionRunner::new(Seen::default())).read_model()
    );
}

#[test]
fn a_saved_read_model_that_does_not_fit_is_rebuilt_from_zero() {
    let store = log_of(10);
    let mut runner = ProjectionRunner::new(Seen::default());
    runner.apply_all(&block_on(store.read_all(1, 4)).unwrap());
    let saved = runner.save().unwrap().remove(0);
    let at_4 = block_on(store.read_all(4, 1)).unwrap().pop();

    let older_version = orderlog::es::SavedReadModel {
        version: 2,
        ..saved.clone()
    };
    let unreadable = orderlog::es::SavedReadModel {
        state: "[".into(),
        ..saved.clone()
    };
    let other_log = orderlog::es::SavedReadModel {
        checkpoint_hash: "another log".into(),
        ..saved.clone()
    };
    let a_part_missing = orderlog::es::SavedReadModel {
        parts: 2,
        ..saved.clone()
    };
    for (case, candidate, at_checkpoint) in [
        ("missing", vec![], at_4.as_ref()),
        (
            "older projection version",
            vec![older_version],
            at_4.as_ref(),
        ),
        ("unreadable", vec![unreadable], at_4.as_ref()),
        ("saved from another log", vec![other_log], at_4.as_ref()),
        ("beyond the log's head", vec![saved.clone()], None),
        ("a part missing", vec![a_part_missing], at_4.as_ref()),
    ] {
        let restored = ProjectionRunner::<Seen>::restore(
            candidate,
            at_checkpoint,
            UnreadableEvents::SkipAndReport,
        );
        assert_eq!(
            (restored.checkpoint(), restored.read_model()),
            (0, &Seen::default()),
            "{case}"
        );
    }
}

#[test]
fn every_read_model_sees_each_event_once_under_one_checkpoint() {
    let log = orders_log(&[("Ada", 1, 450); 3]);
    let mut side = ReadSide::default();

    assert_eq!(side.apply_all(&log[..2]), 2);
    assert_eq!(
        side.apply_all(&log),
        log.len() - 2,
        "only what it has not seen"
    );
    assert_eq!(side.apply_all(&log), 0);

    assert_eq!(side.checkpoint(), log.len() as u64);
    let mut rebuilt = ReadSide::default();
    rebuilt.apply_all(&log);
    assert_eq!(side, rebuilt);
    assert_eq!(side.read_model().orders().rows().len(), 3);
}

#[test]
fn each_stored_event_is_decoded_once_however_many_read_models_follow_the_log() {
    let log = orders_log(&[("Ada", 2, 450), ("Grace", 1, 99), ("Edsger", 7, 1_000)]);
    let before = orderlog::es::codec::decoded_on_this_thread();

    let mut side = ReadSide::default();
    side.apply_all(&log[..3]);
    side.apply_all(&log);
    // Everything the views read comes from the same fold: no event is read again for them.
    let figures = side.read_model().figures(&orderlog::read::Utc);
    let products = side.read_model().product_rows();
    let rows = side.read_model().orders().rows().len();

    assert_eq!(
        orderlog::es::codec::decoded_on_this_thread() - before,
        log.len() as u64,
        "decodes per event: 1"
    );
    assert_eq!((figures.orders, products.len(), rows), (0, 0, 3));
}

#[test]
fn every_read_models_unreadable_events_are_reported_once_by_seq() {
    let mut log = orders_log(&[("Ada", 1, 450); 2]);
    // A damaged record: the second order's line no longer parses.
    log[3].payload = "{\"line\": not json".into();

    let mut models = ReadSide::default();
    models.apply_all(&log);

    let unreadable = models.unreadable();
    assert_eq!(
        unreadable.iter().map(|(seq, _)| *seq).collect::<Vec<_>>(),
        [4],
        "{unreadable:?}"
    );
    assert!(unreadable[0].1.contains("LineAdded"), "{unreadable:?}");
    assert_eq!(
        models.read_model().orders().rows().len(),
        2,
        "the other events are still shown"
    );
}

#[test]
fn a_big_read_side_is_saved_in_parts_of_one_checkpoint_and_restores_the_same() {
    // One order's two events, copied into 4,500 orders' streams.
    let one = orders_log(&[("Ada", 1, 450)]);
    let log: Vec<Envelope> = (0..4_500u64)
        .flat_map(|n| {
            one.iter().map(move |event| Envelope {
                seq: 2 * n + event.seq,
                stream_id: format!("order-{n}"),
                ..event.clone()
            })
        })
        .collect();
    let mut side = ReadSide::default();
    side.apply_all(&log);

    let saved = side.save().unwrap();
    assert_eq!(
        saved
            .iter()
            .map(|part| part.name.as_str())
            .collect::<Vec<_>>(),
        [
            "read_models",
            "read_models#1",
            "read_models#2",
            "read_models#3"
        ],
        "the read models, then 2,000 + 2,000 + 500 orders"
    );
    assert!(saved
        .iter()
        .all(|part| part.parts == 4 && part.checkpoint == side.checkpoint()));
    let restored = ReadSide::restore(saved.clone(), log.last(), UnreadableEvents::SkipAndReport);
    assert!(restored == side, "restored as saved");

    for (case, damage) in [("a part of another save", 2), ("a part left out", 3)] {
        let mut parts = saved.clone();
        if damage == 2 {
            parts[2].checkpoint -= 1;
        } else {
            parts.truncate(3);
        }
        let restored = ReadSide::restore(parts, log.last(), UnreadableEvents::SkipAndReport);
        assert_eq!(
            restored.checkpoint(),
            0,
            "{case}: rebuilt from the log instead"
        );
    }
}
