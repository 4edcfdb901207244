/** JSON form of a block report (decimal strings for amounts, `{ bits, f64 }` for fixed-point values). */
import { I96F32, U64F64, U96F32, toF64 } from '../fixed/substrate-fixed.js';
import type { BlockReport, EpochReport } from './block.js';
import type { ChainState } from './state.js';
import { guard } from '../validation/read.js';
import { compareKeys } from './state.js';

type Json = Record<string, unknown>;
const u96 = (b: bigint): Json => ({ bits: b.toString(), f64: toF64(U96F32, b) });
const i96 = (b: bigint): Json => ({ bits: b.toString(), f64: toF64(I96F32, b) });
const u64f64 = (b: bigint): Json => ({ bits: b.toString(), f64: toF64(U64F64, b) });
const sortedObj = <V>(m: Map<string, V>, f: (v: V) => unknown): Json =>
  Object.fromEntries([...m.keys()].sort(compareKeys).map((k) => [k, f(m.get(k)!)]));

function epochToJSON(e: EpochReport): Json {
  return {
    alphaBurnedTotal: e.alphaBurnedTotal.toString(),
    alphaDividends: sortedObj(e.alphaDividends, u96),
    alphaDividendsPerSubnet: sortedObj(e.alphaDividendsPerSubnet, String),
    alphaRecycledTotal: e.alphaRecycledTotal.toString(),
    hotkeyEmission: e.hotkeyEmission.map(([h, s, v]) => [h, s.toString(), v.toString()]),
    incentiveSum: e.incentiveSum.toString(),
    incentiveWithheld: e.incentiveWithheld.toString(),
    incentivesPaid: sortedObj(e.incentivesPaid, String),
    minerBurned: u96(e.minerBurned),
    netuid: e.netuid,
    pendingOwnerCut: e.pendingOwnerCut.toString(),
    pendingRoot: e.pendingRoot.toString(),
    pendingServer: e.pendingServer.toString(),
    pendingValidator: e.pendingValidator.toString(),
    rootAlphaDividends: sortedObj(e.rootAlphaDividends, u96),
    rootAlphaDividendsPerSubnet: sortedObj(e.rootAlphaDividendsPerSubnet, String),
    stakeChanges: sortedObj(e.stakeChanges, (c) => ({
      after: c.after.toString(),
      before: c.before.toString(),
      coldkeyValuesAfter: sortedObj(c.coldkeyValuesAfter, String),
      delta: (c.after - c.before).toString(),
    })),
  };
}

/** The report of one block plus the state of every subnet after it, in the golden scenarios' `perBlock` form. */
export function blockReportToJSON(r: BlockReport, s: ChainState): Json {
  // a report and state this library made; anything else fails while it is read, as E_ARG
  return guard('report or state (from Chain.step)', () => reportToJson(r, s));
}

function reportToJson(r: BlockReport, s: ChainState): Json {
  const subnets: Json = {};
  for (const [n, rep] of [...r.subnets].sort((a, b) => a[0] - b[0])) {
    const sn = s.subnets.get(n)!;
    const o: Json = {};
    const t = rep.terms;
    if (t) {
      Object.assign(o, {
        alphaIn: u96(t.alphaIn),
        alphaOut: u96(t.alphaOut),
        excessBoughtAlpha: t.excessBoughtAlpha.toString(),
        excessSwapError: t.excessSwapError,
        excessTao: u96(t.excessTao),
        excessTaoSpent: t.excessTaoSpent.toString(),
        ownerCut: u96(t.ownerCut),
        rootAlpha: u96(t.rootAlpha),
        share: u64f64(t.share),
        taoEmission: u96(t.taoEmission),
        taoIn: u96(t.taoIn),
      });
    }
    Object.assign(o, {
      blocksSinceLastStep: sn.blocksSinceLastStep.toString(),
      epochDeferred: rep.epochDeferred,
      epochRan: rep.epochRan,
      inEmitSet: rep.inEmitSet,
      injectionRefused: rep.injectionRefused,
      lastEpochBlock: sn.lastEpochBlock.toString(),
      pendingEpochAt: sn.pendingEpochAt.toString(),
      pendingOwnerCut: sn.pendingOwnerCut.toString(),
      pendingRootAlphaDivs: sn.pendingRootAlphaDivs.toString(),
      pendingServerEmission: sn.pendingServerEmission.toString(),
      pendingValidatorEmission: sn.pendingValidatorEmission.toString(),
      rootProp: u96(sn.rootProp),
      subnetAlphaIn: sn.subnetAlphaIn.toString(),
      subnetAlphaInEmission: sn.subnetAlphaInEmission.toString(),
      subnetAlphaOut: sn.subnetAlphaOut.toString(),
      subnetAlphaOutEmission: sn.subnetAlphaOutEmission.toString(),
      subnetExcessTao: sn.subnetExcessTao.toString(),
      subnetMovingPrice: i96(sn.subnetMovingPrice),
      subnetProtocolAlpha: sn.subnetProtocolAlpha.toString(),
      subnetTao: sn.subnetTao.toString(),
      subnetTaoInEmission: sn.subnetTaoInEmission.toString(),
      swapBalancerQuoteWeightParts: sn.swapBalancerQuoteWeightParts.toString(),
    });
    subnets[String(n)] = o;
  }
  return {
    block: r.block.toString(),
    blockEmission: r.blockEmission.toString(),
    epochs: r.epochs.map(epochToJSON),
    rootSellFlag: r.rootSellFlag,
    subnets,
    subnetsToEmitTo: r.subnetsToEmitTo,
    taoIssued: r.taoIssued.toString(),
    taoMinted: r.taoMinted.toString(),
    taoRecycledCredit: r.taoRecycledCredit.toString(),
    totalIssuanceAfter: r.totalIssuanceAfter.toString(),
    totalStakeAfter: r.totalStakeAfter.toString(),
  };
}
