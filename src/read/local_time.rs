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
/// Read field by field, the calendar checked by `time`: its format descriptions would bring
/// its whole parser into the first download for this one shape.
#[must_use]
pub fn parse_day(text: &str) -> Option<Date> {
    let digits = |field: &str, width: usize| {
        (field.len() == width && field.bytes().all(|b| b.is_ascii_digit()))
            .then(|| field.parse::<u16>().ok())
            .flatten()
    };
    let mut fields = text.split('-');
    let (year, month, day) = (fields.next()?, fields.next()?, fields.next()?);
    if fields.next().is_some() {
        return None;
    }
    let month = time::Month::try_from(u8::try_from(digits(month, 2)?).ok()?).ok()?;
    let day = u8::try_from(digits(day, 2)?).ok()?;
    Date::from_calendar_date(i32::from(digits(year, 4)?), month, day).ok()
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

#[cfg(test)]
mod tests {
    use time::{Date, Month};

    use super::parse_day;

    #[test]
    fn a_day_reads_as_a_date_field_writes_it() {
        let day = |y, m, d| Date::from_calendar_date(y, m, d).ok();
        assert_eq!(parse_day("2026-11-30"), day(2026, Month::November, 30));
        assert_eq!(parse_day("2024-02-29"), day(2024, Month::February, 29));
        assert_eq!(parse_day("0001-01-01"), day(1, Month::January, 1));
    }

    #[test]
    fn anything_else_is_no_day() {
        for text in [
            "",
            "2026",
            "2026-11",
            "2026-11-30-",
            "2026-11-31",
            "2025-02-29",
            "2026-13-01",
            "2026-00-10",
            "2026-11-00",
            "26-11-30",
            "2026-1-30",
            "2026-11-3",
            "+2026-11-30",
            "2026-+1-30",
            "２０２６-11-30",
            "2026/11/30",
            " 2026-11-30",
            "20260-11-30",
        ] {
            assert_eq!(parse_day(text), None, "{text:?}");
        }
    }
}
