//! The new-order form as a person typed it, turned into a `CreateOrder` command. Pure and
//! tested natively: every field's text either parses into the domain's values or yields the
//! message shown next to that field.

use super::order::LineForm;
use super::{Fields, FormError, Unstamped};
use crate::domain::{CreateOrder, CustomerName, LineId, OrderCommand, ShopSettings, TaxRate};

/// The id of the form's one line.
pub const FORM_LINE_ID: LineId = LineId(1);

/// The new-order form as typed: one customer and one line. It becomes one `Create` command
/// carrying that line, in the shop's currency, its prices with or without tax as the shop
/// enters them, with the SKU as the product name, so saving it is one atomic append.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OrderForm {
    pub customer: String,
    pub sku: String,
    pub quantity: String,
    pub unit_price: String,
    /// `10%`, an amount, or empty for none.
    pub discount: String,
    /// The line's rate as picked; `None`: untaxed.
    pub tax: Option<TaxRate>,
}

impl OrderForm {
    /// The `CreateOrder` command this form asks for, created when it is stamped.
    ///
    /// # Errors
    /// Each field that does not parse, by its label (`Customer`, `SKU`, `Quantity`, `Unit
    /// price`, `Discount`); every field is checked, not just the first bad one.
    pub fn to_command(&self, shop: &ShopSettings) -> Result<Unstamped<CreateOrder>, FormError> {
        let mut fields = Fields::default();
        let customer = fields.check("Customer", CustomerName::parse(&self.customer));
        let line = LineForm {
            sku: self.sku.clone(),
            product_name: String::new(),
            quantity: self.quantity.clone(),
            unit_price: self.unit_price.clone(),
            discount: self.discount.clone(),
            tax: self.tax.clone(),
        }
        .to_command(FORM_LINE_ID, shop.currency);
        let line = match line {
            Ok(OrderCommand::AddLine(line)) => Some(line),
            Ok(_) => None,
            Err(refused) => {
                for label in ["SKU", "Quantity", "Unit price", "Discount"] {
                    if let Some(reason) = refused.reason(label) {
                        fields.check::<()>(label, Err(reason));
                    }
                }
                None
            }
        };
        let (currency, prices_include_tax) = (shop.currency, shop.prices_include_tax);
        match (customer, line) {
            (Some(customer), Some(line)) => Ok(Unstamped::new(move |created_at| CreateOrder {
                name: None,
                customer,
                email: None,
                customer_id: None,
                currency,
                prices_include_tax,
                lines: vec![line],
                created_at,
            })),
            _ => Err(fields.refused()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Money, OrderLine, ProductName, Quantity, Sku, Timestamp};

    fn form(customer: &str, sku: &str, quantity: &str, unit_price: &str) -> OrderForm {
        OrderForm {
            customer: customer.into(),
            sku: sku.into(),
            quantity: quantity.into(),
            unit_price: unit_price.into(),
            discount: String::new(),
            tax: None,
        }
    }

    #[test]
    fn a_filled_form_becomes_a_create_order_command() {
        let command = form("Ada", "TEA-1", "2", "4.50")
            .to_command(&ShopSettings::default())
            .unwrap();
        assert_eq!(
            command.at(Timestamp(7)),
            CreateOrder {
                name: None,
                customer: CustomerName::parse("Ada").unwrap(),
                email: None,
                customer_id: None,
                currency: crate::domain::Currency::parse("USD").unwrap(),
                prices_include_tax: false,
                lines: vec![OrderLine {
                    line_id: LineId(1),
                    sku: Sku::parse("TEA-1").unwrap(),
                    product_name: ProductName::parse("TEA-1").unwrap(),
                    quantity: Quantity::new(2).unwrap(),
                    unit_price: Money::from_cents(450),
                    discount: Money::ZERO,
                    discount_percent: None,
                    tax: None,
                }],
                created_at: Timestamp(7),
            }
        );
    }

    /// The message shown next to each field, in the form's order.
    fn messages(errors: &FormError) -> [Option<String>; 4] {
        ["Customer", "SKU", "Quantity", "Unit price"]
            .map(|field| errors.reason(field).map(|reason| reason.to_string()))
    }

    #[test]
    fn every_bad_field_gets_its_own_message() {
        let errors = form(" ", "", "0", "abc")
            .to_command(&ShopSettings::default())
            .unwrap_err();
        assert_eq!(
            messages(&errors),
            [
                Some("this field is required".into()),
                Some("this field is required".into()),
                Some("must be at least 1".into()),
                Some("must be a number, like 12.50".into()),
            ]
        );
    }

    #[test]
    fn a_negative_price_is_refused_next_to_the_price() {
        let errors = form("Ada", "TEA-1", "1", "-1")
            .to_command(&ShopSettings::default())
            .unwrap_err();
        assert_eq!(
            messages(&errors),
            [None, None, None, Some("cannot be negative".into())]
        );
    }

    #[test]
    fn an_order_takes_the_shops_currency_and_tax_mode_and_the_lines_rate() {
        let vat = TaxRate {
            name: crate::domain::RateName::parse("MwSt").unwrap(),
            rate: crate::domain::Rate::parse("19").unwrap(),
        };
        let shop = ShopSettings {
            currency: crate::domain::Currency::new(*b"EUR"),
            prices_include_tax: true,
            ..ShopSettings::default()
        };
        let filled = OrderForm {
            discount: "10%".into(),
            tax: Some(vat.clone()),
            ..form("Ada", "TEA-1", "1", "11.90")
        };
        let order = filled.to_command(&shop).unwrap().at(Timestamp(1));
        assert_eq!(order.currency, shop.currency);
        assert!(order.prices_include_tax);
        assert_eq!(order.lines[0].tax, Some(vat));
        assert!(order.lines[0].discount_percent.is_some());
    }
}
