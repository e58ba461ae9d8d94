//! The new-order form (the quick sale) as a person filled it, turned into a `CreateOrder`
//! command. Pure and tested natively: every field's text either parses into the domain's
//! values or yields the message shown next to that field.

use super::order::LineForm;
use super::{optional, Fields, FormError, Unstamped};
use crate::domain::{
    CreateOrder, CustomerName, Email, LineId, Money, Order, OrderCommand, OrderLine, ShopSettings,
    TaxRate, Timestamp,
};

/// The new-order form as filled: a customer (picked from the customers, or a name typed),
/// the lines picked from the catalogue, and the line being typed. It becomes one `Create`
/// command carrying every line, in the shop's currency, its prices with or without tax as the
/// shop enters them, so saving it is one atomic append.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OrderForm {
    pub customer: String,
    /// The customer's record, when the name was picked from the customers.
    pub customer_id: Option<String>,
    /// The order's email: empty for none.
    pub email: String,
    /// Lines picked (or added) so far, in order; their line ids are given on saving.
    pub lines: Vec<OrderLine>,
    /// The line being typed: with lines picked, an empty SKU means none.
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
        let email = fields.check("Email", optional(&self.email, Email::parse));
        let typed = self.typed_line(shop, &mut fields).ok();
        let (currency, prices_include_tax) = (shop.currency, shop.prices_include_tax);
        let customer_id = self.customer_id.clone();
        match (customer, email, typed) {
            (Some(customer), Some(email), Some(typed)) => {
                let lines = self.numbered(typed);
                Ok(Unstamped::new(move |created_at| CreateOrder {
                    name: None,
                    customer,
                    email,
                    customer_id,
                    exchange_for: None,
                    currency,
                    prices_include_tax,
                    lines,
                    created_at,
                }))
            }
            _ => Err(fields.refused()),
        }
    }

    /// The line being typed: `Ok(None)` when lines were picked and no SKU is typed, `Err`
    /// (its refusals kept in `fields`) when it does not parse.
    fn typed_line(
        &self,
        shop: &ShopSettings,
        fields: &mut Fields,
    ) -> Result<Option<OrderLine>, ()> {
        if !self.lines.is_empty() && self.sku.trim().is_empty() {
            return Ok(None);
        }
        let line = LineForm {
            sku: self.sku.clone(),
            product_name: String::new(),
            quantity: self.quantity.clone(),
            unit_price: self.unit_price.clone(),
            discount: self.discount.clone(),
            tax: self.tax.clone(),
        }
        .to_command(LineId(1), shop.currency);
        match line {
            Ok(OrderCommand::AddLine(line)) => Ok(Some(line)),
            Ok(_) => Err(()),
            Err(refused) => {
                for label in ["SKU", "Quantity", "Unit price", "Discount"] {
                    if let Some(reason) = refused.reason(label) {
                        fields.check::<()>(label, Err(reason));
                    }
                }
                Err(())
            }
        }
    }

    /// The lines picked, then the one typed, numbered from 1.
    fn numbered(&self, typed: Option<OrderLine>) -> Vec<OrderLine> {
        self.lines
            .iter()
            .cloned()
            .chain(typed)
            .zip(1..)
            .map(|(line, id)| OrderLine {
                line_id: LineId(id),
                ..line
            })
            .collect()
    }

    /// The form with one more unit of `line`'s SKU: a unit added to the line already
    /// picked for it, else `line` picked.
    #[must_use]
    pub fn picking(mut self, line: OrderLine) -> OrderForm {
        match self.lines.iter_mut().find(|picked| picked.sku == line.sku) {
            Some(picked) => {
                let more = picked.quantity.get().saturating_add(line.quantity.get());
                if let Ok(quantity) = crate::domain::Quantity::new(more) {
                    picked.quantity = quantity;
                }
            }
            None => self.lines.push(line),
        }
        self
    }

    /// The order's total as it would be saved, for the running total as lines are added:
    /// the lines picked and, when it reads, the one being typed. `None` while nothing is on
    /// the order, or when the domain would refuse it.
    #[must_use]
    pub fn running_total(&self, shop: &ShopSettings) -> Option<Money> {
        let typed = self.typed_line(shop, &mut Fields::default()).ok().flatten();
        let lines = self.numbered(typed);
        if lines.is_empty() {
            return None;
        }
        // Who it is for does not change a total.
        let create = CreateOrder {
            name: None,
            customer: CustomerName::parse("-").ok()?,
            email: None,
            customer_id: None,
            exchange_for: None,
            currency: shop.currency,
            prices_include_tax: shop.prices_include_tax,
            lines,
            created_at: Timestamp(0),
        };
        Order::would_create(&create).ok()?.total()
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
            ..OrderForm::default()
        }
    }

    fn picked(sku: &str, name: &str, unit_price: u64) -> OrderLine {
        OrderLine {
            line_id: LineId(0),
            sku: Sku::parse(sku).unwrap(),
            product_name: ProductName::parse(name).unwrap(),
            quantity: Quantity::new(1).unwrap(),
            unit_price: Money::from_cents(unit_price),
            discount: Money::ZERO,
            discount_percent: None,
            tax: None,
        }
    }

    #[test]
    fn a_quick_sale_of_picked_products_is_one_order_each_tap_a_unit_more() {
        let form = OrderForm {
            customer: "Ada".into(),
            customer_id: Some("ada".into()),
            ..OrderForm::default()
        }
        .picking(picked("TEA-1", "Tea", 450))
        .picking(picked("CUP-1", "Cup", 1_200))
        .picking(picked("TEA-1", "Tea", 450));
        let shop = ShopSettings::default();
        assert_eq!(form.running_total(&shop), Some(Money::from_cents(2_100)));
        let order = form.to_command(&shop).unwrap().at(Timestamp(1));
        let lines: Vec<(u32, &str, u32)> = order
            .lines
            .iter()
            .map(|l| (l.line_id.0, l.sku.as_str(), l.quantity.get()))
            .collect();
        assert_eq!(
            lines,
            [(1, "TEA-1", 2), (2, "CUP-1", 1)],
            "no SKU typed: no line typed"
        );
        assert_eq!(order.customer_id.as_deref(), Some("ada"));
    }

    #[test]
    fn a_line_typed_after_the_picked_ones_is_the_last_and_its_errors_are_its_fields() {
        let form = OrderForm {
            sku: "BAG".into(),
            quantity: "2".into(),
            unit_price: "1.50".into(),
            ..form("Ada", "", "", "")
        }
        .picking(picked("TEA-1", "Tea", 450));
        let shop = ShopSettings::default();
        assert_eq!(form.running_total(&shop), Some(Money::from_cents(750)));
        let order = form.to_command(&shop).unwrap().at(Timestamp(1));
        assert_eq!(order.lines[1].line_id, LineId(2));
        assert_eq!(order.lines[1].sku.as_str(), "BAG");
        let bad = OrderForm {
            unit_price: "abc".into(),
            email: "not an email".into(),
            ..form
        };
        let refused = bad.to_command(&shop).unwrap_err();
        assert_eq!(
            refused.reason("Unit price"),
            Some(crate::domain::InputError::NotANumber)
        );
        assert_eq!(
            refused.reason("Email"),
            Some(crate::domain::InputError::NotAnEmail)
        );
        assert_eq!(
            bad.running_total(&shop),
            Some(Money::from_cents(450)),
            "the picked lines alone"
        );
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
                exchange_for: None,
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
