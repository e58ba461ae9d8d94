//! The user's preferences, kept in the browser's localStorage through gloo-storage: not
//! events, not business data, and lost without harm.

use gloo_storage::{LocalStorage, Storage};
use serde::{Deserialize, Serialize};

use crate::read::orders_query::OrdersQuery;

const THEME_KEY: &str = "orderlog.theme";
const ORDERS_QUERY_KEY: &str = "orderlog.orders-view";

/// Light or dark colours.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
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
/// when storage is unavailable.
#[must_use]
pub fn load_theme() -> Option<Theme> {
    LocalStorage::get(THEME_KEY).ok()
}

/// Saves the theme. A browser that refuses localStorage only loses the preference, so the
/// failure is ignored on purpose.
pub fn save_theme(theme: Theme) {
    let _ = LocalStorage::set(THEME_KEY, theme);
}

/// The orders view's saved search, filter and sort, or the default (newest first).
#[must_use]
pub fn load_orders_query() -> OrdersQuery {
    LocalStorage::get(ORDERS_QUERY_KEY).unwrap_or_default()
}

/// Saves the orders view's search, filter and sort; failing only loses the preference.
pub fn save_orders_query(query: &OrdersQuery) {
    let _ = LocalStorage::set(ORDERS_QUERY_KEY, query);
}
