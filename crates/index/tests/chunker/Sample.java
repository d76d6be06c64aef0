// Bank accounts, to pin how Java files are chunked.
package bank;

import java.util.ArrayList;
import java.util.List;

/** An account with a balance. */
public class Account {
    private final String owner;
    private long balance;

    public Account(String owner) {
        this.owner = owner;
    }

    /** Adds money; refuses negative amounts. */
    public void deposit(long amount) {
        if (amount < 0) throw new IllegalArgumentException("negative");
        balance += amount;
    }

    @Override
    public String toString() {
        return owner + ": " + balance;
    }
}

interface Ledger {
    void record(String entry);
}

enum Currency {
    EUR, USD;

    String symbol() {
        return this == EUR ? "€" : "$";
    }
}
