/**
 * The block's coinbase kernels (assembly/coinbase/) and their table in Wasm memory: one header and one record per
 * emitting subnet (layout `CBH` / `CBS` in abi.ts). The block model writes each subnet's fields in, runs the
 * passes in the chain's order and reads the results back; amounts are u64 slots, fixed-point raws two slots.
 * One module instance per process serves every `Chain` (a block runs to completion before the next starts); its
 * memory is owned here through an `Arena`, the kernels never allocate.
 */
import { Arena } from './arena.js';
import { CBH, CBS, CB_HEADER_SLOTS, CB_SUBNET_SLOTS, CB_SWAP_INIT } from './abi.js';
import { type KernelExports, compileSync, instantiate } from './loader.js';
import { U64_MAX } from '../units.js';


const ASUINT = (v: bigint): bigint => BigInt.asUintN(64, v);

/** What the table reads of a subnet (a `ChainSubnet` has all of it). */
export interface CoinbaseSubnet {
  netuid: number;
  mechanism: number;
  subnetMovingPrice: bigint;
  minerBurned: bigint;
  subnetEmissionEnabled: boolean;
  ownerCutEnabled: boolean;
  subnetTao: bigint;
  subnetAlphaIn: bigint;
  subnetAlphaOut: bigint;
  swapBalancerQuoteWeightParts: bigint;
  palSwapInitialized: boolean;
  subnetProtocolFlow: bigint;
  pendingServerEmission: bigint;
  pendingValidatorEmission: bigint;
  pendingRootAlphaDivs: bigint;
  pendingOwnerCut: bigint;
  firstEmissionBlockNumber: bigint | null;
  emaPriceHalvingBlocks: bigint;
}

/** The block-wide inputs of a pass. */
export interface CoinbaseHeader {
  flags: number;
  credit: bigint;
  /** U96F32 tw·root TAO. */
  rootTw: bigint;
  ownerCut: number;
  /** I96F32 SubnetMovingAlpha. */
  movingAlpha: bigint;
  block: bigint;
  /** The swap pallet's MinimumReserve (the excess-TAO buys). */
  minReserve: bigint;
}

export class CoinbaseTable {
  private static instance: CoinbaseTable | undefined;
  private readonly k: KernelExports;
  private readonly arena: Arena;
  private base = 0;
  /** First slot of the table in u64 units. */
  private at = 0;
  private u64!: BigUint64Array;
  private i64!: BigInt64Array;
  private u32!: Uint32Array;

  private constructor() {
    this.k = instantiate(compileSync());
    this.arena = new Arena(this.k.memory, this.k.heapBase());
  }

  /** The process's table (one module instance, created on first use). */
  static shared(): CoinbaseTable {
    return (CoinbaseTable.instance ??= new CoinbaseTable());
  }

  /** Starts a table of `count` subnet records with the block-wide inputs. */
  open(count: number, h: CoinbaseHeader): this {
    this.arena.reset();
    this.base = this.arena.alloc((CB_HEADER_SLOTS + count * CB_SUBNET_SLOTS) * 8);
    this.u64 = this.arena.u64;
    this.i64 = this.arena.i64;
    this.u32 = this.arena.u32;
    this.at = this.base >>> 3;
    this.u64[this.at + CBH.COUNT] = BigInt(count);
    // no root proportions computed in this table yet
    this.u64[this.at + CBH.ROOT_PROP_VALID] = 0n;
    return this.setHeader(h);
  }

  /** Rewrites the block-wide inputs of the open table (its records stay as the last pass left them). */
  setHeader(h: CoinbaseHeader): this {
    const u = this.u64;
    this.putNum(-1, CBH.FLAGS, h.flags);
    u[this.at + CBH.CREDIT] = h.credit;
    this.put128(-1, CBH.ROOT_TW, h.rootTw);
    this.putNum(-1, CBH.OWNER_CUT, h.ownerCut);
    this.put128(-1, CBH.MOVING_ALPHA, h.movingAlpha);
    u[this.at + CBH.BLOCK] = h.block;
    u[this.at + CBH.MIN_RESERVE] = h.minReserve;
    return this;
  }

  /** Writes record i from a subnet, its flags and the block emission for its alpha issuance. */
  putSubnet(i: number, sn: CoinbaseSubnet, alphaEmission: bigint): void {
    const u = this.u64;
    const r = this.slot(i, 0);
    const flags =
      (sn.mechanism === 1 ? 1 : 0) |
      (sn.subnetEmissionEnabled ? 2 : 0) |
      (sn.ownerCutEnabled ? 4 : 0) |
      (sn.netuid === 0 || sn.mechanism === 0 ? 8 : 0) |
      (sn.palSwapInitialized ? CB_SWAP_INIT : 0);
    this.putNum(i, CBS.FLAGS, flags);
    this.put128(i, CBS.MOVING, sn.subnetMovingPrice);
    this.put128(i, CBS.BURNED, sn.minerBurned);
    u[r + CBS.TAO] = sn.subnetTao;
    u[r + CBS.ALPHA_IN] = sn.subnetAlphaIn;
    u[r + CBS.ALPHA_OUT] = sn.subnetAlphaOut;
    u[r + CBS.WEIGHT] = sn.swapBalancerQuoteWeightParts;
    u[r + CBS.ALPHA_EMISSION] = alphaEmission;
    this.i64[r + CBS.FLOW] = sn.subnetProtocolFlow;
    u[r + CBS.POT_SERVER] = sn.pendingServerEmission;
    u[r + CBS.POT_VALIDATOR] = sn.pendingValidatorEmission;
    u[r + CBS.POT_ROOT] = sn.pendingRootAlphaDivs;
    u[r + CBS.POT_OWNER] = sn.pendingOwnerCut;
    u[r + CBS.FIRST_EMISSION] = sn.firstEmissionBlockNumber ?? 0n;
    u[r + CBS.HALVING] = sn.emaPriceHalvingBlocks;
  }

  /** `get_shares` (unless the header flags say the shares are given) and the root sell flag. */
  shares(): this {
    this.k.coinbaseShares(this.base);
    return this;
  }

  /** `get_subnet_terms` from the shares and the credit. */
  terms(): this {
    this.k.coinbaseTerms(this.base);
    return this;
  }

  /** `inject_and_maybe_swap` from the terms, with the excess-TAO buys the kernel can make (CB_BOUGHT). */
  inject(): this {
    this.k.coinbaseInject(this.base);
    return this;
  }

  /** Alpha out, owner cut, root alpha and the pending pots. */
  alphaOut(): this {
    this.k.coinbaseAlphaOut(this.base);
    return this;
  }

  /** Moving prices and RootProp. */
  movingPrices(): this {
    this.k.coinbaseMovingPrices(this.base);
    return this;
  }

  /** A u64 slot of record i (i = −1: the header). */
  get(i: number, slot: number): bigint {
    return this.u64[this.slot(i, slot)];
  }

  /** A u64 slot of record i read as i64. */
  getI64(i: number, slot: number): bigint {
    return this.i64[this.slot(i, slot)];
  }

  /** The 128-bit raw in slots (slot, slot + 1) of record i, unsigned (signed: two's complement). */
  get128(i: number, slot: number, signed = false): bigint {
    const k = this.slot(i, slot);
    const w = (k + 1) * 2;
    const hi32 = this.u32[w + 1];
    if (this.u32[w] === 0 && hi32 === 0) return this.u64[k];
    const v = (this.u64[k + 1] << 64n) | this.u64[k];
    return signed && hi32 >= 0x80000000 ? v - (1n << 128n) : v;
  }

  /** A slot of record i that holds a small non-negative integer (flags). */
  getNum(i: number, slot: number): number {
    return this.u32[this.slot(i, slot) * 2];
  }

  put(i: number, slot: number, v: bigint): void {
    this.u64[this.slot(i, slot)] = v;
  }

  /** A 128-bit raw (signed values as two's complement). */
  put128(i: number, slot: number, v: bigint): void {
    const k = this.slot(i, slot);
    if (v >= 0n && v <= U64_MAX) {
      this.u64[k] = v;
      this.u64[k + 1] = 0n;
    } else {
      this.u64[k] = ASUINT(v);
      this.u64[k + 1] = ASUINT(v >> 64n);
    }
  }

  private putNum(i: number, slot: number, v: number): void {
    const w = this.slot(i, slot) * 2;
    this.u32[w] = v;
    this.u32[w + 1] = 0;
  }

  private slot(i: number, slot: number): number {
    return i < 0 ? this.at + slot : this.at + CB_HEADER_SLOTS + i * CB_SUBNET_SLOTS + slot;
  }
}
