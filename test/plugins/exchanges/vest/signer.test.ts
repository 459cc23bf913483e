/**
 * Vest signer, verified independently: the args hash is rebuilt here with AbiCoder + keccak256 and the
 * EIP-191 prefix is applied by hand (solidityPacked "\x19Ethereum Signed Message:\n32" + digest), then
 * the signer is recovered with recoverAddress / verifyMessage; registration with verifyTypedData.
 * Known vector: a community Vest client's unit test (order below, key ac2a66d4...), whose expected
 * signature came from the eth_abi/eth_account reference script in Vest's docs style; test-only key.
 */
import { describe, expect, it } from 'vitest';
import { Decimal } from 'decimal.js';
import {
  AbiCoder,
  Wallet,
  concat,
  getBytes,
  keccak256,
  recoverAddress,
  toUtf8Bytes,
  verifyMessage,
  verifyTypedData,
} from 'ethers';
import {
  DEFAULT_VEST_SCHEME,
  VEST_VERIFYING_CONTRACT,
  VestSigner,
  formatVestDecimal,
  signVestRegistration,
  vestSigningScheme,
  type VestOrderFields,
} from '../../../../plugins/exchanges/vest/signer.ts';

const coder = AbiCoder.defaultAbiCoder();
function independentOrderDigest(f: VestOrderFields): { argsHash: string; digest: string } {
  const argsHash = keccak256(
    coder.encode(
      ['uint256', 'uint256', 'string', 'string', 'bool', 'string', 'string', 'bool'],
      [f.time, f.nonce, f.orderType, f.symbol, f.isBuy, f.size, f.limitPrice, f.reduceOnly],
    ),
  );
  const digest = keccak256(concat([toUtf8Bytes('\x19Ethereum Signed Message:\n32'), getBytes(argsHash)]));
  return { argsHash, digest };
}

const COMMUNITY_VECTOR = {
  key: '0xac2a66d4181d09f9f278b2c3f59802c7c415de4f819be1c46e121c91f8bba0fb',
  order: {
    time: 1762097336031, nonce: 1762097336031, orderType: 'MARKET', symbol: 'BTC-PERP', isBuy: true,
    size: '1.0000', limitPrice: '50000.00', reduceOnly: false,
  } satisfies VestOrderFields,
  signature:
    '0x481a1dc2da68ad7ced704d610899c72cf9a5480c4446ce65beeec32a61d6bd793b20ef6ea5883b5f88678359e9fdbaf52a78117fe366733197a04b2992b9ee561c',
};

describe('vest signer: orders (abi-keccak-personal-sign)', () => {
  it('reproduces the community client vector byte for byte', () => {
    const signer = new VestSigner({ signingKey: COMMUNITY_VECTOR.key });
    const body = signer.signOrder(COMMUNITY_VECTOR.order);
    expect(body.signature).toBe(COMMUNITY_VECTOR.signature);
    const { digest } = independentOrderDigest(COMMUNITY_VECTOR.order);
    expect(recoverAddress(digest, body.signature)).toBe(new Wallet(COMMUNITY_VECTOR.key).address);
  });

  it('recovers the signing address over an independently rebuilt digest for many orders', () => {
    const wallet = Wallet.createRandom();
    const signer = new VestSigner({ signingKey: wallet.privateKey });
    const symbols = ['BTC-PERP', 'ETH-PERP', 'AAPL-USD-PERP'];
    for (let i = 0; i < 50; i++) {
      const f: VestOrderFields = {
        time: 1_760_000_000_000 + i * 7,
        nonce: 1_760_000_000_000 + i,
        orderType: i % 3 === 0 ? 'MARKET' : 'LIMIT',
        symbol: symbols[i % 3]!,
        isBuy: i % 2 === 0,
        size: `${i}.${String(i * 37).padStart(4, '0').slice(0, 4)}`,
        limitPrice: `${60000 + i}.${String(i).padStart(2, '0')}`,
        reduceOnly: i % 5 === 0,
      };
      const body = signer.signOrder(f);
      const { argsHash, digest } = independentOrderDigest(f);
      expect(recoverAddress(digest, body.signature)).toBe(wallet.address);
      // EIP-191 through ethers' own personal-message path over the raw 32 bytes agrees.
      expect(verifyMessage(getBytes(argsHash), body.signature)).toBe(wallet.address);
      expect(body.order).toMatchObject(f);
    }
  });

  it('a changed field no longer recovers the signer', () => {
    const wallet = Wallet.createRandom();
    const signer = new VestSigner({ signingKey: wallet.privateKey });
    const f = { ...COMMUNITY_VECTOR.order, orderType: 'LIMIT' as const };
    const sig = signer.signOrder(f).signature;
    for (const changed of [
      { ...f, size: '1.00000' },
      { ...f, isBuy: false },
      { ...f, reduceOnly: true },
      { ...f, nonce: f.nonce + 1 },
      { ...f, limitPrice: '50000.0' },
    ]) {
      expect(recoverAddress(independentOrderDigest(changed).digest, sig)).not.toBe(wallet.address);
    }
  });

  it('signs cancels over keccak(abi.encode(time, nonce, id))', () => {
    const wallet = Wallet.createRandom();
    const signer = new VestSigner({ signingKey: wallet.privateKey });
    const cancel = { time: 1_760_000_000_000, nonce: 1_760_000_000_001, id: '0x9c3f2e' };
    const body = signer.signCancel(cancel, 5000);
    const argsHash = keccak256(coder.encode(['uint256', 'uint256', 'string'], [cancel.time, cancel.nonce, cancel.id]));
    expect(verifyMessage(getBytes(argsHash), body.signature)).toBe(wallet.address);
    expect(body).toMatchObject({ order: cancel, recvWindow: 5000 });
  });

  it('turns an OrderRequest into a POST /orders body with exact decimal strings', () => {
    const wallet = Wallet.createRandom();
    const signer = new VestSigner({ signingKey: wallet.privateKey });
    const signed = signer.signOrderRequest(
      { venue: 'vest', symbol: 'SOL-PERP', side: 'sell', type: 'limit', size: new Decimal('3.12'), price: new Decimal('30.03'), timeInForce: 'GTC', clientId: 'c1' },
      { sizeDecimals: 4, priceDecimals: 2 },
      1683849600076,
      1683849600076,
      60000,
    );
    const body = signed.wire as { order: VestOrderFields & { timeInForce?: string }; signature: string; recvWindow: number };
    expect(body.order).toEqual({
      time: 1683849600076, nonce: 1683849600076, orderType: 'LIMIT', symbol: 'SOL-PERP', isBuy: false,
      size: '3.1200', limitPrice: '30.03', reduceOnly: false, timeInForce: 'GTC',
    });
    expect(body.recvWindow).toBe(60000);
    const { timeInForce: _tif, ...signedFields } = body.order;
    expect(recoverAddress(independentOrderDigest(signedFields).digest, body.signature)).toBe(wallet.address);

    const ioc = signer.signOrderRequest(
      { venue: 'vest', symbol: 'SOL-PERP', side: 'buy', type: 'limit', size: new Decimal(1), price: new Decimal('31'), timeInForce: 'IOC', clientId: 'c2' },
      { sizeDecimals: 4, priceDecimals: 2 }, 1, 2,
    );
    expect((ioc.wire as { order: VestOrderFields }).order.orderType).toBe('MARKET');
    expect(() =>
      signer.signOrderRequest(
        { venue: 'vest', symbol: 'SOL-PERP', side: 'buy', type: 'limit', size: new Decimal('1.00001'), price: new Decimal(1), timeInForce: 'GTC', clientId: 'c3' },
        { sizeDecimals: 4, priceDecimals: 2 }, 1, 2,
      ),
    ).toThrow(/more than 4 decimals/);
  });

  it('formats decimals exactly and refuses extra precision', () => {
    expect(formatVestDecimal('3.12', 4)).toBe('3.1200');
    expect(formatVestDecimal(new Decimal('0.1').plus('0.2'), 2)).toBe('0.30');
    expect(formatVestDecimal('007', 0)).toBe('7');
    expect(formatVestDecimal('123456789012345678901234567890.5', 1)).toBe('123456789012345678901234567890.5');
    expect(() => formatVestDecimal('1.234', 2)).toThrow();
    expect(() => formatVestDecimal('-1', 2)).toThrow();
  });

  it('selects the scheme by config name and rejects unknown names', () => {
    expect(vestSigningScheme().name).toBe(DEFAULT_VEST_SCHEME);
    expect(() => new VestSigner({ signingKey: Wallet.createRandom().privateKey, scheme: 'eip712-order' })).toThrow(/unknown signing scheme/);
  });

  it('never echoes a bad key', () => {
    const bad = '0x' + 'zz'.repeat(32);
    expect(() => new VestSigner({ signingKey: bad })).toThrow(/value not shown/);
    try {
      new VestSigner({ signingKey: bad });
    } catch (e) {
      expect(String(e)).not.toContain('zzzz');
    }
  });
});

describe('vest signer: registration (EIP-712 SignerProof, no chainId)', () => {
  it('verifies with verifyTypedData over the documented domain and type', () => {
    const primary = Wallet.createRandom();
    const signing = Wallet.createRandom();
    const expiry = 1_760_000_000_000 + 7 * 24 * 3600_000;
    const body = signVestRegistration(primary.privateKey, signing.address, expiry);
    expect(body.primaryAddr).toBe(primary.address.toLowerCase());
    expect(body.signingAddr).toBe(signing.address.toLowerCase());
    expect(body.expiryTime).toBe(expiry);
    const domain = { name: 'VestRouterV2', version: '0.0.1', verifyingContract: '0x919386306C47b2Fe1036e3B4F7C40D22D2461a23' };
    const types = { SignerProof: [{ name: 'approvedSigner', type: 'address' }, { name: 'signerExpiry', type: 'uint256' }] };
    expect(verifyTypedData(domain, types, { approvedSigner: signing.address, signerExpiry: expiry }, body.signature)).toBe(primary.address);
    // Adding a chainId to the domain changes the digest: the signature must not verify under it.
    expect(verifyTypedData({ ...domain, chainId: 1 }, types, { approvedSigner: signing.address, signerExpiry: expiry }, body.signature)).not.toBe(
      primary.address,
    );
    // The dev contract is a different domain.
    const dev = signVestRegistration(primary.privateKey, signing.address, expiry, VEST_VERIFYING_CONTRACT.dev);
    expect(verifyTypedData(domain, types, { approvedSigner: signing.address, signerExpiry: expiry }, dev.signature)).not.toBe(primary.address);
  });
});
