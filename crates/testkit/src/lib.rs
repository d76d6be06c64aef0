//! aura-testkit (being written).
