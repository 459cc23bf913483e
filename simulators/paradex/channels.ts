/**
 * Paradex public channel names, parsed. Docs: `order_book.{market}.{snapshot|deltas}@15@{50ms|100ms}[@{price_tick}]`,
 * `bbo.{market}`, `trades.{market}`, `funding_data.{market}`. Some clients use bare
 * `order_book.{market}.deltas` and bare `funding_data`; both are accepted. Price-tick
 * grouping is not simulated, so a channel asking for it is refused rather than served wrong.
 */
export type ParadexChannel =
  | { readonly kind: 'book'; readonly feed: 'deltas' | 'snapshot'; readonly market: string }
  | { readonly kind: 'bbo'; readonly market: string }
  | { readonly kind: 'trades'; readonly market: string }
  | { readonly kind: 'funding'; readonly market: string | undefined };

const BOOK_RE = /^order_book\.([A-Z0-9]+-[A-Z0-9]+-PERP)\.(deltas|snapshot)(?:@15@(50ms|100ms))?$/;
const SIMPLE_RE = /^(bbo|trades|funding_data)\.([A-Z0-9]+-[A-Z0-9]+-PERP)$/;

export function parseChannel(name: string, knownMarkets: ReadonlySet<string>): ParadexChannel | undefined {
  const book = BOOK_RE.exec(name);
  if (book) {
    const [, market, feed, rate] = book;
    // The snapshot feed needs its depth and rate; only deltas is also seen bare.
    if (!market || !knownMarkets.has(market) || (feed === 'snapshot' && !rate)) return undefined;
    return { kind: 'book', feed: feed as 'deltas' | 'snapshot', market };
  }
  if (name === 'funding_data') return { kind: 'funding', market: undefined };
  const simple = SIMPLE_RE.exec(name);
  if (simple) {
    const [, prefix, market] = simple;
    if (!market || !knownMarkets.has(market)) return undefined;
    if (prefix === 'bbo') return { kind: 'bbo', market };
    if (prefix === 'trades') return { kind: 'trades', market };
    return { kind: 'funding', market };
  }
  return undefined;
}

/**
 * Why the SBE socket refuses a channel the JSON socket takes, or undefined. A third-party probe
 * of the production SBE 1:1 socket (FueledByChai/fueledbychai-rs docs/decisions/0074, 2026-10-07)
 * saw every suffixed delta channel refused with -32600 "invalid subscribe request", data "no
 * parameters expected for deltas topic." (or "... interactive_deltas topic."), and the bare
 * `order_book.{market}.deltas` acknowledged, opening with a snapshot of the whole book. The
 * simulator serves only that book channel over SBE: what the venue does with the snapshot
 * feed on the SBE socket is not settled by any source, so it is refused rather than guessed.
 */
export function sbeRefusal(name: string, channel: ParadexChannel | undefined): string | undefined {
  const suffixed = /^order_book\.[^.]+\.(deltas|interactive_deltas)@/.exec(name);
  if (suffixed) return `no parameters expected for ${suffixed[1]} topic.`;
  if (channel?.kind === 'book' && channel.feed === 'snapshot') {
    return 'the simulator serves no snapshot feed over SBE: subscribe order_book.{market}.deltas';
  }
  return undefined;
}
