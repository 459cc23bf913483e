//! One constant-product pair behind the JediSwap v1 router ABI. Reserves are the pool's token
//! balances (tests set them by minting to the pool); the fee is in basis points and the output
//! follows Uniswap v2's getAmountOut with floor division, which sizing.ts mirrors.
//! Knobs make it the hostile router of the security tests (see `set_misbehaviour`).

#[starknet::interface]
pub trait IConstantProductPool<T> {
    fn get_reserves(self: @T) -> (u256, u256);
    fn tokens(self: @T) -> (starknet::ContractAddress, starknet::ContractAddress);
    fn fee_bps(self: @T) -> u256;
    /// 0 honest; 1 reports 1000x the output it sent; 2 pulls only half the input (and pays for
    /// that half); 3 re-enters `target`'s Vesu callback before paying.
    fn set_misbehaviour(ref self: T, mode: u8, target: starknet::ContractAddress);
}

pub mod misbehaviour {
    pub const HONEST: u8 = 0;
    pub const OVER_REPORT: u8 = 1;
    pub const PARTIAL_PULL: u8 = 2;
    pub const REENTER: u8 = 3;
}

pub const BPS: u256 = 10_000;

/// Output for `amount_in` against reserves, fee in basis points (Uniswap v2 formula).
pub fn amount_out(amount_in: u256, reserve_in: u256, reserve_out: u256, fee_bps: u256) -> u256 {
    let in_after_fee = amount_in * (BPS - fee_bps);
    (in_after_fee * reserve_out) / (reserve_in * BPS + in_after_fee)
}

#[starknet::contract]
pub mod MockConstantProductPool {
    use starknet::storage::{StoragePointerReadAccess, StoragePointerWriteAccess};
    use starknet::{ContractAddress, get_block_timestamp, get_caller_address, get_contract_address};
    use crate::interfaces::{
        IERC20Dispatcher, IERC20DispatcherTrait, IVesuFlashLoanReceiverDispatcher,
        IVesuFlashLoanReceiverDispatcherTrait,
    };
    use super::misbehaviour;

    #[storage]
    struct Storage {
        token0: ContractAddress,
        token1: ContractAddress,
        fee_bps: u256,
        mode: u8,
        target: ContractAddress,
    }

    #[constructor]
    fn constructor(
        ref self: ContractState, token0: ContractAddress, token1: ContractAddress, fee_bps: u256,
    ) {
        assert(fee_bps < super::BPS, 'POOL: fee too high');
        self.token0.write(token0);
        self.token1.write(token1);
        self.fee_bps.write(fee_bps);
    }

    #[abi(embed_v0)]
    impl RouterImpl of crate::interfaces::ISwapRouter<ContractState> {
        fn swap_exact_tokens_for_tokens(
            ref self: ContractState,
            amountIn: u256,
            amountOutMin: u256,
            path: Array<ContractAddress>,
            to: ContractAddress,
            deadline: u64,
        ) -> Array<u256> {
            assert(deadline >= get_block_timestamp(), 'POOL: expired');
            let (token_in, token_out) = self.pair_direction(@path);
            let this = get_contract_address();
            let erc20_in = IERC20Dispatcher { contract_address: token_in };
            let erc20_out = IERC20Dispatcher { contract_address: token_out };
            let mode = self.mode.read();
            let pulled = if mode == misbehaviour::PARTIAL_PULL {
                amountIn / 2
            } else {
                amountIn
            };
            let reserve_in = erc20_in.balance_of(this);
            let reserve_out = erc20_out.balance_of(this);
            // Output on what actually arrived (a fee-on-transfer input delivers less).
            erc20_in.transfer_from(get_caller_address(), this, pulled);
            let arrived = erc20_in.balance_of(this) - reserve_in;
            let out = super::amount_out(arrived, reserve_in, reserve_out, self.fee_bps.read());
            assert(out >= amountOutMin, 'POOL: insufficient output');
            if mode == misbehaviour::REENTER {
                IVesuFlashLoanReceiverDispatcher { contract_address: self.target.read() }
                    .on_flash_loan(self.target.read(), token_in, amountIn, array![].span());
            }
            erc20_out.transfer(to, out);
            if mode == misbehaviour::OVER_REPORT {
                return array![amountIn, out * 1000];
            }
            array![amountIn, out]
        }

        fn get_amounts_out(
            self: @ContractState, amountIn: u256, path: Array<ContractAddress>,
        ) -> Array<u256> {
            let (token_in, token_out) = self.pair_direction(@path);
            let this = get_contract_address();
            let out = super::amount_out(
                amountIn,
                IERC20Dispatcher { contract_address: token_in }.balance_of(this),
                IERC20Dispatcher { contract_address: token_out }.balance_of(this),
                self.fee_bps.read(),
            );
            array![amountIn, out]
        }
    }

    #[abi(embed_v0)]
    impl PoolImpl of super::IConstantProductPool<ContractState> {
        fn get_reserves(self: @ContractState) -> (u256, u256) {
            let this = get_contract_address();
            (
                IERC20Dispatcher { contract_address: self.token0.read() }.balance_of(this),
                IERC20Dispatcher { contract_address: self.token1.read() }.balance_of(this),
            )
        }
        fn tokens(self: @ContractState) -> (ContractAddress, ContractAddress) {
            (self.token0.read(), self.token1.read())
        }
        fn fee_bps(self: @ContractState) -> u256 {
            self.fee_bps.read()
        }
        fn set_misbehaviour(ref self: ContractState, mode: u8, target: ContractAddress) {
            self.mode.write(mode);
            self.target.write(target);
        }
    }

    #[generate_trait]
    impl InternalImpl of InternalTrait {
        fn pair_direction(
            self: @ContractState, path: @Array<ContractAddress>,
        ) -> (ContractAddress, ContractAddress) {
            assert(path.len() == 2, 'POOL: path must be 2 tokens');
            let a = *path.at(0);
            let b = *path.at(1);
            let t0 = self.token0.read();
            let t1 = self.token1.read();
            assert((a == t0 && b == t1) || (a == t1 && b == t0), 'POOL: unknown pair');
            (a, b)
        }
    }
}
