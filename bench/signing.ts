/**
 * Order-signing latency per venue: p50 / p99 over ~200 signatures each, measured after warm-up
 * (table builds and WASM load are one-off startup costs and are excluded; they are reported
 * separately under "*-startup"). Fixed test keys only; nothing here touches the network.
 */
import { Decimal } from 'decimal.js';
import { Wallet } from 'ethers';
import { ec, typedData } from 'starknet';
import { ParadexSigner, paradexOrderTypedData } from '../plugins/exchanges/paradex/signer.ts';
import { signDigest } from '../plugins/exchanges/vest/digest-signer.ts';
import { VestSigner } from '../plugins/exchanges/vest/signer.ts';
import { loadLighterSigner } from '../plugins/exchanges/lighter/signer.ts';

export interface SigningStat {
  p50Ms: number;
  p99Ms: number;
}

function stats(samples: number[]): SigningStat {
  const s = [...samples].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
  const round = (x: number) => Math.round(x * 1000) / 1000;
  return { p50Ms: round(at(0.5)), p99Ms: round(at(0.99)) };
}

function measure(n: number, fn: (i: number) => void): SigningStat {
  for (let i = 0; i < 10; i++) fn(-1 - i); // warm-up
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    fn(i);
    out.push(performance.now() - t0);
  }
  return stats(out);
}

const TEST_STARK_KEY = '0x' + '2b'.repeat(31);
const TEST_EVM_KEY = '0x' + '4c'.repeat(32);

export async function benchSigning(n = 200): Promise<Record<string, SigningStat>> {
  const result: Record<string, SigningStat> = {};

  let t0 = performance.now();
  const paradex = new ParadexSigner({ chainId: 'PRIVATE_SN_PARACLEAR_MAINNET', account: '0x' + '1a'.repeat(31), privateKey: TEST_STARK_KEY });
  result['paradex-startup'] = { p50Ms: Math.round(performance.now() - t0), p99Ms: Math.round(performance.now() - t0) };
  const order = (i: number) => ({
    market: 'BTC-USD-PERP', side: i % 2 ? ('BUY' as const) : ('SELL' as const), type: 'LIMIT' as const,
    size: new Decimal('0.0123').plus(i * 1e-4), price: new Decimal('65000.1').plus(i), signatureTimestamp: 1_760_000_000_000 + i,
  });
  result['paradex'] = measure(n, (i) => paradex.signOrder(order(i)));
  // The reference path (starknet.js typed-data hash + Stark sign), for comparison; fewer samples: it is slow.
  result['paradex-typeddata-reference'] = measure(Math.min(n, 40), (i) => {
    const h = typedData.getMessageHash(paradexOrderTypedData(paradex.chainId, order(i)), paradex.account);
    ec.starkCurve.sign(h, TEST_STARK_KEY);
  });

  const vest = new VestSigner({ signingKey: TEST_EVM_KEY });
  // The floor: the secp256k1 sign alone on a fixed digest, by the backend the scheme ends in
  // (libsecp256k1 where its binding loads), and ethers' pure-JS SigningKey for comparison.
  const evm = new Wallet(TEST_EVM_KEY);
  const digest = '0x' + '5a'.repeat(32);
  result['vest-raw-secp256k1-sign'] = measure(n, () => signDigest(evm, digest));
  result['vest-raw-sign-ethers-js'] = measure(n, () => evm.signingKey.sign(digest));
  result['vest'] = measure(n, (i) =>
    vest.signOrder({
      time: 1_760_000_000_000 + i, nonce: 1_760_000_000_000 + i, orderType: 'LIMIT', symbol: 'BTC-PERP',
      isBuy: i % 2 === 0, size: '0.0123', limitPrice: '65000.10', reduceOnly: false,
    }),
  );

  t0 = performance.now();
  const wasm = await loadLighterSigner();
  const key = wasm.generateApiKey();
  const lighter = wasm.signerFor({ apiPrivateKey: key.privateKey, accountIndex: 1, apiKeyIndex: 2, chainId: 304 });
  result['lighter-startup'] = { p50Ms: Math.round(performance.now() - t0), p99Ms: Math.round(performance.now() - t0) };
  result['lighter'] = measure(n, (i) =>
    lighter.createOrder({
      marketIndex: 1, clientOrderIndex: 1000 + Math.abs(i), baseAmount: 123, price: 6_500_010, isAsk: i % 2 === 0, type: 0,
      timeInForce: 0, reduceOnly: false, orderExpiry: 0, nonce: 10 + Math.abs(i),
    }),
  );
  return result;
}

const invokedDirectly = import.meta.url === `file://${process.argv[1]}`;
if (invokedDirectly) {
  benchSigning().then((r) => console.table(r), (e: unknown) => {
    console.error(e);
    process.exitCode = 1;
  });
}
