//! The shop's wall clock as the read side needs it: how far it is from UTC at an instant,
//! which turns a timestamp into the shop's date. The read side holds no time zone database:
//! the shell answers from the browser's `Intl` for the shop's zone, tests with fixed offsets.

use time::{Date, OffsetDateTime};

use crate::domain::Timestamp;

/// How many minutes the shop's clock is ahead of UTC at an instant (behind: negative).
pub trait LocalOffset {
    fn offset_minutes(&self, at: Timestamp) -> i32;
}

/// The shop's date at an instant; `None` beyond the calendar's range (the years −9999 to
/// 9999), which no clock gives.
#[must_use]
pub fn local_date(at: Timestamp, zone: &dyn LocalOffset) -> Option<Date> {
    let local = i128::from(at.0) + i128::from(zone.offset_minutes(at)) * 60_000;
    OffsetDateTime::from_unix_timestamp_nanos(local * 1_000_000)
        .ok()
        .map(OffsetDateTime::date)
}

/// A day as a date field and an address write it, `2026-11-30`; `None` for anything else.
#[must_use]
pub fn parse_day(text: &str) -> Option<Date> {
    Date::parse(
        text,
        time::macros::format_description!("[year]-[month]-[day]"),
    )
    .ok()
}

/// UTC itself: a shop that has not set its time zone.
#[derive(Clone, Copy, Debug, Default)]
pub struct Utc;

impl LocalOffset for Utc {
    fn offset_minutes(&self, _: Timestamp) -> i32 {
        0
    }
}

/// A clock always this many minutes from UTC.
#[derive(Clone, Copy, Debug)]
pub struct FixedOffset(pub i32);

impl LocalOffset for FixedOffset {
    fn offset_minutes(&self, _: Timestamp) -> i32 {
        self.0
    }
}
