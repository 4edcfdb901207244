import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PATH_RULES } from '../src/epoch/path-rules.js';
import * as abi from '../src/wasm/abi.js';

// assembly/abi.ts and src/wasm/abi.ts describe the same header; a drift would make kernels read garbage.
describe('job header ABI', () => {
  const as = readFileSync(new URL('../assembly/abi.ts', import.meta.url), 'utf8');
  const asConst = (name: string): number => {
    const m = new RegExp(`export const ${name}: (?:i32|i64|u8) = (-?\\d+);`).exec(as);
    if (!m) throw new Error(`assembly/abi.ts has no ${name}`);
    return Number(m[1]);
  };

  it('has the same slot numbers on both sides', () => {
    for (const [key, value] of Object.entries(abi.J)) expect(asConst(`J_${key}`), key).toBe(value);
    expect(asConst('JOB_SLOTS')).toBe(abi.JOB_SLOTS);
    const slots = Object.values(abi.J);
    expect(new Set(slots).size).toBe(slots.length);
    expect(Math.max(...slots)).toBeLessThan(abi.JOB_SLOTS);
  });

  it('has the same path-rule bits as src/epoch/path-rules.ts', () => {
    for (const rule of PATH_RULES) expect(asConst(`RULE_${rule.code.toUpperCase().replace(/-/g, '_')}`), rule.code).toBe(rule.bit);
  });

  it('has the same flags, row kinds and modes', () => {
    for (const name of ['FLAG_YUMA3', 'FLAG_LIQUID_ALPHA', 'FLAG_COMMIT', 'FLAG_HAS_OWNER', 'FLAG_PRESENCE_FROM_VALUES', 'MODE_FLOAT', 'MODE_FIXED', 'ROW_EMPTY', 'ROW_WRITTEN', 'ROW_INPUT', 'ROW_ZERO_STORED'] as const) {
      expect(asConst(name), name).toBe(abi[name]);
    }
  });

  it('has the same coinbase table slots and flags (CBH_*, CBS_*, CB_*)', () => {
    for (const [key, value] of Object.entries(abi.CBH)) expect(asConst(`CBH_${key}`), key).toBe(value);
    for (const [key, value] of Object.entries(abi.CBS)) expect(asConst(`CBS_${key}`), key).toBe(value);
    expect(asConst('CB_HEADER_SLOTS')).toBe(abi.CB_HEADER_SLOTS);
    expect(asConst('CB_SUBNET_SLOTS')).toBe(abi.CB_SUBNET_SLOTS);
    // two-slot raws: a slot and the next are both inside the record and taken by no other field
    const wide = ['MOVING', 'BURNED', 'SHARE', 'TAO_EMISSION', 'TAO_IN', 'ALPHA_IN_TERM', 'EXCESS', 'OWNER_CUT', 'ROOT_ALPHA', 'ROOT_PROP', 'ALPHA_OUT_TERM'];
    const taken = Object.entries(abi.CBS).flatMap(([k, v]) => (wide.includes(k) ? [v, v + 1] : [v]));
    expect(new Set(taken).size).toBe(taken.length);
    expect(Math.max(...taken)).toBeLessThan(abi.CB_SUBNET_SLOTS);
    for (const name of ['CB_ERA_HEAD', 'CB_ERA_LAUNCH', 'CB_SHARES_GIVEN', 'CB_EMISSIONS_GIVEN', 'CB_DYNAMIC', 'CB_EMISSION_ENABLED', 'CB_OWNER_CUT_ENABLED', 'CB_PRICE_ONE', 'CB_REFUSED', 'CB_SWAP_INIT', 'CB_BOUGHT'] as const) {
      expect(asConst(name), name).toBe(abi[name]);
    }
  });
});
