//! The shop's settings page as typed, turned into [`ShopSettings`], and the text it starts
//! from. Every field is checked and named at once; a time zone must also be one the browser
//! knows, which the page answers (`known_zone`), so this stays pure.

use super::{optional, Fields, FormError};
use crate::domain::{
    Address, Currency, InputError, Rate, RateName, ShopLine, ShopSettings, TaxRate, TimeZone,
};

/// How many tax rates the page offers rows for.
pub const RATE_ROWS: usize = 5;

/// The labels of the rate rows' fields, row by row: the names of their refusals.
pub const RATE_NAME_LABELS: [&str; RATE_ROWS] = [
    "Rate 1 name",
    "Rate 2 name",
    "Rate 3 name",
    "Rate 4 name",
    "Rate 5 name",
];
pub const RATE_PERCENT_LABELS: [&str; RATE_ROWS] = [
    "Rate 1 percentage",
    "Rate 2 percentage",
    "Rate 3 percentage",
    "Rate 4 percentage",
    "Rate 5 percentage",
];

/// The settings page's text.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SettingsForm {
    pub name: String,
    pub address: String,
    pub tax_number: String,
    pub currency: String,
    pub time_zone: String,
    pub prices_include_tax: bool,
    /// Each row's name and percentage; a row left empty is no rate.
    pub rates: [(String, String); RATE_ROWS],
    /// The name of the default rate; empty for none.
    pub default_rate: String,
}

impl SettingsForm {
    /// The page's text for `settings`, as it opens.
    #[must_use]
    pub fn of(settings: &ShopSettings) -> SettingsForm {
        let mut rates: [(String, String); RATE_ROWS] = Default::default();
        for (row, rate) in rates.iter_mut().zip(&settings.tax_rates) {
            let percent = rate.rate.to_string();
            *row = (
                rate.name.as_str().to_owned(),
                percent.trim_end_matches('%').to_owned(),
            );
        }
        SettingsForm {
            name: settings
                .name
                .as_ref()
                .map_or_else(String::new, |n| n.as_str().to_owned()),
            address: settings
                .address
                .as_ref()
                .map_or_else(String::new, |a| a.as_str().to_owned()),
            tax_number: settings
                .tax_number
                .as_ref()
                .map_or_else(String::new, |n| n.as_str().to_owned()),
            currency: settings.currency.to_string(),
            time_zone: settings.time_zone.as_str().to_owned(),
            prices_include_tax: settings.prices_include_tax,
            rates,
            default_rate: settings
                .default_rate
                .as_ref()
                .map_or_else(String::new, |n| n.as_str().to_owned()),
        }
    }

    /// The settings this text asks for.
    ///
    /// # Errors
    /// Each field that does not parse, by its label: `Shop name`, `Address`, `Tax or VAT
    /// number`, `Currency` (an ISO 4217 code), `Time zone` (one `known_zone` knows), each
    /// rate row's name and percentage (from 0% to 100%), `Default rate`.
    pub fn to_settings(
        &self,
        known_zone: impl Fn(&str) -> bool,
    ) -> Result<ShopSettings, FormError> {
        let mut fields = Fields::default();
        let name = fields.check("Shop name", optional(&self.name, ShopLine::parse));
        let address = fields.check("Address", optional(&self.address, Address::parse));
        let tax_number = fields.check(
            "Tax or VAT number",
            optional(&self.tax_number, ShopLine::parse),
        );
        let currency = fields.check("Currency", Currency::parse_known(&self.currency));
        let time_zone = fields.check(
            "Time zone",
            TimeZone::parse(&self.time_zone).and_then(|zone| {
                if known_zone(zone.as_str()) {
                    Ok(zone)
                } else {
                    Err(InputError::NotATimeZone)
                }
            }),
        );
        let mut tax_rates = Vec::new();
        for (row, (name, percent)) in self.rates.iter().enumerate() {
            if name.trim().is_empty() && percent.trim().is_empty() {
                continue;
            }
            let name = fields.check(RATE_NAME_LABELS[row], RateName::parse(name));
            let rate = fields.check(RATE_PERCENT_LABELS[row], Rate::parse(percent));
            if let (Some(name), Some(rate)) = (name, rate) {
                tax_rates.push(TaxRate { name, rate });
            }
        }
        let default_rate = fields.check(
            "Default rate",
            optional(&self.default_rate, RateName::parse).and_then(|name| match name {
                Some(name) if !tax_rates.iter().any(|rate| rate.name == name) => {
                    Err(InputError::NotARate)
                }
                name => Ok(name),
            }),
        );
        match (name, address, tax_number, currency, time_zone, default_rate) {
            (
                Some(name),
                Some(address),
                Some(tax_number),
                Some(currency),
                Some(time_zone),
                Some(default_rate),
            ) if fields.0.is_empty() => Ok(ShopSettings {
                name,
                address,
                tax_number,
                currency,
                time_zone,
                prices_include_tax: self.prices_include_tax,
                tax_rates,
                default_rate,
            }),
            _ => Err(fields.refused()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn zones(name: &str) -> bool {
        ["Europe/Berlin", "America/New_York", "Asia/Tokyo", "UTC"].contains(&name)
    }

    fn form() -> SettingsForm {
        SettingsForm {
            name: "Kaffeehaus".into(),
            address: "Hauptstraße 1\n10115 Berlin".into(),
            tax_number: "DE123456789".into(),
            currency: "eur".into(),
            time_zone: "Europe/Berlin".into(),
            prices_include_tax: true,
            rates: [
                ("MwSt".into(), "19".into()),
                ("Ermäßigt".into(), "7".into()),
                (String::new(), String::new()),
                (String::new(), String::new()),
                (String::new(), String::new()),
            ],
            default_rate: "MwSt".into(),
        }
    }

    #[test]
    fn a_filled_page_becomes_the_shops_settings_and_reads_back_as_typed() {
        let settings = form().to_settings(zones).unwrap();
        assert_eq!(settings.currency, Currency::new(*b"EUR"));
        assert_eq!(settings.tax_rates.len(), 2);
        assert_eq!(
            settings.default_tax_rate().map(|r| r.rate.thousandths()),
            Some(19_000)
        );
        assert_eq!(
            SettingsForm::of(&settings),
            SettingsForm {
                currency: "EUR".into(),
                ..form()
            }
        );
    }

    #[test]
    fn empty_details_are_none_but_currency_and_zone_are_required() {
        let blank = SettingsForm::default().to_settings(zones).unwrap_err();
        assert_eq!(blank.reason("Shop name"), None);
        assert_eq!(blank.reason("Currency"), Some(InputError::Empty));
        assert_eq!(blank.reason("Time zone"), Some(InputError::Empty));
    }

    #[test]
    fn each_bad_field_is_refused_beside_it_and_nothing_else() {
        let mut bad = form();
        bad.currency = "XYZ".into();
        bad.time_zone = "Mars/Olympus_Mons".into();
        bad.rates[0].1 = "150".into();
        bad.rates[1].1 = "-1".into();
        bad.rates[2] = ("Zero".into(), String::new());
        bad.default_rate = "Nope".into();
        let refused = bad.to_settings(zones).unwrap_err();
        assert_eq!(
            refused.reason("Currency"),
            Some(InputError::UnknownCurrency)
        );
        assert_eq!(refused.reason("Time zone"), Some(InputError::NotATimeZone));
        assert_eq!(
            refused.reason("Rate 1 percentage"),
            Some(InputError::RateOutOfRange)
        );
        assert_eq!(
            refused.reason("Rate 2 percentage"),
            Some(InputError::RateOutOfRange)
        );
        assert_eq!(refused.reason("Rate 3 percentage"), Some(InputError::Empty));
        assert_eq!(refused.reason("Default rate"), Some(InputError::NotARate));
        assert_eq!(refused.reason("Shop name"), None);
    }

    #[test]
    fn currencies_with_no_minor_units_or_three_are_taken() {
        for code in ["JPY", "BHD", "usd"] {
            let mut page = form();
            page.currency = code.into();
            assert!(page.to_settings(zones).is_ok(), "{code}");
        }
    }
}
