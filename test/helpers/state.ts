import type { Subnet } from '../../src/subnet/index.js';
import type { Pool } from '../../src/dtao/index.js';

/** JSON text of anything, bigints and typed arrays included (for before/after comparisons of state). */
export function snapshotText(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    typeof v === 'bigint' ? `${v}n` : ArrayBuffer.isView(v) ? Array.from(v as unknown as ArrayLike<number | bigint>, (x) => (typeof x === 'bigint' ? `${x}n` : x)) : v,
  );
}

/** Everything a Subnet shows about itself, to compare before and after a refused call. */
export function subnetState(s: Subnet): string {
  const hotkeys = Array.from({ length: s.size }, (_, i) => s.hotkey(i));
  return snapshotText({
    block: s.currentBlock, size: s.size, tempo: s.tempo, lastStepBlock: s.lastStepBlock, hyper: s.hyper, ownerUid: s.ownerUid, hotkeys,
    stake: s.stake(), blockAtRegistration: s.blockAtRegistration(), permits: s.validatorPermit(), active: s.active(), emission: s.emission(),
    dividends: s.dividends(), consensus: s.consensus(), validatorTrust: s.validatorTrust(), stakeWeight: s.stakeWeight(), lastOutput: s.lastOutput,
    emissionSplit: s.emissionSplit(),
    // every mechanism's rows, last-update and incentive (mechanism 0 alone missed a refused call damaging another)
    mechanisms: Array.from({ length: s.mechanismCount }, (_, mechanism) => ({
      weights: s.weightRows({ mechanism }), bonds: s.bondRows({ mechanism }), lastUpdate: s.lastUpdate({ mechanism }), incentive: s.incentive({ mechanism }),
    })),
  });
}

/** Everything a Pool shows about itself. */
export function poolState(p: Pool): string {
  return snapshotText({ reserves: p.reserves(), weights: p.weights(), config: p.config(), price: p.price() });
}
