//! The order-detail controls' text, turned into order commands. Pure and tested natively.
//! Each control shows one message: a single field's reason, or `Field: reason` for each bad
//! field of a control with several.

use super::{amount, amount_or_zero, discount, Fields, FormError, Unstamped};
use crate::domain::order::OrderHeader;
use crate::domain::{
    CreateOrder, Currency, Discount, FulfilLines, LineId, LineQuantity, Money, Order, OrderCommand,
    OrderLine, PaymentMethod, ProductName, Quantity, RateName, RefundGiven, Remark, ReturnedLine,
    ShopSettings, Sku, Tag, TaxRate,
};

/// A line's tax rate as picked: the product's own (else the shop's default), one of the
/// shop's rates, or none.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RateChoice {
    Product,
    Rate(TaxRate),
    Untaxed,
}

impl RateChoice {
    /// The rate a line takes: for [`RateChoice::Product`], the shop's rate the product names
    /// (`product`), else the shop's default, else none.
    #[must_use]
    pub fn resolve(&self, product: Option<&RateName>, shop: &ShopSettings) -> Option<TaxRate> {
        match self {
            RateChoice::Product => product
                .and_then(|name| shop.rate(name))
                .or_else(|| shop.default_tax_rate())
                .cloned(),
            RateChoice::Rate(rate) => Some(rate.clone()),
            RateChoice::Untaxed => None,
        }
    }
}

/// The rate choices a line offers, by their label: the product's rate first (the default
/// choice), then each of the shop's rates, then none.
#[must_use]
pub fn rate_choices(shop: &ShopSettings) -> Vec<(String, RateChoice)> {
    let fallback = shop
        .default_tax_rate()
        .map_or_else(|| "no tax".to_owned(), ToString::to_string);
    std::iter::once((
        format!("Product's rate, or {fallback}"),
        RateChoice::Product,
    ))
    .chain(
        shop.tax_rates
            .iter()
            .map(|rate| (rate.to_string(), RateChoice::Rate(rate.clone()))),
    )
    .chain(std::iter::once(("No tax".to_owned(), RateChoice::Untaxed)))
    .collect()
}

/// The id for a new line: one more than the largest the order has had in view.
#[must_use]
pub fn next_line_id(order: &Order) -> LineId {
    LineId(
        order
            .lines()
            .iter()
            .map(|l| l.line.line_id.0)
            .max()
            .unwrap_or(0)
            + 1,
    )
}

/// The add-line control as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LineForm {
    pub sku: String,
    pub product_name: String,
    pub quantity: String,
    pub unit_price: String,
    /// `10%`, an amount, or empty for no discount.
    pub discount: String,
    /// The rate the line is taxed at, as picked; `None`: untaxed.
    pub tax: Option<TaxRate>,
}

impl LineForm {
    /// The line, its amounts in `currency`.
    ///
    /// # Errors
    /// Each field that does not parse.
    pub fn to_command(
        &self,
        line_id: LineId,
        currency: Currency,
    ) -> Result<OrderCommand, FormError> {
        let mut fields = Fields::default();
        let sku = fields.check("SKU", Sku::parse(&self.sku));
        let name = if self.product_name.trim().is_empty() {
            &self.sku
        } else {
            &self.product_name
        };
        let product_name = fields.check("Product name", ProductName::parse(name));
        let quantity = fields.check("Quantity", Quantity::parse(&self.quantity));
        let unit_price = fields.check("Unit price", amount(&self.unit_price, currency));
        let discount = fields.check("Discount", discount(&self.discount, currency));
        match (sku, product_name, quantity, unit_price, discount) {
            (Some(sku), Some(product_name), Some(quantity), Some(unit_price), Some(discount)) => {
                Ok(OrderCommand::AddLine(OrderLine {
                    line_id,
                    sku,
                    product_name,
                    quantity,
                    unit_price,
                    discount: match discount {
                        Some(Discount::Amount(amount)) => amount,
                        _ => Money::ZERO,
                    },
                    discount_percent: match discount {
                        Some(Discount::Percent(rate)) => Some(rate),
                        _ => None,
                    },
                    tax: self.tax.clone(),
                }))
            }
            _ => Err(fields.refused()),
        }
    }
}

/// # Errors
/// Why the quantity is refused.
pub fn change_quantity(line_id: LineId, quantity: &str) -> Result<OrderCommand, FormError> {
    let quantity = Quantity::parse(quantity).map_err(FormError::Field)?;
    Ok(OrderCommand::ChangeLineQuantity { line_id, quantity })
}

/// # Errors
/// `Tax` and `Shipping`, each when it does not parse. An empty field is zero.
pub fn charges(tax: &str, shipping: &str, currency: Currency) -> Result<OrderCommand, FormError> {
    let mut fields = Fields::default();
    let tax = fields.check("Tax", amount_or_zero(tax, currency));
    let shipping = fields.check("Shipping", amount_or_zero(shipping, currency));
    match (tax, shipping) {
        (Some(tax), Some(shipping)) => Ok(OrderCommand::SetCharges { tax, shipping }),
        _ => Err(fields.refused()),
    }
}

/// The order's discount as typed: `10%`, an amount in `currency`, or empty to take it away.
///
/// # Errors
/// Why the discount is refused.
pub fn order_discount(text: &str, currency: Currency) -> Result<OrderCommand, FormError> {
    let discount = discount(text, currency).map_err(FormError::Field)?;
    Ok(OrderCommand::SetDiscount { discount })
}

/// The payment methods a seller picks from, with the label shown for each (and picked by).
pub const PAYMENT_METHODS: [(PaymentMethod, &str); 4] = [
    (PaymentMethod::Cash, "Cash"),
    (PaymentMethod::Card, "Card"),
    (PaymentMethod::BankTransfer, "Bank transfer"),
    (PaymentMethod::Other, "Other"),
];

/// The order placed when it is stamped.
#[must_use]
pub fn place() -> Unstamped<OrderCommand> {
    Unstamped::new(|at| OrderCommand::Place { at })
}

/// A payment by the method with this label; a method that is none of [`PAYMENT_METHODS`]'
/// labels is `Other`.
///
/// # Errors
/// Why the amount is refused.
pub fn payment(
    amount: &str,
    method: &str,
    currency: Currency,
) -> Result<Unstamped<OrderCommand>, FormError> {
    let amount = super::amount(amount, currency).map_err(FormError::Field)?;
    let method = method_labelled(method);
    Ok(Unstamped::new(move |at| OrderCommand::RecordPayment {
        amount,
        currency,
        method,
        at,
    }))
}

/// # Errors
/// Why the quantity is refused.
pub fn fulfil_line(line_id: LineId, quantity: &str) -> Result<Unstamped<OrderCommand>, FormError> {
    let quantity = Quantity::parse(quantity).map_err(FormError::Field)?;
    Ok(Unstamped::new(move |at| OrderCommand::Fulfil {
        lines: FulfilLines::Only(vec![LineQuantity { line_id, quantity }]),
        at,
    }))
}

#[must_use]
pub fn fulfil_all() -> Unstamped<OrderCommand> {
    Unstamped::new(|at| OrderCommand::Fulfil {
        lines: FulfilLines::AllRemaining,
        at,
    })
}

/// # Errors
/// Why the reason is refused.
pub fn cancel(reason: &str) -> Result<Unstamped<OrderCommand>, FormError> {
    let reason = Remark::parse(reason).map_err(FormError::Field)?;
    Ok(Unstamped::new(move |at| OrderCommand::Cancel {
        reason,
        at,
    }))
}

/// A refund given back by the method with this label (as [`payment`] reads it).
///
/// # Errors
/// Why the amount is refused.
pub fn refund(
    amount: &str,
    method: &str,
    currency: Currency,
) -> Result<Unstamped<OrderCommand>, FormError> {
    let amount = super::amount(amount, currency).map_err(FormError::Field)?;
    let method = Some(method_labelled(method));
    Ok(Unstamped::new(move |at| OrderCommand::RecordRefund {
        amount,
        currency,
        method,
        at,
    }))
}

/// The method with this label; `Other` for none of [`PAYMENT_METHODS`]' labels.
#[must_use]
pub fn method_labelled(label: &str) -> PaymentMethod {
    PAYMENT_METHODS
        .iter()
        .find(|(_, known)| *known == label)
        .map_or(PaymentMethod::Other, |(method, _)| *method)
}

/// The label a seller knows the method by.
#[must_use]
pub fn method_label(method: PaymentMethod) -> &'static str {
    PAYMENT_METHODS
        .iter()
        .find(|(known, _)| *known == method)
        .map_or("Other", |(_, label)| *label)
}

/// So many units of a line coming back, as the return form holds them, and whether they go
/// back to stock.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ReturnChoice {
    pub line_id: LineId,
    pub units: u32,
    pub restock: bool,
}

/// The lines the units chosen bring back; a line with none is left out.
#[must_use]
pub fn returned_lines(chosen: &[ReturnChoice]) -> Vec<ReturnedLine> {
    chosen
        .iter()
        .filter_map(|choice| {
            Some(ReturnedLine {
                line_id: choice.line_id,
                quantity: Quantity::new(choice.units).ok()?,
                restock: choice.restock,
            })
        })
        .collect()
}

/// The units chosen (a line with none is left out), each line's going back to stock or
/// not, and, unless the refund is empty or zero, the refund typed, by the method labelled.
///
/// # Errors
/// Why the refund amount is refused.
pub fn return_lines(
    chosen: &[ReturnChoice],
    refund: &str,
    method: &str,
    currency: Currency,
) -> Result<Unstamped<OrderCommand>, FormError> {
    let amount = amount_or_zero(refund, currency)
        .map_err(|reason| FormError::named("Refund amount", reason))?;
    let refund = (amount > Money::ZERO).then(|| RefundGiven {
        amount,
        currency,
        method: method_labelled(method),
    });
    let lines = returned_lines(chosen);
    Ok(Unstamped::new(move |at| OrderCommand::Return {
        lines,
        refund,
        at,
    }))
}

/// A new draft for the customer of the order in stream `original` (`header`), exchanging
/// what came back from it: no lines yet, the same customer, currency and tax mode.
#[must_use]
pub fn exchange(original: &str, header: &OrderHeader) -> Unstamped<CreateOrder> {
    let (original, header) = (original.to_owned(), header.clone());
    Unstamped::new(move |created_at| CreateOrder {
        name: None,
        customer: header.customer,
        email: header.email,
        customer_id: header.customer_id,
        exchange_for: Some(original),
        currency: header.currency,
        prices_include_tax: header.prices_include_tax,
        lines: Vec::new(),
        created_at,
    })
}

/// Files the order under the tag typed.
///
/// # Errors
/// Why the tag is refused.
pub fn add_tag(text: &str) -> Result<OrderCommand, FormError> {
    let tag = Tag::parse(text).map_err(FormError::Field)?;
    Ok(OrderCommand::AddTag { tag })
}

/// Voids the `payment`th payment, for the reason typed.
///
/// # Errors
/// Why the reason is refused.
pub fn void_payment(payment: u32, reason: &str) -> Result<Unstamped<OrderCommand>, FormError> {
    let reason = Remark::parse(reason).map_err(FormError::Field)?;
    Ok(Unstamped::new(move |at| OrderCommand::VoidPayment {
        payment,
        reason,
        at,
    }))
}

/// The order reopened as a draft when it is stamped.
#[must_use]
pub fn reopen() -> Unstamped<OrderCommand> {
    Unstamped::new(|at| OrderCommand::Reopen { at })
}

/// # Errors
/// Why the note is refused.
pub fn note(text: &str) -> Result<Unstamped<OrderCommand>, FormError> {
    let text = Remark::parse(text).map_err(FormError::Field)?;
    Ok(Unstamped::new(move |at| OrderCommand::AddNote { text, at }))
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::domain::Timestamp;

    /// The command, or the message its control shows.
    fn shown<C>(built: Result<C, FormError>) -> Result<C, String> {
        built.map_err(|refused| refused.to_string())
    }

    /// The command issued at `at`, or the message its control shows.
    fn issued(
        built: Result<Unstamped<OrderCommand>, FormError>,
        at: Timestamp,
    ) -> Result<OrderCommand, String> {
        shown(built).map(|command| command.at(at))
    }

    fn line_form(sku: &str, quantity: &str, price: &str, discount: &str) -> LineForm {
        LineForm {
            sku: sku.into(),
            product_name: String::new(),
            quantity: quantity.into(),
            unit_price: price.into(),
            discount: discount.into(),
            tax: None,
        }
    }

    fn usd() -> Currency {
        Currency::new(*b"USD")
    }

    #[test]
    fn a_line_without_a_name_is_named_after_its_sku_and_has_no_discount() {
        let command = line_form("MUG-2", "2", "12.50", "")
            .to_command(LineId(3), usd())
            .unwrap();
        assert_eq!(
            command,
            OrderCommand::AddLine(OrderLine {
                line_id: LineId(3),
                sku: Sku::parse("MUG-2").unwrap(),
                product_name: ProductName::parse("MUG-2").unwrap(),
                quantity: Quantity::new(2).unwrap(),
                unit_price: Money::from_cents(1_250),
                discount: Money::ZERO,
                discount_percent: None,
                tax: None,
            })
        );
    }

    #[test]
    fn every_bad_field_of_a_line_is_named_in_its_message() {
        assert_eq!(
            shown(line_form("", "0", "abc", "-1").to_command(LineId(1), usd())),
            Err("SKU: this field is required; Product name: this field is required; Quantity: must be at least 1; \
                 Unit price: must be a number, like 12.50; Discount: cannot be negative"
                .into())
        );
    }

    #[test]
    fn empty_charges_are_zero_and_bad_ones_are_named() {
        assert_eq!(
            shown(charges("", " ", usd())),
            Ok(OrderCommand::SetCharges {
                tax: Money::ZERO,
                shipping: Money::ZERO
            })
        );
        assert_eq!(
            shown(charges("x", "1.234", usd())),
            Err(
                "Tax: must be a number, like 12.50; Shipping: use at most two decimals (cents)"
                    .into()
            )
        );
    }

    #[test]
    fn a_line_takes_its_rate_and_a_discount_as_a_percentage_or_an_amount() {
        let vat = TaxRate {
            name: crate::domain::RateName::parse("VAT").unwrap(),
            rate: crate::domain::Rate::parse("20").unwrap(),
        };
        let form = LineForm {
            tax: Some(vat.clone()),
            ..line_form("MUG-2", "2", "1250", "10 %")
        };
        let Ok(OrderCommand::AddLine(line)) = form.to_command(LineId(1), Currency::new(*b"JPY"))
        else {
            panic!("refused");
        };
        assert_eq!(
            line.unit_price,
            Money::from_cents(1_250),
            "yen have no minor units"
        );
        assert_eq!(
            line.discount_percent.map(|r| r.to_string()),
            Some("10%".into())
        );
        assert_eq!(line.tax, Some(vat));
        assert_eq!(
            shown(
                line_form("MUG-2", "1", "12.5", "1.5")
                    .to_command(LineId(1), Currency::new(*b"JPY"))
            ),
            Err(
                "Unit price: this currency has no minor units: use whole amounts; \
                 Discount: this currency has no minor units: use whole amounts"
                    .into()
            )
        );
        assert_eq!(
            shown(line_form("MUG-2", "1", "12", "150%").to_command(LineId(1), usd())),
            Err("Discount: must be from 0% to 100%".into())
        );
        assert_eq!(
            shown(line_form("MUG-2", "1", "12", "half").to_command(LineId(1), usd())),
            Err("Discount: must be a percentage, like 10%, or an amount, like 1.50".into())
        );
    }

    #[test]
    fn a_lines_rate_is_the_products_else_the_shops_default_unless_another_is_picked() {
        let rate = |name: &str, percent: &str| TaxRate {
            name: RateName::parse(name).unwrap(),
            rate: crate::domain::Rate::parse(percent).unwrap(),
        };
        let shop = ShopSettings {
            tax_rates: vec![rate("VAT", "20"), rate("Reduced", "5.5")],
            default_rate: Some(RateName::parse("VAT").unwrap()),
            ..ShopSettings::default()
        };
        let reduced = RateName::parse("Reduced").unwrap();
        let gone = RateName::parse("Retired").unwrap();
        assert_eq!(
            RateChoice::Product.resolve(Some(&reduced), &shop),
            Some(rate("Reduced", "5.5"))
        );
        assert_eq!(
            RateChoice::Product.resolve(None, &shop),
            Some(rate("VAT", "20"))
        );
        assert_eq!(
            RateChoice::Product.resolve(Some(&gone), &shop),
            Some(rate("VAT", "20"))
        );
        assert_eq!(RateChoice::Untaxed.resolve(Some(&reduced), &shop), None);
        assert_eq!(
            RateChoice::Rate(rate("VAT", "20")).resolve(Some(&reduced), &shop),
            Some(rate("VAT", "20"))
        );
        let labels: Vec<String> = rate_choices(&shop)
            .into_iter()
            .map(|(label, _)| label)
            .collect();
        assert_eq!(
            labels,
            [
                "Product's rate, or VAT 20%",
                "VAT 20%",
                "Reduced 5.5%",
                "No tax"
            ]
        );
    }

    #[test]
    fn an_order_discount_is_a_percentage_an_amount_or_none() {
        assert_eq!(
            shown(order_discount("5%", usd())),
            Ok(OrderCommand::SetDiscount {
                discount: Some(Discount::Percent(crate::domain::Rate::parse("5").unwrap()))
            })
        );
        assert_eq!(
            shown(order_discount("2.50", usd())),
            Ok(OrderCommand::SetDiscount {
                discount: Some(Discount::Amount(Money::from_cents(250)))
            })
        );
        assert_eq!(
            shown(order_discount(" ", usd())),
            Ok(OrderCommand::SetDiscount { discount: None })
        );
        assert_eq!(
            shown(order_discount("-1%", usd())),
            Err("must be from 0% to 100%".into())
        );
    }

    #[test]
    fn a_payment_is_in_the_orders_currency_by_the_chosen_method() {
        let usd = Currency::new(*b"USD");
        assert_eq!(
            issued(payment("10", "Bank transfer", usd), Timestamp(5)),
            Ok(OrderCommand::RecordPayment {
                amount: Money::from_cents(1_000),
                currency: usd,
                method: PaymentMethod::BankTransfer,
                at: Timestamp(5)
            })
        );
        assert_eq!(
            issued(payment("-3", "Cash", usd), Timestamp(5)),
            Err("cannot be negative".into())
        );
    }

    #[test]
    fn single_field_controls_give_the_fields_reason() {
        let usd = Currency::new(*b"USD");
        assert_eq!(
            shown(change_quantity(LineId(1), "0")),
            Err("must be at least 1".into())
        );
        assert_eq!(
            issued(fulfil_line(LineId(1), "two"), Timestamp(0)),
            Err("must be a whole number, like 3".into())
        );
        assert_eq!(
            issued(cancel("  "), Timestamp(0)),
            Err("this field is required".into())
        );
        assert_eq!(
            issued(refund("abc", "Cash", usd), Timestamp(0)),
            Err("must be a number, like 12.50".into())
        );
        assert_eq!(
            issued(note(""), Timestamp(0)),
            Err("this field is required".into())
        );
    }

    #[test]
    fn every_command_that_carries_a_time_takes_the_one_it_is_stamped_with() {
        let at = Timestamp(42);
        let usd = Currency::new(*b"USD");
        assert_eq!(place().at(at), OrderCommand::Place { at });
        assert_eq!(
            fulfil_all().at(at),
            OrderCommand::Fulfil {
                lines: FulfilLines::AllRemaining,
                at
            }
        );
        assert_eq!(
            issued(fulfil_line(LineId(2), "1"), at),
            Ok(OrderCommand::Fulfil {
                lines: FulfilLines::Only(vec![LineQuantity {
                    line_id: LineId(2),
                    quantity: Quantity::new(1).unwrap()
                }]),
                at
            })
        );
        assert_eq!(
            issued(cancel("moved house"), at),
            Ok(OrderCommand::Cancel {
                reason: Remark::parse("moved house").unwrap(),
                at
            })
        );
        assert_eq!(
            issued(refund("2", "Bank transfer", usd), at),
            Ok(OrderCommand::RecordRefund {
                amount: Money::from_cents(200),
                currency: usd,
                method: Some(PaymentMethod::BankTransfer),
                at
            })
        );
        assert_eq!(
            issued(note("gift wrap"), at),
            Ok(OrderCommand::AddNote {
                text: Remark::parse("gift wrap").unwrap(),
                at
            })
        );
    }

    #[test]
    fn a_new_line_takes_the_next_id() {
        assert_eq!(next_line_id(&Order::default()), LineId(1));
    }
}
