//! Test doubles shaped like the real venues. Scarb builds them too, so the devnet harness can
//! deploy a whole market from target/dev. Never deploy them on a public network.

pub mod erc20;
pub mod zklend_market;
pub mod vesu_lender;
pub mod pool;
pub mod ekubo_core;
pub mod intruder;
