//! The browser's locale and the shop's time zone, through the browser's `Intl`: money in the
//! browser's number format with its currency's symbol and minor units, dates and times in the
//! shop's zone, the zone's offset from UTC at an instant (the dashboard's days), and whether
//! the browser knows a zone at all. Kept out of the pure code: the domain and the read side
//! stay testable natively, and this is checked in the browser by the user flows.
//!
//! `Intl` is reached by name through `Reflect`, so that a zone it refuses is an error here and
//! never a trap.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use leptos::prelude::{LocalStorage, SetValue, StoredValue, WithValue};

use js_sys::{Array, Function, Object, Reflect};
use wasm_bindgen::{JsCast, JsValue};

use crate::domain::{Currency, Money, TimeZone, Timestamp};
use crate::read::LocalOffset;

/// A new `Intl.<name>(locales, options)`; the browser's own locale when `locale` is `None`.
fn intl(name: &str, locale: Option<&str>, options: &[(&str, &str)]) -> Result<JsValue, JsValue> {
    let intl = Reflect::get(&js_sys::global(), &"Intl".into())?;
    let constructor: Function = Reflect::get(&intl, &name.into())?.dyn_into()?;
    let settings = Object::new();
    for (key, value) in options {
        Reflect::set(&settings, &(*key).into(), &(*value).into())?;
    }
    let locale = locale.map_or(JsValue::UNDEFINED, JsValue::from);
    Reflect::construct(&constructor, &Array::of2(&locale, &settings))
}

/// `formatter.<method>(argument)`.
fn call(formatter: &JsValue, method: &str, argument: &JsValue) -> Result<JsValue, JsValue> {
    let function: Function = Reflect::get(formatter, &method.into())?.dyn_into()?;
    function.call1(formatter, argument)
}

thread_local! {
    /// Each formatter made, by its constructor and options: made once, used for every value.
    static MADE: RefCell<HashMap<String, JsValue>> = RefCell::new(HashMap::new());
    static DECIMAL: char = decimal_separator();
}

/// A new `Intl.<name>` in the browser's locale with `options`, or the one made before.
fn formatter(name: &str, options: &[(&str, &str)]) -> Option<JsValue> {
    let key = format!("{name}{options:?}");
    MADE.with_borrow_mut(|made| {
        if let Some(formatter) = made.get(&key) {
            return Some(formatter.clone());
        }
        let formatter = intl(name, None, options).ok()?;
        made.insert(key, formatter.clone());
        Some(formatter)
    })
}

/// `amount` in `units` minor units, as a `NumberFormat` with `options` writes it; `None` if
/// `Intl` cannot.
fn number(amount: Money, units: u8, options: &[(&str, &str)]) -> Option<String> {
    // Exact: every amount a form takes is far below 2^53 minor units.
    #[allow(clippy::cast_precision_loss)]
    let value = amount.cents() as f64 / 10_f64.powi(i32::from(units));
    call(
        &formatter("NumberFormat", options)?,
        "format",
        &value.into(),
    )
    .ok()?
    .as_string()
}

/// The browser's decimal separator: `.` in `en-US`, `,` in `de-DE`.
fn decimal_separator() -> char {
    let read = || -> Option<char> {
        let formatter = intl("NumberFormat", None, &[]).ok()?;
        let parts: Array = call(&formatter, "formatToParts", &1.5.into())
            .ok()?
            .dyn_into()
            .ok()?;
        parts.iter().find_map(|part| {
            let kind = Reflect::get(&part, &"type".into()).ok()?.as_string()?;
            (kind == "decimal")
                .then(|| {
                    Reflect::get(&part, &"value".into())
                        .ok()?
                        .as_string()?
                        .chars()
                        .next()
                })
                .flatten()
        })
    };
    read().unwrap_or('.')
}

/// A number as the seller typed it in the browser's locale, as the forms read it: `4,50`
/// in `de-DE` is `4.50` (see [`crate::forms::typed_decimal`]).
#[must_use]
pub fn typed(text: &str) -> String {
    crate::forms::typed_decimal(text, DECIMAL.with(|decimal| *decimal))
}

/// `1,234.50`, `1.234,50`, `1,235`: an amount in the browser's locale with its currency's
/// minor units and no symbol, for lists and figures whose currency is named once.
#[must_use]
pub fn amount(amount: Money, currency: Currency) -> String {
    let units = currency.minor_units();
    let digits = units.to_string();
    let options = [
        ("minimumFractionDigits", digits.as_str()),
        ("maximumFractionDigits", digits.as_str()),
    ];
    number(amount, units, &options).unwrap_or_else(|| amount.to_plain_in(units))
}

/// `15,000`, `15.000`, `15 000`: a count in the browser's locale.
#[must_use]
pub fn count(count: u64) -> String {
    #[allow(clippy::cast_precision_loss)] // counts far below 2^53
    let value = count as f64;
    formatter("NumberFormat", &[("maximumFractionDigits", "0")])
        .and_then(|formatter| call(&formatter, "format", &value.into()).ok())
        .and_then(|text| text.as_string())
        .unwrap_or_else(|| count.to_string())
}

/// `$1,234.50`, `1.234,50 €`, `￥1,235`: the amount in the browser's locale, with its
/// currency's symbol and minor units. The plain amount and code if `Intl` cannot.
#[must_use]
pub fn money(amount: Money, currency: Currency) -> String {
    let units = currency.minor_units();
    let code = currency.to_string();
    number(amount, units, &[("style", "currency"), ("currency", &code)])
        .unwrap_or_else(|| format!("{} {currency}", amount.to_plain_in(units)))
}

/// A formatter of dates (and times, when `with_time`) in `zone`.
fn times(zone: &str, with_time: bool) -> Option<JsValue> {
    let mut options = vec![("dateStyle", "medium"), ("timeZone", zone)];
    if with_time {
        options.push(("timeStyle", "short"));
    }
    formatter("DateTimeFormat", &options)
}

fn format_instant(millis: i64, zone: &str, with_time: bool) -> Option<String> {
    #[allow(clippy::cast_precision_loss)] // milliseconds of real dates fit in 2^53
    let date = js_sys::Date::new(&JsValue::from(millis as f64));
    call(&times(zone, with_time)?, "format", &date)
        .ok()?
        .as_string()
}

/// `Nov 30, 2026, 11:30 PM` or `30.11.2026, 23:30`: an instant in the shop's zone, in the
/// browser's locale; UTC's minute if `Intl` cannot.
#[must_use]
pub fn date_time(millis: i64, zone: &TimeZone) -> String {
    format_instant(millis, zone.as_str(), true).unwrap_or_else(|| super::format::utc(millis))
}

/// A calendar day of the shop, `Nov 30, 2026`, in the browser's locale.
#[must_use]
pub fn day(year: i32, month: u8, day: u8) -> String {
    let millis = js_sys::Date::utc(f64::from(year), f64::from(month) - 1.0);
    // Date.UTC(year, month) is the first of the month: add the days after it.
    #[allow(clippy::cast_possible_truncation)]
    let millis = millis as i64 + (i64::from(day) - 1) * 86_400_000;
    format_instant(millis, "UTC", false).unwrap_or_else(|| format!("{year}-{month:02}-{day:02}"))
}

/// Whether the browser knows the time zone `name`.
#[must_use]
pub fn zone_known(name: &str) -> bool {
    intl("DateTimeFormat", None, &[("timeZone", name)]).is_ok()
}

/// The time zones the browser knows, for suggestions; empty where it cannot list them.
#[must_use]
pub fn zones() -> Vec<String> {
    let listed = || -> Result<JsValue, JsValue> {
        let intl = Reflect::get(&js_sys::global(), &"Intl".into())?;
        call(&intl, "supportedValuesOf", &"timeZone".into())
    };
    listed()
        .ok()
        .and_then(|zones| zones.dyn_into::<Array>().ok())
        .map(|zones| zones.iter().filter_map(|zone| zone.as_string()).collect())
        .unwrap_or_default()
}

/// A page's [`ZoneOffsets`], kept while the shop's zone stays: figures redrawn after each
/// command do not ask `Intl` again.
#[derive(Clone, Copy)]
pub struct KeptOffsets(StoredValue<Option<(TimeZone, Rc<ZoneOffsets>)>, LocalStorage>);

impl KeptOffsets {
    #[must_use]
    pub fn new() -> KeptOffsets {
        KeptOffsets(StoredValue::new_local(None))
    }

    /// The offsets of `zone`: those kept, or new ones (then kept) for another zone.
    #[must_use]
    pub fn of(self, zone: &TimeZone) -> Rc<ZoneOffsets> {
        self.0
            .with_value(|kept| {
                kept.as_ref()
                    .filter(|(of, _)| of == zone)
                    .map(|(_, offsets)| Rc::clone(offsets))
            })
            .unwrap_or_else(|| {
                let offsets = Rc::new(ZoneOffsets::new(zone));
                self.0.set_value(Some((zone.clone(), Rc::clone(&offsets))));
                offsets
            })
    }
}

/// The shop's zone's offsets from UTC, asked of `Intl` once per hour of UTC (zones change
/// their offset on the hour, but for a few that change on the half hour, where a sale in that
/// half hour may be counted on the other side of the change).
pub struct ZoneOffsets {
    parts: Option<JsValue>,
    by_hour: RefCell<HashMap<i64, i32>>,
}

impl ZoneOffsets {
    #[must_use]
    pub fn new(zone: &TimeZone) -> ZoneOffsets {
        let parts = intl(
            "DateTimeFormat",
            Some("en-US"),
            &[
                ("timeZone", zone.as_str()),
                ("hourCycle", "h23"),
                ("year", "numeric"),
                ("month", "numeric"),
                ("day", "numeric"),
                ("hour", "numeric"),
                ("minute", "numeric"),
            ],
        )
        .ok();
        ZoneOffsets {
            parts,
            by_hour: RefCell::new(HashMap::new()),
        }
    }

    /// The wall clock at `hour_start` (UTC milliseconds) as UTC milliseconds, read from
    /// `formatToParts`.
    fn wall_clock(&self, hour_start: i64) -> Option<i64> {
        #[allow(clippy::cast_precision_loss)]
        let date = js_sys::Date::new(&JsValue::from(hour_start as f64));
        let parts: Array = call(self.parts.as_ref()?, "formatToParts", &date)
            .ok()?
            .dyn_into()
            .ok()?;
        let mut field = HashMap::new();
        for part in parts.iter() {
            let kind = Reflect::get(&part, &"type".into()).ok()?.as_string()?;
            let value = Reflect::get(&part, &"value".into()).ok()?.as_string()?;
            // Whole numbers: parsed as such, which keeps float parsing out of the download.
            if let Ok(number) = value.parse::<i32>() {
                field.insert(kind, f64::from(number));
            }
        }
        let get = |name: &str| field.get(name).copied();
        let millis = js_sys::Date::utc(get("year")?, get("month")? - 1.0);
        #[allow(clippy::cast_possible_truncation)]
        Some(
            millis as i64
                + ((get("day")? - 1.0) * 86_400_000.0
                    + get("hour")? * 3_600_000.0
                    + get("minute")? * 60_000.0) as i64,
        )
    }
}

impl LocalOffset for ZoneOffsets {
    fn offset_minutes(&self, at: Timestamp) -> i32 {
        let hour = at.0.div_euclid(3_600_000);
        if let Some(offset) = self.by_hour.borrow().get(&hour) {
            return *offset;
        }
        let start = hour * 3_600_000;
        let offset = self
            .wall_clock(start)
            .and_then(|wall| i32::try_from((wall - start) / 60_000).ok())
            .unwrap_or(0);
        self.by_hour.borrow_mut().insert(hour, offset);
        offset
    }
}
