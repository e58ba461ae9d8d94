//! The user's preferences, kept in the browser's localStorage through gloo-storage: not
//! events, not business data, and lost without harm.

use gloo_storage::{LocalStorage, Storage};
use leptos_router::location::Url;
use web_sys::UrlSearchParams;

use crate::read::orders_query::OrdersQuery;

const THEME_KEY: &str = "orderlog.theme";
const ORDERS_QUERY_KEY: &str = "orderlog.orders-view";

/// Light or dark colours.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Theme {
    Light,
    Dark,
}

impl Theme {
    #[must_use]
    pub fn toggled(self) -> Theme {
        match self {
            Theme::Light => Theme::Dark,
            Theme::Dark => Theme::Light,
        }
    }

    /// The value of the page's `data-theme` attribute.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Theme::Light => "light",
            Theme::Dark => "dark",
        }
    }
}

/// The theme the seller picked; `None` until they pick one (the system's is used then), or
/// when storage is unavailable. Kept as its name (`"dark"`).
#[must_use]
pub fn load_theme() -> Option<Theme> {
    match LocalStorage::get::<String>(THEME_KEY).ok()?.as_str() {
        "light" => Some(Theme::Light),
        "dark" => Some(Theme::Dark),
        _ => None,
    }
}

/// Saves the theme. A browser that refuses localStorage only loses the preference, so the
/// failure is ignored on purpose.
pub fn save_theme(theme: Theme) {
    let _ = LocalStorage::set(THEME_KEY, theme.as_str());
}

/// The address's parameters a saved orders view leaves out: a page and days are for the
/// task at hand.
const NOT_KEPT: [&str; 3] = ["page", "from", "to"];

/// The orders view's saved search, filter and sort, or the default (newest first). Kept as
/// the address writes them (`status=open&sort=total`) and read as the address is read; one
/// saved in another shape reads as the default.
#[must_use]
pub fn load_orders_query() -> OrdersQuery {
    let saved: String = LocalStorage::get(ORDERS_QUERY_KEY).unwrap_or_default();
    match UrlSearchParams::new_with_str(&saved) {
        Ok(params) => OrdersQuery::from_params(|name| params.get(name)),
        Err(_) => OrdersQuery::default(),
    }
}

/// Saves the orders view's search, filter and sort; failing only loses the preference.
pub fn save_orders_query(query: &OrdersQuery) {
    let mut params = query.to_params();
    params.retain(|(name, _)| !NOT_KEPT.contains(name));
    let _ = LocalStorage::set(ORDERS_QUERY_KEY, address_query(&params));
}

/// Parameters as an address's query writes them, `status=open&sort=total`.
#[must_use]
pub fn address_query(params: &[(&str, String)]) -> String {
    params
        .iter()
        .map(|(name, value)| format!("{name}={}", Url::escape(value)))
        .collect::<Vec<_>>()
        .join("&")
}
