"""Invoices: lines, discounts and tax."""
from dataclasses import dataclass, field
from decimal import Decimal, ROUND_HALF_UP


@dataclass
class InvoiceLine:
    description: str
    unit_price: Decimal
    quantity: int = 1


@dataclass
class Invoice:
    customer: str
    lines: list = field(default_factory=list)

    def subtotal(self) -> Decimal:
        """Sum of every line before discounts and tax."""
        return sum((l.unit_price * l.quantity for l in self.lines), Decimal("0"))


def apply_discount_code(invoice, code, catalog):
    """Reduces the subtotal by the percentage a promo code is worth; unknown codes do nothing."""
    percent = catalog.get(code.strip().upper())
    if percent is None:
        return invoice.subtotal()
    return invoice.subtotal() * (Decimal(100) - Decimal(percent)) / Decimal(100)


def compute_sales_tax(amount, region_rates, region):
    """VAT or sales tax for a region, rounded half up to the cent."""
    rate = Decimal(str(region_rates.get(region, 0)))
    return (amount * rate).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def render_invoice_text(invoice):
    """A plain-text rendering of the invoice for emails."""
    rows = [f"Invoice for {invoice.customer}"]
    for l in invoice.lines:
        rows.append(f"{l.quantity} x {l.description} @ {l.unit_price}")
    rows.append(f"Subtotal: {invoice.subtotal()}")
    return "\n".join(rows)
