//! cairo_test suites. Under scarb: `scarb test`. In CI: test/contracts/cairo.test.ts runs them
//! through wasm-cairo and reports each test by name.

mod setup;
mod test_cycle;
mod test_security;
mod test_rescue;
mod test_ekubo;
mod test_hostile;
