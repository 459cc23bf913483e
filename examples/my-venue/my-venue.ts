// my-venue.ts: a complete exchange plugin (market data only), runnable as printed.
import { definePlugin } from 'perp-arb-engine/engine/core/plugin.ts';
import { toUnits } from 'perp-arb-engine/engine/market/units.ts';

export default definePlugin({
  kind: 'exchange',
  name: 'myvenue', // the venue id used in `instruments` and `venues.myvenue`
  register(ctx) {
    // ctx.options is your `venues.myvenue` section: validate it (zod + parseOptions gives path-named errors)
    ctx.provideExchange(({ clock }) => {
      let timer: ReturnType<typeof setInterval> | undefined;
      let seq = 0;
      return {
        venue: 'myvenue',
        chain: 'myvenue', // gas is looked up as simulation.gasUsd.<chain>
        async loadMarkets(symbols) {
          // tick size, size step and the integer scale of book events
          return symbols.map((symbol) => ({ venue: 'myvenue', symbol, priceDecimals: 2, sizeDecimals: 3, tickSize: '0.01', sizeIncrement: '0.001' }));
        },
        async startMarketData(markets, sink) {
          // A real connector connects and subscribes here and pushes one normalized event per wire message.
          // This one publishes a fixed quote as a fresh snapshot every second: the hub treats a book older
          // than market.maxBookAgeMs (5 s by default) as stale and stops trading it.
          const publish = () => {
            const now = clock.now();
            for (const m of markets) {
              sink.onBook({
                type: 'snapshot', venue: 'myvenue', symbol: m.symbol, seq: ++seq,
                bids: [{ price: toUnits('65300.5', 2), size: toUnits('0.25', 3) }], // exact: never parseFloat
                asks: [{ price: toUnits('65301.0', 2), size: toUnits('1', 3) }],
                venueTime: now, receivedAt: now,
              });
            }
          };
          publish();
          timer = setInterval(publish, 1_000);
          // Deltas: type 'delta' with seq and prevSeq; the hub applies a delta only if the book's seq === prevSeq,
          // otherwise it marks the book stale and calls resync(symbol). Report disconnects with sink.onStatus(...).
        },
        resync() {
          // fetch or resubscribe a fresh snapshot (this venue sends one every second anyway)
        },
        async stop() {
          clearInterval(timer);
        },
      };
    });
  },
});
