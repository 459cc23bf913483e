//! Flash-loan arbitrage between two on-chain Starknet pools.
//! Layout: ekubo (Ekubo's core interface and types, copied), interfaces (what we call and what calls us), cycle (calldata types shared with the
//! TypeScript builder), flash_arb (the contract), mocks (test doubles also built by scarb so the
//! devnet harness can deploy them), tests (cairo_test, also run in CI through wasm-cairo).

pub mod ekubo;
pub mod interfaces;
pub mod cycle;
pub mod flash_arb;
pub mod mocks;

#[cfg(test)]
mod tests;
