//! aura-ai: Aura's AI layer (being built).
