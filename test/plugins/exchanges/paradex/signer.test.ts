/**
 * Paradex signer, verified by an independent path: typed data written out by hand here, hashed with
 * starknet.js `typedData.getMessageHash`, checked with Stark ECDSA `ec.starkCurve.verify` against the
 * public key. Known vectors from paradex-py (tradeparadex/paradex-py tests/api/test_account.py,
 * tests/mocks/api_client.py, tests/message/test_order.py): fixed test keys, not real funds.
 */
import { describe, expect, it } from 'vitest';
import { Decimal } from 'decimal.js';
import { ec, shortString, typedData } from 'starknet';
import type { TypedData } from 'starknet';
import {
  ParadexSigner,
  deriveParadexAccountAddress,
  leanPedersen,
  paradexOrderTypedData,
  toParadexQuantum,
  type ParadexOrderFields,
} from '../../../../plugins/exchanges/paradex/signer.ts';

// paradex-py tests/api/test_account.py (test constants) and tests/mocks/api_client.py (testnet config).
const PY_L2_ADDRESS = '0x129c135ed63df9353885e292be4426b8ed6122b13c6c0e1bb787288a1f5adfa';
const PY_L2_PRIVATE_KEY = '0x543b6cf6c91817a87174aaea4fb370ac1c694e864d7740d728f8344d53e815';
const PY_L2_PUBLIC_KEY = '0x2c144d2f2d4fc61b6f8967f3ba0012a87d90140bcfe5a3e92e8df83258c960f';
const PY_CHAIN = 'PRIVATE_SN_POTC_SEPOLIA';
const PY_PROXY_HASH = '0x3530cc4759d78042f1b543bf797f5f3d647cde0388c33734cf91b7f7b9314a9';
const PY_ACCOUNT_HASH = '0x41cb0280ebadaa75f996d8d92c6f265f6d040bb3ba442e5f86a554f1765244e';
const PY_ONBOARDING_SIG = [
  1977703130303461992863803129734853218488251484396280000763960303272760326570n,
  3348963307717496773562227645175864223012165976444899528454487585773913151n,
];
const PY_AUTH_SIG = [
  1977703130303461992863803129734853218488251484396280000763960303272760326570n,
  1751655746465244006452018629921152189693020752513749714656209614151193043281n,
];

const felt = (n: string) => ({ name: n, type: 'felt' });
const handDomain = (chain: string) => ({ name: 'Paradex', chainId: shortString.encodeShortString(chain), version: '1' });
const handDomainType = [felt('name'), felt('chainId'), felt('version')];

function handOrderTypedData(chain: string, ts: number, market: string, side: string, type: string, size: string, price: string): TypedData {
  return {
    domain: handDomain(chain),
    primaryType: 'Order',
    types: { StarkNetDomain: handDomainType, Order: ['timestamp', 'market', 'side', 'orderType', 'size', 'price'].map(felt) },
    message: { timestamp: String(ts), market, side, orderType: type, size, price },
  };
}

function fullPublicKey(priv: string): Uint8Array {
  return ec.starkCurve.getPublicKey(priv, false);
}

function parseSig(sig: string): InstanceType<typeof ec.starkCurve.Signature> {
  const [r, s] = JSON.parse(sig) as [string, string];
  expect(r).toMatch(/^\d+$/);
  expect(s).toMatch(/^\d+$/);
  return new ec.starkCurve.Signature(BigInt(r), BigInt(s));
}

describe('paradex signer: paradex-py known vectors', () => {
  it('derives the documented public key and account address', () => {
    const signer = new ParadexSigner({ chainId: PY_CHAIN, account: PY_L2_ADDRESS, privateKey: PY_L2_PRIVATE_KEY });
    expect(BigInt(signer.publicKey)).toBe(BigInt(PY_L2_PUBLIC_KEY));
    expect(BigInt(deriveParadexAccountAddress(PY_L2_PUBLIC_KEY, PY_PROXY_HASH, PY_ACCOUNT_HASH))).toBe(BigInt(PY_L2_ADDRESS));
  });

  it("paradex-py's published onboarding signature verifies over the hand-built onboarding hash", () => {
    const td: TypedData = {
      domain: handDomain(PY_CHAIN),
      primaryType: 'Constant',
      types: { StarkNetDomain: handDomainType, Constant: [felt('action')] },
      message: { action: 'Onboarding' },
    };
    const h = typedData.getMessageHash(td, PY_L2_ADDRESS);
    const pub = fullPublicKey(PY_L2_PRIVATE_KEY);
    expect(ec.starkCurve.verify(new ec.starkCurve.Signature(PY_ONBOARDING_SIG[0]!, PY_ONBOARDING_SIG[1]!), h, pub)).toBe(true);
    // Ours verifies over the same hash (k differs from starknet_py's, so r,s differ; both are valid).
    const signer = new ParadexSigner({ chainId: PY_CHAIN, account: PY_L2_ADDRESS, privateKey: PY_L2_PRIVATE_KEY });
    expect(ec.starkCurve.verify(parseSig(signer.onboardingSignature()), h, pub)).toBe(true);
    expect(signer.onboardingHeaders('0xd2c7314539dCe7752c8120af4eC2AA750Cf2035e')['PARADEX-ETHEREUM-ACCOUNT']).toBe(
      '0xd2c7314539dCe7752c8120af4eC2AA750Cf2035e',
    );
  });

  it("paradex-py's published auth signature verifies; our auth headers carry a valid signature", () => {
    const timestamp = 1706868900;
    const expiration = 1706955300;
    const td: TypedData = {
      domain: handDomain(PY_CHAIN),
      primaryType: 'Request',
      types: { StarkNetDomain: handDomainType, Request: ['method', 'path', 'body', 'timestamp', 'expiration'].map(felt) },
      message: { method: 'POST', path: '/v1/auth', body: '', timestamp, expiration },
    };
    const h = typedData.getMessageHash(td, PY_L2_ADDRESS);
    const pub = fullPublicKey(PY_L2_PRIVATE_KEY);
    expect(ec.starkCurve.verify(new ec.starkCurve.Signature(PY_AUTH_SIG[0]!, PY_AUTH_SIG[1]!), h, pub)).toBe(true);

    const signer = new ParadexSigner({ chainId: PY_CHAIN, account: PY_L2_ADDRESS, privateKey: PY_L2_PRIVATE_KEY });
    const headers = signer.authHeaders(timestamp, expiration);
    expect(Object.keys(headers).sort()).toEqual([
      'PARADEX-SIGNATURE-EXPIRATION',
      'PARADEX-STARKNET-ACCOUNT',
      'PARADEX-STARKNET-SIGNATURE',
      'PARADEX-TIMESTAMP',
    ]);
    expect(headers['PARADEX-TIMESTAMP']).toBe('1706868900');
    expect(signer.authPath()).toBe('/auth/' + signer.publicKey);
    expect(headers['PARADEX-SIGNATURE-EXPIRATION']).toBe('1706955300');
    expect(BigInt(headers['PARADEX-STARKNET-ACCOUNT']!)).toBe(BigInt(PY_L2_ADDRESS));
    expect(ec.starkCurve.verify(parseSig(headers['PARADEX-STARKNET-SIGNATURE']!), h, pub)).toBe(true);
    // A signature for other times must not verify over this hash.
    const other = signer.authHeaders(timestamp + 1, expiration);
    expect(ec.starkCurve.verify(parseSig(other['PARADEX-STARKNET-SIGNATURE']!), h, pub)).toBe(false);
  });

  it('builds the order message of paradex-py tests/message/test_order.py', () => {
    const td = paradexOrderTypedData('PRIVATE_SN_POTC_SEPOLIA', {
      market: 'ETH-USD-PERP',
      side: 'BUY',
      type: 'LIMIT',
      size: new Decimal('0.1'),
      price: new Decimal(1500),
      signatureTimestamp: 1634736000000,
    });
    expect(td.message).toEqual({
      timestamp: '1634736000000',
      market: 'ETH-USD-PERP',
      side: '1',
      orderType: 'LIMIT',
      size: '10000000',
      price: '150000000000',
    });
  });
});

describe('paradex signer: order signatures', () => {
  const privateKey = '0x' + 'a1b2c3d4e5f60718293a4b5c6d7e8f90'.repeat(2).slice(0, 62);
  const account = '0x' + '5eed'.padStart(63, '1');
  const signer = new ParadexSigner({ chainId: 'PRIVATE_SN_PARACLEAR_MAINNET', account, privateKey });
  const pub = fullPublicKey(privateKey);

  it('lean Pedersen equals the library on edge and random inputs', () => {
    const p = ec.starkCurve.CURVE.Fp.ORDER;
    const inputs: Array<[bigint, bigint]> = [
      [0n, 0n],
      [1n, 0n],
      [0n, 1n],
      [p - 1n, p - 1n],
      [(1n << 248n) - 1n, 1n << 248n],
      [1n << 251n, (1n << 251n) + 255n],
    ];
    let seed = 0x1234567n;
    for (let i = 0; i < 40; i++) {
      seed = (seed * 6364136223846793005n + 1442695040888963407n) % p;
      inputs.push([seed, (seed * seed) % p]);
    }
    for (const [a, b] of inputs) expect(leanPedersen(a, b)).toBe(BigInt(ec.starkCurve.pedersen(a, b)));
  });

  it('lean order hash equals typedData.getMessageHash on 60 random orders, and every signature verifies', () => {
    const markets = ['BTC-USD-PERP', 'ETH-USD-PERP', 'SOL-USD-PERP', 'KBONK-USD-PERP'];
    let x = 987654321;
    const rnd = (n: number) => {
      x = (x * 1103515245 + 12345) % 2147483648;
      return x % n;
    };
    for (let i = 0; i < 60; i++) {
      const type = rnd(4) === 0 ? 'MARKET' : 'LIMIT';
      const side = rnd(2) === 0 ? 'BUY' : 'SELL';
      const size = `${rnd(1000)}.${String(rnd(100000000)).padStart(8, '0')}`;
      const price = `${rnd(200000)}.${String(rnd(1000)).padStart(rnd(2) ? 3 : 9, '7')}`; // some with >8 decimals: truncated
      const ts = 1_700_000_000_000 + rnd(1_000_000_000);
      const market = markets[rnd(markets.length)]!;
      const fields: ParadexOrderFields = { market, side, type, size, price, signatureTimestamp: ts };

      // Independent: message values written from the documented rule (x1e8, truncated; 0 for MARKET).
      const [pw, pf = ''] = price.split('.');
      const [sw, sf = ''] = size.split('.');
      const chainPrice = type === 'MARKET' ? '0' : BigInt(pw! + pf.slice(0, 8).padEnd(8, '0')).toString();
      const chainSize = BigInt(sw! + sf.slice(0, 8).padEnd(8, '0')).toString();
      const td = handOrderTypedData('PRIVATE_SN_PARACLEAR_MAINNET', ts, market, side === 'BUY' ? '1' : '2', type, chainSize, chainPrice);
      const expected = typedData.getMessageHash(td, account);

      const signed = signer.signOrder(fields);
      expect(BigInt(signed.hash)).toBe(BigInt(expected));
      expect(ec.starkCurve.verify(parseSig(signed.signature), expected, pub)).toBe(true);
    }
  }, 180_000); // starknet.js typed-data hashing is the slow reference path (~50-150 ms each under load)

  it('a tampered field or another account gives a hash the signature does not cover', () => {
    const fields: ParadexOrderFields = {
      market: 'BTC-USD-PERP', side: 'SELL', type: 'LIMIT', size: '0.5', price: '65000.1', signatureTimestamp: 1_760_000_000_000,
    };
    const signed = signer.signOrder(fields);
    const tampered = typedData.getMessageHash(
      handOrderTypedData('PRIVATE_SN_PARACLEAR_MAINNET', 1_760_000_000_000, 'BTC-USD-PERP', '2', 'LIMIT', '50000000', '6500010000001'),
      account,
    );
    expect(ec.starkCurve.verify(parseSig(signed.signature), tampered, pub)).toBe(false);
    const otherAccount = new ParadexSigner({ chainId: 'PRIVATE_SN_PARACLEAR_MAINNET', account: '0x1234', privateKey });
    expect(otherAccount.signOrder(fields).hash).not.toBe(signed.hash);
    const otherChain = new ParadexSigner({ chainId: 'PRIVATE_SN_POTC_SEPOLIA', account, privateKey });
    expect(otherChain.signOrder(fields).hash).not.toBe(signed.hash);
  });

  it('subkey: signs for the main account with its own key', () => {
    const subKey = '0x' + '77'.repeat(31);
    const sub = new ParadexSigner({ chainId: 'PRIVATE_SN_PARACLEAR_MAINNET', account, privateKey: subKey });
    expect(sub.account).toBe(signer.account);
    expect(sub.publicKey).not.toBe(signer.publicKey);
    const fields: ParadexOrderFields = {
      market: 'ETH-USD-PERP', side: 'BUY', type: 'MARKET', size: '1.25', signatureTimestamp: 1_760_000_000_123,
    };
    const h = typedData.getMessageHash(
      handOrderTypedData('PRIVATE_SN_PARACLEAR_MAINNET', 1_760_000_000_123, 'ETH-USD-PERP', '1', 'MARKET', '125000000', '0'),
      account,
    );
    const signed = sub.signOrder(fields);
    expect(BigInt(signed.hash)).toBe(BigInt(h));
    expect(ec.starkCurve.verify(parseSig(signed.signature), h, fullPublicKey(subKey))).toBe(true);
    expect(ec.starkCurve.verify(parseSig(signed.signature), h, pub)).toBe(false);
  });

  it('turns a normalized OrderRequest into the POST /orders body with a valid signature', () => {
    const signed = signer.signOrderRequest(
      {
        venue: 'paradex', symbol: 'BTC-USD-PERP', side: 'buy', type: 'limit', size: new Decimal('0.0123'),
        price: new Decimal('64000.5'), timeInForce: 'IOC', reduceOnly: true, clientId: 'leg-1',
      },
      1_760_000_000_999,
    );
    const body = signed.wire as Record<string, unknown>;
    expect(body).toMatchObject({
      market: 'BTC-USD-PERP', side: 'BUY', type: 'LIMIT', size: '0.0123', price: '64000.5', instruction: 'IOC',
      signature_timestamp: 1_760_000_000_999, client_id: 'leg-1', flags: ['REDUCE_ONLY'],
    });
    const h = typedData.getMessageHash(
      handOrderTypedData('PRIVATE_SN_PARACLEAR_MAINNET', 1_760_000_000_999, 'BTC-USD-PERP', '1', 'LIMIT', '1230000', '6400050000000'),
      account,
    );
    expect(ec.starkCurve.verify(parseSig(body['signature'] as string), h, pub)).toBe(true);
    expect(() =>
      signer.signOrderRequest(
        { venue: 'paradex', symbol: 'BTC-USD-PERP', side: 'buy', type: 'limit', size: new Decimal('0.000000001'), price: new Decimal(1), timeInForce: 'GTC', clientId: 'x' },
        1,
      ),
    ).toThrow(/finer than 1e-8/);
  });
});

describe('paradex signer: exact 1e8 quantum', () => {
  it('scales decimal strings and decimal.js values without floats, truncating toward zero', () => {
    expect(toParadexQuantum('0.1')).toBe(10_000_000n);
    expect(toParadexQuantum('0.123456789')).toBe(12_345_678n);
    expect(toParadexQuantum('123456789012345.99999999')).toBe(12345678901234599999999n);
    expect(toParadexQuantum(new Decimal('0.3').plus('0.6'))).toBe(90_000_000n);
    expect(toParadexQuantum(new Decimal('1e-9'))).toBe(0n);
    expect(toParadexQuantum('7')).toBe(700_000_000n);
    expect(() => toParadexQuantum('-1')).toThrow(/non-negative/);
    expect(() => toParadexQuantum('1e5')).toThrow(/decimal/);
  });

  it('never puts the private key in an error message', () => {
    const key = '0xzz' + 'ab'.repeat(20);
    try {
      new ParadexSigner({ chainId: 'PRIVATE_SN_PARACLEAR_MAINNET', account: '0x1', privateKey: key });
      expect.unreachable();
    } catch (e) {
      expect(String(e)).not.toContain('abab');
    }
  });
});
