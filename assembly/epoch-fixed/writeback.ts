// §2.11 bond storage after the epoch: the WHOLE n·n storage (values and which entries exist).
import { J_OUT_BONDS, J_OUT_BONDS_PRESENT, ptr } from '../abi';
import * as J from './job';
import { NEW_PERMIT, OLD_PERMIT, ROW_OF, ldI32, ldU8 } from './layout';
import { rowPtr } from './weights';

export function writeBonds(job: usize): void {
  const n = J.n;
  const un = <usize>n;
  const outB = ptr(job, J_OUT_BONDS);
  const outP = ptr(job, J_OUT_BONDS_PRESENT);
  if (J.sparse) {
    // every UID's row is rewritten: its EMA row under a new permit, else empty
    memory.fill(outB, 0, (un * un) << 1);
    memory.fill(outP, 0, un * un);
    for (let i = 0; i < n; i++) {
      const r = ldI32(ROW_OF, i);
      if (!ldU8(NEW_PERMIT, i) || r < 0) continue;
      const row = rowPtr(r);
      const b = outB + ((<usize>i * un) << 1);
      const p = outP + <usize>i * un;
      for (let j = 0; j < n; j++) {
        const v = load<i64>(row + (<usize>j << 3));
        if (v < 0) continue;
        store<u16>(b + (<usize>j << 1), <u16>v);
        store<u8>(p + <usize>j, 1);
      }
    }
    return;
  }
  // dense: rows below the stored permit vector's length are rewritten (all n columns) or cleared; the rest stay
  const touched = J.permitLen < n ? J.permitLen : n;
  for (let i = 0; i < n; i++) {
    const b = outB + ((<usize>i * un) << 1);
    const p = outP + <usize>i * un;
    if (i < touched && ldU8(NEW_PERMIT, i)) {
      const r = ldI32(ROW_OF, i);
      if (r < 0) {
        memory.fill(b, 0, un << 1);
      } else {
        const row = rowPtr(r);
        for (let j = 0; j < n; j++) store<u16>(b + (<usize>j << 1), <u16>load<i64>(row + (<usize>j << 3)));
      }
      memory.fill(p, 1, un);
    } else if (i < touched && ldU8(OLD_PERMIT, i)) {
      memory.fill(b, 0, un << 1);
      memory.fill(p, 0, un);
    } else {
      const src = J.bondsIn + ((<usize>i * un) << 1);
      memory.copy(b, src, un << 1);
      for (let j = 0; j < n; j++) store<u8>(p + <usize>j, load<u16>(src + (<usize>j << 1)) != 0 ? 1 : 0);
    }
  }
}
