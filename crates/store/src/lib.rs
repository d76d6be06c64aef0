//! aura-store (being written).
