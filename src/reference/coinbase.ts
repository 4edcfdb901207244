/**
 * The block's per-block coinbase in BigInt, one substrate-fixed operation at a time: the test oracle of the Wasm
 * coinbase (assembly/coinbase/, driven by src/chain/block.ts). It is the block model's implementation as it was
 * before the kernels, kept only to test them (test/chain-coinbase-kernel.test.ts): shares, subnet terms, injection
 * and excess-TAO buys, alpha out and pending pots, `drain_pending`'s counters, moving prices and `RootProp`, for a
 * block in which no epoch is due. Readable rather than fast; the library never imports it.
 */
import { RAO, TOTAL_SUPPLY } from '../units.js';
import {
  I96F32,
  U64F64,
  U96F32,
  blockEmissionForIssuance,
  convert,
  divChecked,
  fromInt,
  i64SatAdd as i64Add,
  mulSat,
  satAdd,
  satSub,
  taoWeightU96F32,
  toU64Sat,
  u64SatAdd as u64Add,
  u64SatSub as u64Sub,
} from '../fixed/substrate-fixed.js';
import { currentPrice, weightsForAddedLiquidity } from '../dtao/balancer.js';
import { isHead, rulesOf, seedAlphaOut, spotPriceShares } from '../chain/eras.js';
import { updateRegistrationPrices } from '../chain/registration.js';
import { type SubnetBlockTerms, allSubnetNetuids, buyWithExcessTao, drainPending, subnetsToEmitTo } from '../chain/block.js';
import type { ChainState, ChainSubnet } from '../chain/state.js';

const U64F64_ONE = 1n << 64n;
const U96_HALF = 1n << 31n;
const u96 = (n: bigint): bigint => fromInt(U96F32, n);
const tou64 = (bits: bigint): bigint => toU64Sat(U96F32, bits);

/** What the oracle's block did (the coinbase side of a `BlockReport`). */
export interface ReferenceCoinbaseBlock {
  rootSellFlag: boolean;
  /** Terms per emitting subnet, in emission order. */
  terms: Map<number, SubnetBlockTerms>;
  injectionRefused: Set<number>;
  taoRecycledCredit: bigint;
  taoStranded: bigint;
  taoMinted: bigint;
}

const alphaIssuance = (sn: ChainSubnet): bigint => u64Add(sn.subnetAlphaIn, sn.subnetAlphaOut);

function blockEmissionStoring(s: ChainState, issuance: bigint): bigint | null {
  if (issuance >= TOTAL_SUPPLY) return 0n;
  const e = blockEmissionForIssuance(issuance, TOTAL_SUPPLY, RAO);
  if (e !== null) s.blockEmission = e;
  return e;
}

const rootTaoWeighted = (s: ChainState): bigint => mulSat(U96F32, u96(s.subnets.get(0)?.subnetTao ?? 0n), taoWeightU96F32(s.taoWeight));

function rootProportion(rootTw: bigint, sn: ChainSubnet): bigint {
  return divChecked(U96F32, rootTw, satAdd(U96F32, rootTw, u96(alphaIssuance(sn)))) ?? 0n;
}

function movingAlphaPrice(sn: ChainSubnet): bigint {
  if (sn.netuid === 0 || sn.mechanism === 0) return U64F64_ONE;
  return convert(I96F32, U64F64, sn.subnetMovingPrice);
}

function shares(s: ChainState, emit: readonly number[], sns: readonly ChainSubnet[]): bigint[] {
  const rules = rulesOf(s);
  if (rules.shares !== 'moving-price') {
    const m = spotPriceShares(s, emit);
    return emit.map((n) => m.get(n)!);
  }
  const prices = sns.map(movingAlphaPrice);
  let total = 0n;
  for (const p of prices) total = satAdd(U64F64, total, p);
  const price = prices.map((p) => divChecked(U64F64, p, total) ?? 0n);
  if (rules.era === 'launch') return price;
  let totalWeight = 0n;
  const weighted = price.map((p, i) => {
    const burned = convert(U96F32, U64F64, sns[i].minerBurned);
    const w = mulSat(U64F64, p, satSub(U64F64, U64F64_ONE, burned > U64F64_ONE ? U64F64_ONE : burned));
    totalWeight = satAdd(U64F64, totalWeight, w);
    return w;
  });
  const sh = totalWeight > 0n ? weighted.map((w) => divChecked(U64F64, w, totalWeight) ?? 0n) : price;
  if (sns.every((sn) => sn.subnetEmissionEnabled)) return sh;
  let enabledSum = 0n;
  for (let i = 0; i < sns.length; i++) if (sns[i].subnetEmissionEnabled) enabledSum = satAdd(U64F64, enabledSum, sh[i]);
  return sh.map((x, i) => (sns[i].subnetEmissionEnabled && enabledSum > 0n ? (divChecked(U64F64, x, enabledSum) ?? 0n) : 0n));
}

/**
 * `block_step` for a block in which no epoch is due (it throws if one is): registration prices, emission and
 * mint, `run_coinbase`'s per-block part, `drain_pending`'s counters, moving prices and `RootProp`.
 */
export function referenceCoinbaseBlock(s: ChainState): ReferenceCoinbaseBlock {
  updateRegistrationPrices(s);
  const emission = blockEmissionStoring(s, s.totalIssuance);
  let minted = 0n;
  if (emission !== null && emission !== 0n) {
    const room = u64Sub(TOTAL_SUPPLY, s.balancesTotalIssuance);
    minted = emission < room ? emission : room;
    s.totalIssuance = u64Add(s.totalIssuance, minted);
    s.balancesTotalIssuance = u64Add(s.balancesTotalIssuance, minted);
  }
  let credit = minted;
  const subnets = allSubnetNetuids(s).filter((n) => n !== 0);
  const emit = subnetsToEmitTo(s, subnets);
  const sns = emit.map((n) => s.subnets.get(n)!);
  const sh = shares(s, emit, sns);
  let priceSum = 0n;
  for (const sn of sns) priceSum += movingAlphaPrice(sn);
  const rootSellFlag = priceSum > U64F64_ONE;
  const era = rulesOf(s).era;
  const head = isHead(s);

  // get_subnet_terms, in netuid order (each alpha emission stores BlockEmission)
  const credit64 = convert(U96F32, U64F64, u96(credit));
  const rootTw = rootTaoWeighted(s);
  const terms = new Map<number, SubnetBlockTerms>();
  for (const i of sns.map((_, k) => k).sort((a, b) => sns[a].netuid - sns[b].netuid)) {
    const sn = sns[i];
    const taoEmission = convert(U64F64, U96F32, mulSat(U64F64, credit64, sh[i]));
    const alphaEmission = u96(blockEmissionStoring(s, alphaIssuance(sn)) ?? 0n);
    const price = convert(U64F64, U96F32, currentPrice(sn));
    let taoIn = taoEmission;
    let alphaIn = divChecked(U96F32, taoEmission, price) ?? 0n;
    if (era === 'head') {
      const cap = mulSat(U96F32, rootProportion(rootTw, sn), alphaEmission);
      if (alphaIn > cap) {
        alphaIn = cap;
        taoIn = mulSat(U96F32, alphaIn, price);
      }
    } else if (era === 'launch' && alphaIn > alphaEmission) alphaIn = alphaEmission;
    terms.set(sn.netuid, {
      share: sh[i], taoEmission, taoIn, alphaIn, alphaOut: alphaEmission, excessTao: satSub(U96F32, taoEmission, taoIn),
      ownerCut: 0n, rootAlpha: 0n, excessBoughtAlpha: 0n, excessTaoSpent: 0n, excessSwapError: null, alphaUnassigned: 0n,
    });
  }

  // inject_and_maybe_swap, in emission order
  let stranded = 0n;
  const refused = new Set<number>();
  for (const sn of sns) {
    const t = terms.get(sn.netuid)!;
    const taoIn = tou64(t.taoIn);
    const alphaIn = tou64(t.alphaIn);
    const toSwap = tou64(t.excessTao);
    let injTao = 0n;
    let injAlpha = 0n;
    const w = head ? weightsForAddedLiquidity(sn.swapBalancerQuoteWeightParts, sn.subnetTao, sn.subnetAlphaIn, taoIn, alphaIn) : sn.swapBalancerQuoteWeightParts;
    if (w === null) refused.add(sn.netuid);
    else {
      sn.swapBalancerQuoteWeightParts = w;
      injTao = taoIn;
      injAlpha = alphaIn;
    }
    sn.subnetExcessTao = 0n;
    sn.subnetTaoInEmission = 0n;
    if (toSwap > 0n && credit >= toSwap) {
      credit -= toSwap;
      stranded += buyWithExcessTao(s, sn, toSwap, t);
    }
    sn.subnetAlphaInEmission = injAlpha;
    sn.subnetAlphaIn = u64Add(sn.subnetAlphaIn, injAlpha);
    if (injTao !== 0n && credit >= injTao) {
      credit -= injTao;
      sn.subnetTaoInEmission = injTao;
      sn.subnetTao = u64Add(sn.subnetTao, injTao);
      s.totalStake = u64Add(s.totalStake, injTao);
      sn.subnetProtocolFlow = i64Add(sn.subnetProtocolFlow, injTao);
    }
  }
  s.totalIssuance = u64Sub(s.totalIssuance, credit);
  s.balancesTotalIssuance = u64Sub(s.balancesTotalIssuance, credit);

  // alpha out, owner cut, root alpha, pending pots
  const cutPercent = divChecked(U96F32, u96(BigInt(s.subnetOwnerCut)), u96(65535n)) ?? 0n;
  for (const sn of sns) {
    const t = terms.get(sn.netuid)!;
    let alphaOut = t.alphaOut;
    const created = tou64(alphaOut);
    sn.subnetAlphaOutEmission = created;
    sn.subnetAlphaOut = u64Add(sn.subnetAlphaOut, created);
    if (era === 'seed') {
      const p = seedAlphaOut(created, sn.ownerCutEnabled ? s.subnetOwnerCut : 0);
      sn.pendingOwnerCut = u64Add(sn.pendingOwnerCut, p.owner);
      sn.pendingServerEmission = u64Add(sn.pendingServerEmission, p.server);
      sn.pendingValidatorEmission = u64Add(sn.pendingValidatorEmission, p.validator);
      t.alphaUnassigned = created - p.owner - p.server - p.validator;
      continue;
    }
    let assigned = 0n;
    if (sn.ownerCutEnabled) {
      const cut = mulSat(U96F32, alphaOut, cutPercent);
      t.ownerCut = cut;
      alphaOut = satSub(U96F32, alphaOut, cut);
      sn.pendingOwnerCut = u64Add(sn.pendingOwnerCut, tou64(cut));
      assigned += tou64(cut);
    }
    const rootAlpha = mulSat(U96F32, mulSat(U96F32, rootProportion(rootTw, sn), alphaOut), U96_HALF);
    t.rootAlpha = rootAlpha;
    const serverAlpha = mulSat(U96F32, alphaOut, U96_HALF);
    const validatorAlpha = satSub(U96F32, satSub(U96F32, alphaOut, serverAlpha), rootAlpha);
    sn.pendingServerEmission = u64Add(sn.pendingServerEmission, tou64(serverAlpha));
    sn.pendingValidatorEmission = u64Add(sn.pendingValidatorEmission, tou64(validatorAlpha));
    if (rootSellFlag) sn.pendingRootAlphaDivs = u64Add(sn.pendingRootAlphaDivs, tou64(rootAlpha));
    else if (tou64(rootAlpha) !== 0n) {
      sn.subnetAlphaOut = u64Sub(sn.subnetAlphaOut, tou64(rootAlpha));
      sn.alphaRecycled += tou64(rootAlpha);
    }
    t.alphaUnassigned = created - assigned - tou64(serverAlpha) - tou64(validatorAlpha) - tou64(rootAlpha);
  }

  if (drainPending(s, subnets, s.block).size > 0) throw new Error('referenceCoinbaseBlock: an epoch is due');

  // update_moving_prices, update_root_prop
  const after = subnetsToEmitTo(s, allSubnetNetuids(s).filter((n) => n !== 0)).map((n) => s.subnets.get(n)!);
  for (const sn of after) {
    const start = u64Sub(sn.firstEmissionBlockNumber ?? 0n, 1n);
    const b = fromInt(U64F64, u64Sub(s.block, start));
    const h = fromInt(U64F64, sn.emaPriceHalvingBlocks);
    const alpha = mulSat(U64F64, convert(I96F32, U64F64, s.subnetMovingAlpha), divChecked(U64F64, b, satAdd(U64F64, b, h)) ?? 0n);
    const spot = currentPrice(sn);
    const cur = mulSat(U64F64, alpha, spot < U64F64_ONE ? spot : U64F64_ONE);
    const moving = mulSat(U64F64, satSub(U64F64, U64F64_ONE, alpha), movingAlphaPrice(sn));
    sn.subnetMovingPrice = convert(U64F64, I96F32, satAdd(U64F64, cur, moving));
  }
  const rootTwAfter = rootTaoWeighted(s);
  for (const sn of after) sn.rootProp = rootProportion(rootTwAfter, sn);
  return { rootSellFlag, terms, injectionRefused: refused, taoRecycledCredit: credit, taoStranded: stranded, taoMinted: minted };
}
