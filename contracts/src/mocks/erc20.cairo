//! Minimal ERC20 with an open `mint` (tests fund accounts and pools with it), snake_case and the
//! camelCase names Ekubo's core calls (balanceOf, transferFrom). Knobs play hostile tokens:
//! transfer/approve that return false without doing anything, and a fee on transfer.

#[starknet::interface]
pub trait IMintable<T> {
    fn mint(ref self: T, to: starknet::ContractAddress, amount: u256);
    /// One call for many mints: every contract call costs the WASM test runner ~20 MB.
    fn mint_many(ref self: T, to: Span<starknet::ContractAddress>, amounts: Span<u256>);
    /// `return_false`: transfer, transfer_from and approve return false and change nothing.
    /// `fee_bps`: every transfer delivers amount - amount * fee_bps / 10000 (the rest is burnt).
    fn set_misbehaviour(ref self: T, return_false: bool, fee_bps: u256);
}

#[starknet::contract]
pub mod MockERC20 {
    use starknet::storage::{
        Map, StorageMapReadAccess, StorageMapWriteAccess, StoragePointerReadAccess,
        StoragePointerWriteAccess,
    };
    use starknet::{ContractAddress, get_caller_address};

    #[storage]
    struct Storage {
        symbol: felt252,
        decimals: u8,
        total_supply: u256,
        balances: Map<ContractAddress, u256>,
        allowances: Map<(ContractAddress, ContractAddress), u256>,
        return_false: bool,
        fee_bps: u256,
    }

    #[constructor]
    fn constructor(ref self: ContractState, symbol: felt252, decimals: u8) {
        self.symbol.write(symbol);
        self.decimals.write(decimals);
    }

    #[abi(embed_v0)]
    impl ERC20Impl of crate::interfaces::IERC20<ContractState> {
        fn balance_of(self: @ContractState, account: ContractAddress) -> u256 {
            self.balances.read(account)
        }

        fn allowance(self: @ContractState, owner: ContractAddress, spender: ContractAddress) -> u256 {
            self.allowances.read((owner, spender))
        }

        fn transfer(ref self: ContractState, recipient: ContractAddress, amount: u256) -> bool {
            if self.return_false.read() {
                return false;
            }
            self.move_balance(get_caller_address(), recipient, amount);
            true
        }

        fn transfer_from(
            ref self: ContractState, sender: ContractAddress, recipient: ContractAddress, amount: u256,
        ) -> bool {
            self.pull(sender, recipient, amount)
        }

        fn approve(ref self: ContractState, spender: ContractAddress, amount: u256) -> bool {
            if self.return_false.read() {
                return false;
            }
            self.allowances.write((get_caller_address(), spender), amount);
            true
        }
    }

    #[abi(embed_v0)]
    impl CamelImpl of crate::interfaces::IERC20Camel<ContractState> {
        fn balanceOf(self: @ContractState, account: ContractAddress) -> u256 {
            self.balances.read(account)
        }

        fn transferFrom(
            ref self: ContractState, sender: ContractAddress, recipient: ContractAddress, amount: u256,
        ) -> bool {
            self.pull(sender, recipient, amount)
        }
    }

    #[abi(embed_v0)]
    impl MintableImpl of super::IMintable<ContractState> {
        fn mint(ref self: ContractState, to: ContractAddress, amount: u256) {
            self.total_supply.write(self.total_supply.read() + amount);
            self.balances.write(to, self.balances.read(to) + amount);
        }

        fn mint_many(ref self: ContractState, to: Span<ContractAddress>, amounts: Span<u256>) {
            assert(to.len() == amounts.len(), 'ERC20: length mismatch');
            let mut i = 0;
            while i != to.len() {
                let (account, amount) = (*to.at(i), *amounts.at(i));
                self.total_supply.write(self.total_supply.read() + amount);
                self.balances.write(account, self.balances.read(account) + amount);
                i += 1;
            };
        }

        fn set_misbehaviour(ref self: ContractState, return_false: bool, fee_bps: u256) {
            assert(fee_bps < 10_000, 'ERC20: fee too high');
            self.return_false.write(return_false);
            self.fee_bps.write(fee_bps);
        }
    }

    #[generate_trait]
    impl InternalImpl of InternalTrait {
        fn pull(
            ref self: ContractState, sender: ContractAddress, recipient: ContractAddress, amount: u256,
        ) -> bool {
            if self.return_false.read() {
                return false;
            }
            let spender = get_caller_address();
            let allowed = self.allowances.read((sender, spender));
            assert(allowed >= amount, 'ERC20: insufficient allowance');
            self.allowances.write((sender, spender), allowed - amount);
            self.move_balance(sender, recipient, amount);
            true
        }

        fn move_balance(
            ref self: ContractState, from: ContractAddress, to: ContractAddress, amount: u256,
        ) {
            let from_balance = self.balances.read(from);
            assert(from_balance >= amount, 'ERC20: insufficient balance');
            self.balances.write(from, from_balance - amount);
            let fee = amount * self.fee_bps.read() / 10_000;
            self.balances.write(to, self.balances.read(to) + amount - fee);
            self.total_supply.write(self.total_supply.read() - fee);
        }
    }
}
