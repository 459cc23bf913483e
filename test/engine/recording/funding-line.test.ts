/** Funding lines keep the venue's next rate and settlement time, and older lines without them still decode. */
import { describe, expect, it } from 'vitest';
import { SegmentDecoder, SegmentEncoder, type SegmentHeader } from '../../../engine/recording/codec.ts';

describe('recording: funding lines', () => {
  it('round-trips nextRate and nextFundingAt, and reads a line written before they existed', () => {
    const header = { startedAt: 1_000_000 } as SegmentHeader;
    const enc = new SegmentEncoder(header);
    const dec = new SegmentDecoder(header, 'test');
    const event = { venue: 'lighter', symbol: '1', rate: '0.0012', intervalHours: 1, venueTime: 1_000_100, receivedAt: 1_000_105, nextRate: '0.0012', nextFundingAt: 4_600_000 };
    const line = enc.encode({ kind: 'funding', t: 1_000_105, event });
    expect(dec.decode(line)).toEqual({ kind: 'funding', t: 1_000_105, event });

    const old = new SegmentDecoder(header, 'test').decode(JSON.stringify(['f', 5, 'vest', 'BTC-PERP', '0.0001', 1, -5, 0]));
    expect(old).toEqual({ kind: 'funding', t: 1_000_005, event: { venue: 'vest', symbol: 'BTC-PERP', rate: '0.0001', intervalHours: 1, venueTime: 1_000_000, receivedAt: 1_000_005 } });
  });
});
