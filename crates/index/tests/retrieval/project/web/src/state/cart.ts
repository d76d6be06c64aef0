// The shopping cart.

export interface CartItem {
  sku: string;
  price: number;
  quantity: number;
}

export class Cart {
  private items = new Map<string, CartItem>();

  /** Puts a product in the cart, or raises its quantity if it is already there. */
  addItem(item: CartItem): void {
    const existing = this.items.get(item.sku);
    if (existing) existing.quantity += item.quantity;
    else this.items.set(item.sku, { ...item });
  }

  removeItem(sku: string): void {
    this.items.delete(sku);
  }

  /** What the customer pays: price times quantity over every item. */
  total(): number {
    let sum = 0;
    for (const it of this.items.values()) sum += it.price * it.quantity;
    return Math.round(sum * 100) / 100;
  }
}
