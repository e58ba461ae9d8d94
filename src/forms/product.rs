//! The products view's controls' text, turned into product commands. Pure and tested
//! natively; each control shows one message, naming the field when it has several.

use super::FormError;
use crate::domain::{
    Currency, InputError, ProductCommand, ProductName, Quantity, RateName, Remark, Sku,
};

/// A product at a price in `currency`.
///
/// # Errors
/// `Field: reason` for the first field that does not parse.
pub fn register(
    sku: &str,
    name: &str,
    price: &str,
    currency: Currency,
) -> Result<(Sku, ProductCommand), FormError> {
    let sku = Sku::parse(sku).map_err(|e| FormError::named("SKU", e))?;
    let name = ProductName::parse(name).map_err(|e| FormError::named("Name", e))?;
    let price = super::amount(price, currency).map_err(|e| FormError::named("Price", e))?;
    Ok((sku.clone(), ProductCommand::Register { sku, name, price }))
}

/// # Errors
/// Why the quantity is refused.
pub fn receive(quantity: &str) -> Result<ProductCommand, FormError> {
    let quantity = Quantity::parse(quantity).map_err(FormError::Field)?;
    Ok(ProductCommand::ReceiveStock { quantity })
}

/// A correction of the count: `-3` or `+2` (or `2`), with the reason.
///
/// # Errors
/// `Field: reason` for the first field that does not parse.
pub fn adjust(by: &str, reason: &str) -> Result<ProductCommand, FormError> {
    let text = by.trim();
    let by: i64 = text
        .strip_prefix('+')
        .unwrap_or(text)
        .parse()
        .map_err(|_| FormError::named("Change", InputError::NotAWholeNumber))?;
    if by == 0 {
        return Err(FormError::named("Change", InputError::Zero));
    }
    let reason = Remark::parse(reason).map_err(|e| FormError::named("Reason", e))?;
    Ok(ProductCommand::AdjustStock { by, reason })
}

/// The rate a product sells at, by its name among the shop's; an empty name is the shop's
/// default.
///
/// # Errors
/// Why the name is refused.
pub fn tax_rate(name: &str) -> Result<ProductCommand, FormError> {
    let rate = if name.trim().is_empty() {
        None
    } else {
        Some(RateName::parse(name).map_err(FormError::Field)?)
    };
    Ok(ProductCommand::SetTaxRate { rate })
}

/// # Errors
/// Why the level is refused.
pub fn reorder_level(level: &str) -> Result<ProductCommand, FormError> {
    let level = level.trim();
    if level.is_empty() {
        return Err(FormError::Field(InputError::Empty));
    }
    let level: u64 = level
        .parse()
        .map_err(|_| FormError::Field(InputError::NotAWholeNumber))?;
    Ok(ProductCommand::SetReorderLevel { level })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The command, or the message its control shows.
    fn shown<C>(built: Result<C, FormError>) -> Result<C, String> {
        built.map_err(|refused| refused.to_string())
    }

    use crate::domain::Money;

    fn usd() -> Currency {
        Currency::new(*b"USD")
    }

    #[test]
    fn a_product_sells_at_a_named_rate_or_the_shops_default() {
        assert_eq!(
            shown(tax_rate("Reduced")),
            Ok(ProductCommand::SetTaxRate {
                rate: Some(RateName::parse("Reduced").unwrap())
            })
        );
        assert_eq!(
            shown(tax_rate(" ")),
            Ok(ProductCommand::SetTaxRate { rate: None })
        );
    }

    #[test]
    fn a_price_in_yen_has_no_decimals() {
        let yen = Currency::new(*b"JPY");
        assert!(register("TEA-1", "Tea", "450", yen).is_ok());
        assert_eq!(
            register("TEA-1", "Tea", "4.50", yen)
                .unwrap_err()
                .to_string(),
            "Price: this currency has no minor units: use whole amounts"
        );
    }

    #[test]
    fn a_product_registers_with_its_sku_name_and_price() {
        let (sku, command) = register(" TEA-1 ", "Earl Grey", "4.50", usd()).unwrap();
        assert_eq!(sku.as_str(), "TEA-1");
        assert_eq!(
            command,
            ProductCommand::Register {
                sku,
                name: ProductName::parse("Earl Grey").unwrap(),
                price: Money::from_cents(450)
            }
        );
        assert_eq!(
            register("TEA-1", "", "4", usd()).unwrap_err().to_string(),
            "Name: this field is required"
        );
        assert_eq!(
            register("TEA-1", "Tea", "-4", usd())
                .unwrap_err()
                .to_string(),
            "Price: cannot be negative"
        );
    }

    #[test]
    fn an_adjustment_is_a_signed_non_zero_count_with_a_reason() {
        assert_eq!(
            shown(adjust("-3", "broken in transit")),
            Ok(ProductCommand::AdjustStock {
                by: -3,
                reason: Remark::parse("broken in transit").unwrap()
            })
        );
        assert_eq!(adjust("+2", "found").map(|_| ()), Ok(()));
        assert_eq!(
            shown(adjust("0", "x")),
            Err("Change: must be at least 1".into())
        );
        assert_eq!(
            shown(adjust("two", "x")),
            Err("Change: must be a whole number, like 3".into())
        );
        assert_eq!(
            shown(adjust("1", " ")),
            Err("Reason: this field is required".into())
        );
    }

    #[test]
    fn stock_received_and_reorder_levels_are_whole_numbers() {
        assert_eq!(shown(receive("0")), Err("must be at least 1".into()));
        assert_eq!(
            shown(reorder_level("5")),
            Ok(ProductCommand::SetReorderLevel { level: 5 })
        );
        assert_eq!(
            shown(reorder_level("-1")),
            Err("must be a whole number, like 3".into())
        );
    }
}
