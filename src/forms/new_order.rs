//! The new-order form as a person typed it, turned into a `CreateOrder` command. Pure and
//! tested natively: every field's text either parses into the domain's values or yields the
//! message shown next to that field.

use super::{Fields, FormError, Unstamped};
use crate::domain::{
    CreateOrder, CustomerName, LineId, Money, OrderLine, ProductName, Quantity, Sku, SHOP_CURRENCY,
};

/// The id of the form's one line.
pub const FORM_LINE_ID: LineId = LineId(1);

/// The new-order form as typed: one customer and one line. It becomes one `Create` command
/// carrying that line, in [`SHOP_CURRENCY`], with the SKU as the product name and no
/// discount, so saving it is one atomic append.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OrderForm {
    pub customer: String,
    pub sku: String,
    pub quantity: String,
    pub unit_price: String,
}

impl OrderForm {
    /// The `CreateOrder` command this form asks for, created when it is stamped.
    ///
    /// # Errors
    /// Each field that does not parse, by its label (`Customer`, `SKU`, `Quantity`, `Unit
    /// price`); every field is checked, not just the first bad one.
    pub fn to_command(&self) -> Result<Unstamped<CreateOrder>, FormError> {
        let mut fields = Fields::default();
        let customer = fields.check("Customer", CustomerName::parse(&self.customer));
        let sku = fields.check("SKU", Sku::parse(&self.sku));
        let product_name = sku
            .as_ref()
            .and_then(|sku| fields.check("SKU", ProductName::parse(sku.as_str())));
        let quantity = fields.check("Quantity", Quantity::parse(&self.quantity));
        let unit_price = fields.check("Unit price", Money::parse(&self.unit_price));
        match (customer, sku, product_name, quantity, unit_price) {
            (Some(customer), Some(sku), Some(product_name), Some(quantity), Some(unit_price)) => {
                Ok(Unstamped::new(move |created_at| CreateOrder {
                    name: None,
                    customer,
                    email: None,
                    currency: SHOP_CURRENCY,
                    prices_include_tax: false,
                    lines: vec![OrderLine {
                        line_id: FORM_LINE_ID,
                        sku,
                        product_name,
                        quantity,
                        unit_price,
                        discount: Money::ZERO,
                        discount_percent: None,
                        tax: None,
                    }],
                    created_at,
                }))
            }
            _ => Err(fields.refused()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Timestamp;

    fn form(customer: &str, sku: &str, quantity: &str, unit_price: &str) -> OrderForm {
        OrderForm {
            customer: customer.into(),
            sku: sku.into(),
            quantity: quantity.into(),
            unit_price: unit_price.into(),
        }
    }

    #[test]
    fn a_filled_form_becomes_a_create_order_command() {
        let command = form("Ada", "TEA-1", "2", "4.50").to_command().unwrap();
        assert_eq!(
            command.at(Timestamp(7)),
            CreateOrder {
                name: None,
                customer: CustomerName::parse("Ada").unwrap(),
                email: None,
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
        let errors = form(" ", "", "0", "abc").to_command().unwrap_err();
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
        let errors = form("Ada", "TEA-1", "1", "-1").to_command().unwrap_err();
        assert_eq!(
            messages(&errors),
            [None, None, None, Some("cannot be negative".into())]
        );
    }
}
