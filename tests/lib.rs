//! aura-tests: scenario tests of Aura's app layer. The tests live in `scenarios/`; the
//! end-to-end tests of the real window live in `e2e/` (Node + WebDriver).
