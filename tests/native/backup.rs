//! The backup file: written from a log, read back identical, and every malformed file
//! refused with its reason (nothing is restored from a refused file).

use futures::executor::block_on;
use orderlog::es::{ChainError, Envelope, EventStore, MemoryStore};
use orderlog::io::backup::{read, write, BackupError};

use crate::support::orders_log;

/// A log of three orders (six events).
fn log() -> Vec<Envelope> {
    orders_log(&[("Ada", 1, 450); 3])
}

fn lines(text: &str) -> Vec<String> {
    text.lines().map(str::to_owned).collect()
}

fn join(lines: &[String]) -> String {
    let mut text = lines.join("\n");
    text.push('\n');
    text
}

/// The backup of the log with `edit` applied to its lines.
fn edited(edit: impl FnOnce(&mut Vec<String>)) -> String {
    let mut all = lines(&write(&log()));
    edit(&mut all);
    join(&all)
}

/// The backup with one event changed and every hash re-chained, so only the check aimed at
/// that change can catch it.
fn rechained(change: impl FnOnce(&mut Vec<Envelope>)) -> String {
    let mut events = log();
    change(&mut events);
    let mut previous = orderlog::es::GENESIS_HASH.to_owned();
    for event in &mut events {
        event.hash = event.chained_hash(&previous);
        previous.clone_from(&event.hash);
    }
    write(&events)
}

/// What a refused file's error must be.
type Expected = fn(&BackupError) -> bool;

#[test]
fn a_backup_reads_back_as_the_same_events() {
    let events = log();
    assert_eq!(read(&write(&events)), Ok(events));
}

#[test]
fn an_empty_log_makes_a_backup_that_reads_back_empty() {
    assert_eq!(read(&write(&[])), Ok(vec![]));
}

#[test]
#[allow(clippy::too_many_lines)] // one table of cases reads better than several tests
fn every_malformed_file_is_refused_with_its_reason() {
    let cases: Vec<(&str, String, Expected)> = vec![
        ("empty", String::new(), |e| *e == BackupError::Empty),
        ("blank lines only", "\n \n".into(), |e| {
            *e == BackupError::Empty
        }),
        ("not JSON", "hello\n".into(), |e| {
            matches!(e, BackupError::NotABackup(_))
        }),
        (
            "another format",
            edited(|l| l[0] = l[0].replace("orderlog-backup", "other")),
            |e| matches!(e, BackupError::NotABackup(_)),
        ),
        (
            "a newer version",
            edited(|l| l[0] = l[0].replace("\"version\":1", "\"version\":2")),
            |e| *e == BackupError::UnknownVersion(2),
        ),
        (
            "an event line that is not JSON",
            edited(|l| l[3] = "{oops".into()),
            |e| matches!(e, BackupError::NotAnEvent { line: 4, .. }),
        ),
        (
            "an event missing a field",
            edited(|l| l[2] = l[2].replace("\"stream_id\"", "\"stream\"")),
            |e| matches!(e, BackupError::NotAnEvent { line: 3, .. }),
        ),
        (
            "truncated at the end",
            edited(|l| {
                l.pop();
            }),
            |e| {
                matches!(
                    e,
                    BackupError::WrongCount {
                        announced: 6,
                        found: 5
                    }
                )
            },
        ),
        (
            "an event removed from the middle",
            edited(|l| {
                l.remove(3);
            }),
            |e| matches!(e, BackupError::WrongCount { .. }),
        ),
        (
            "truncated with the count edited",
            edited(|l| {
                l.pop();
                l[0] = l[0].replace("\"events\":6", "\"events\":5");
            }),
            |e| *e == BackupError::WrongHead,
        ),
        ("two events swapped", edited(|l| l.swap(2, 3)), |e| {
            matches!(e, BackupError::Broken(ChainError::Gap { .. }))
        }),
        (
            "an edited payload",
            edited(|l| l[1] = l[1].replace("Ada", "Eve")),
            |e| matches!(e, BackupError::Broken(ChainError::HashMismatch { seq: 1 })),
        ),
        (
            "a broken hash",
            edited(|l| l[2] = l[2].replacen("\"hash\":\"", "\"hash\":\"0", 1)),
            |e| matches!(e, BackupError::Broken(ChainError::HashMismatch { seq: 2 })),
        ),
        (
            "a stream version skipped (hashes re-chained)",
            rechained(|e| e[1].stream_version = 3),
            |e| {
                matches!(
                    e,
                    BackupError::StreamOutOfOrder {
                        seq: 2,
                        expected: 2,
                        found: 3,
                        ..
                    }
                )
            },
        ),
        (
            "an unknown event type (hashes re-chained)",
            rechained(|e| e[0].event_type = "OrderTeleported".into()),
            |e| matches!(e, BackupError::UnknownEvent { seq: 1, .. }),
        ),
        (
            "a payload of the wrong shape (hashes re-chained)",
            rechained(|e| e[0].payload = "{\"customer\":5}".into()),
            |e| matches!(e, BackupError::UnknownEvent { seq: 1, .. }),
        ),
        (
            "a huge line",
            edited(|l| l.insert(2, "x".repeat(1 << 20))),
            |e| matches!(e, BackupError::NotAnEvent { line: 3, .. }),
        ),
    ];
    for (case, file, expected) in cases {
        let refused = read(&file).expect_err(case);
        assert!(expected(&refused), "{case}: {refused:?}");
    }
}

#[test]
fn a_restored_backup_gives_read_models_identical_to_the_original() {
    let original = MemoryStore::new();
    let export =
        orderlog::io::shopify::plan(include_str!("../fixtures/shopify_messy.csv")).unwrap();
    block_on(orderlog::app::bulk::load(
        &original,
        export.products,
        export.commands,
        async |_, _, _| true,
    ))
    .unwrap();
    let events = block_on(original.read_all(1, 100_000)).unwrap();

    let restored = MemoryStore::new();
    block_on(restored.replace_all(read(&write(&events)).unwrap())).unwrap();

    let models = |store: &MemoryStore| {
        let mut models = orderlog::read::ReadSide::default();
        models.apply_all(&block_on(store.read_all(1, 100_000)).unwrap());
        models
    };
    assert_eq!(models(&restored), models(&original));
    assert_eq!(
        block_on(orderlog::es::verify(&restored)),
        Ok(events.len() as u64)
    );
}
