import fc from 'fast-check';
import { Wallet, hexlify, recoverAddress } from 'ethers';
import { describe, expect, it } from 'vitest';
import { signDigest, VEST_SIGNER_BACKEND } from '../../../../plugins/exchanges/vest/digest-signer.ts';

const bytes32 = fc.uint8Array({ minLength: 32, maxLength: 32 });

describe('Vest digest signer', () => {
  it('uses libsecp256k1 where its prebuilt binding loads (linux-x64 here)', () => {
    if (process.platform !== 'linux' || process.arch !== 'x64') console.log(`SKIP-ish: ${process.platform}-${process.arch} may lack the prebuilt binding; signer: ${VEST_SIGNER_BACKEND}`);
    else expect(VEST_SIGNER_BACKEND).toBe('libsecp256k1');
  });

  it("gives ethers' signature byte for byte on random keys and digests, and it recovers to the key's address", () => {
    fc.assert(
      fc.property(bytes32, bytes32, (k, d) => {
        // A key outside [1, n) is no key: ethers refuses it, and so would the venue.
        let wallet: Wallet;
        try {
          wallet = new Wallet(hexlify(k));
        } catch {
          return;
        }
        const digest = hexlify(d);
        const sig = signDigest(wallet, digest);
        expect(sig).toBe(wallet.signingKey.sign(digest).serialized);
        expect(recoverAddress(digest, sig)).toBe(wallet.address);
      }),
      { numRuns: 300 },
    );
  });
});
