/**
 * `strategies.flash-loan.simulator`: the dry-run demo on loopback pools. Starts the pool node
 * (simulators/starknet/pool-node.ts) priced off the reference book, and reads it through the
 * same RpcPoolSource as a real node, so the demo exercises the real JSON-RPC path.
 */
import { Decimal } from 'decimal.js';
import type { VenueId } from '../../../engine/market/types.ts';
import type { Strategy, StrategyDeps } from '../../../engine/strategy/strategy.ts';
import { startPoolNode, type PoolNode } from '../../../simulators/starknet/pool-node.ts';
import type { FlashLoanOptions } from './options.ts';
import { RpcPoolSource, type PoolReserves, type PoolSource } from './pool-reader.ts';

export class SimulatedPools implements PoolSource {
  readonly node: Promise<PoolNode>;
  private source: RpcPoolSource | undefined;

  constructor(deps: Pick<StrategyDeps, 'books' | 'instruments'>, options: FlashLoanOptions) {
    const sim = options.simulator!;
    const { instrument, venue } = options.reference;
    this.node = startPoolNode({
      pools: options.pools.map((p) => ({ address: p.pair ?? p.router, reserveOrder: p.reserveOrder })),
      tokenDecimals: options.token.decimals,
      midDecimals: options.midToken.decimals,
      seed: sim.seed,
      dislocationPct: sim.dislocationPct,
      everyMs: sim.everyMs,
      depthTokens: sim.depthTokens,
      referencePrice: () => {
        const listing = deps.instruments.listings(instrument).find((l) => l.venue === venue);
        const book = listing ? deps.books.book(venue as VenueId, listing.symbol) : undefined;
        const bid = book?.bids.best();
        const ask = book?.asks.best();
        if (!book || bid === undefined || ask === undefined) return undefined;
        return new Decimal(bid + ask).div(2).div(new Decimal(10).pow(book.market.priceDecimals)).toFixed(book.market.priceDecimals + 1);
      },
    });
  }

  async reserves(pair: string, order: 'token-mid' | 'mid-token'): Promise<PoolReserves> {
    this.source ??= new RpcPoolSource((await this.node).url);
    return this.source.reserves(pair, order);
  }

  async stop(): Promise<void> {
    await (await this.node).stop();
  }
}

/** The strategy, with the pool node stopped when it stops. */
export function withSimulatedPools(strategy: Strategy, pools: SimulatedPools): Strategy {
  return {
    name: strategy.name,
    onBookUpdate: (venue, symbol, instrument) => strategy.onBookUpdate(venue, symbol, instrument),
    stop: () => {
      strategy.stop?.();
      void pools.stop();
    },
  };
}
