//! aura-app (being written).
