//! aura-fs (being written).
