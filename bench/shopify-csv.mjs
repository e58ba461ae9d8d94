// A Shopify "Export orders" CSV of `orders` orders with four line items each (four rows per
// order), in the mix of statuses a shop's history has: a third paid and fulfilled, the rest
// paid, part paid or unpaid, fulfilled or not. Deterministic, so every run imports the same.
const HEADER = [
  'Name', 'Email', 'Financial Status', 'Paid at', 'Fulfillment Status', 'Fulfilled at', 'Currency',
  'Subtotal', 'Shipping', 'Taxes', 'Total', 'Discount Amount', 'Created at', 'Lineitem quantity',
  'Lineitem name', 'Lineitem price', 'Lineitem sku', 'Lineitem fulfillment status', 'Lineitem discount',
  'Billing Name', 'Notes', 'Cancelled at', 'Refunded Amount', 'Outstanding Balance',
];
// [financial status, fulfilled?] for each order in turn, twelve at a time.
const MIX = [
  ['paid', true], ['paid', true], ['paid', true], ['paid', true], ['paid', false], ['paid', false],
  ['partially_paid', true], ['partially_paid', true], ['partially_paid', false],
  ['pending', true], ['pending', true], ['pending', false],
];
const LINES = 4;
const QUANTITY = 2;
const PRICE = 500; // cents

const money = (cents) => (cents / 100).toFixed(2);
const pad = (n) => String(n).padStart(2, '0');
const at = (day, hour) => `2026-${pad(1 + (day % 12))}-${pad(1 + (day % 28))} ${pad(hour)}:00:00 +0200`;

export function shopifyCsv(orders) {
  const rows = [HEADER.join(',')];
  const total = LINES * QUANTITY * PRICE;
  for (let n = 0; n < orders; n++) {
    const [financial, fulfilled] = MIX[n % MIX.length];
    const paid = financial === 'paid' ? total : financial === 'partially_paid' ? total / 2 : 0;
    for (let line = 0; line < LINES; line++) {
      const first = line === 0;
      const order = first
        ? [`c${n}@example.com`, financial, paid > 0 ? at(n, 11) : '', fulfilled ? 'fulfilled' : 'unfulfilled',
            fulfilled ? at(n, 12) : '', 'USD', money(total), '0.00', '0.00', money(total), '0.00', at(n, 10)]
        : ['', '', '', '', '', '', '', '', '', '', '', ''];
      rows.push([
        `#${100000 + n}`, ...order, QUANTITY, `Tea ${line}`, money(PRICE), `TEA-${line}`, fulfilled ? 'fulfilled' : '', '0.00',
        first ? `"Customer ${n}, Esq."` : '', '', '', '0.00', first ? money(total - paid) : '',
      ].join(','));
    }
  }
  return `${rows.join('\n')}\n`;
}
