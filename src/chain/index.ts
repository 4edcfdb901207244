/**
 * `Chain`: the chain's block, to the rao (subtensor 14bc6f9f). Holds a `ChainState` and steps it one block at a
 * time in `block_step` order, running every due epoch through the Wasm engine in fixed (bit-exact) mode.
 */
import { createEngineSync, type Engine } from '../engine.js';
import { YumaError, stoppedOn } from '../errors.js';
import type { ChainPath, NumericMode } from '../epoch/types.js';
import { type BlockReport, type EpochEngineLike, type EpochSettings, blockStep, prepareEpochs } from './block.js';
import { type RegisterRequest, type RegisterResult, type SetWeightsRequest, registerNeuron, setWeights } from './registration.js';
import { type AddStakeRequest, type AddStakeResult, type RemoveStakeRequest, type RemoveStakeResult, addStake, removeStake } from './staking.js';
import { type ClaimRootRequest, type RootClaimPayout, claimRoot, setRootClaimThreshold, setRootClaimType } from './root-claims.js';
import { type ChainState, type RootClaimType, chainStateFromJSON, chainStateToJSON, checkHeldChainState, replaceState } from './state.js';
import { guard, orDefault, readOptions } from '../validation/read.js';
import { oneOf, toInt } from '../validation/values.js';
import { show } from '../validation/describe.js';
import { residentHostOf } from '../wasm/resident.js';
import { U64_MAX } from '../units.js';

/**
 * Marks a chain as the simulator's own: it reads the state freely and undoes a whole run itself when anything in one
 * throws, so its blocks are neither checked first nor copied.
 */
export let ownChain: (chain: Chain) => void;
/**
 * How many requests (`addStake`, `setWeights`, `registerNeuron`, `claimRoot`, `setRootClaimType`, …) the chain has
 * carried out: the simulator's callbacks must not make any, and one that leaves the money and the block as they were
 * (a weight row, a claim type) is seen here in O(1).
 */
export let chainRequests: (chain: Chain) => number;

/** Options of `new Chain(state, opts)`. */
export interface ChainOptions {
  /** Engine for the epochs (default: a new Wasm engine); only its `epoch` is called. */
  engine?: EpochEngineLike | Engine;
  /**
   * Arithmetic of the epochs: `'fixed'` (default) is the chain's, bit for bit; `'float'` runs the same epoch in f64
   * (faster, within a u16 step of the chain's shares) for simulations that trade exactness for speed.
   */
  epochMode?: NumericMode;
  /** Which of the chain's epoch code paths runs: `'sparse'` (default, what the chain runs) or its `'dense'` twin. */
  epochPath?: ChainPath;
  /**
   * Whether each `EpochReport.output` carries the epoch's bond rows (default true). `false` spares reading them back
   * from Wasm memory every epoch (`output.bonds` is then `[]`; the subnet's `neurons.bondRows(m)` holds them until
   * its next epoch). Engines without resident matrices always return them.
   */
  epochBonds?: boolean;
}

/** `new Chain` over a state no one else holds (`fromJSON`'s): not checked before each block until `chain.state` is read. */
let ownStateChain: (state: ChainState, opts: ChainOptions | undefined) => Chain;

/**
 * What a Chain method lets out (`stoppedOn`): one kind of error for callers. No input reaches this with an error of
 * another kind (requests and held states are read guarded and checked first); the host failing under a call does
 * (a step begun with the stack nearly exhausted), and the library's engine does not undo a block it stopped in.
 */
function onlyYuma(e: unknown): YumaError {
  return stoppedOn(
    e,
    'chain',
    ': not an input it refused but a failure under it (the host out of stack or memory, or a defect of this library); a block or request it stopped in may be partly applied: rebuild the chain from a state saved with toJSON()',
  );
}

function yumaOnly<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    throw onlyYuma(e);
  }
}

/** Most blocks one `Chain.run` call steps (30 days): it returns every block's report, all held in memory. */
export const MAX_RUN_BLOCKS = 30 * 7200;

/**
 * The chain's block to the rao: holds a `ChainState` and steps it one block at a time (coinbase, share pools,
 * Balancer swaps, every due epoch through the Wasm engine in fixed mode). Staking calls are all or nothing.
 */
export class Chain {
  readonly #state: ChainState;
  /**
   * Whether the caller holds the live state (it passed it to `new Chain`, or read `chain.state`): it may write anything
   * into it, so every block checks it first. A chain from `fromJSON` is the only holder of its state until then.
   */
  #exposed = false;
  /** The simulator's chain (`ownChain`). */
  #owned = false;
  /** Requests carried out (`chainRequests`). */
  #requests = 0;
  /** Whether a block must be undoable: an engine of the caller's may throw in the middle of one. */
  readonly #undoable: boolean;
  private readonly engine: EpochEngineLike;
  private readonly settings: EpochSettings;
  /** Arithmetic of the epochs (`ChainOptions.epochMode`). */
  readonly epochMode: NumericMode;

  /** Set around the `new Chain` of `fromJSON`, whose state no one else holds. */
  static #ownState = false;

  constructor(state: ChainState, opts: ChainOptions = {}) {
    const own = Chain.#ownState;
    Chain.#ownState = false;
    const o = readOptions(opts, 'Chain options', ['engine', 'epochMode', 'epochPath', 'epochBonds']);
    const mode = oneOf(orDefault(o.epochMode, 'fixed'), 'epochMode', ['fixed', 'float'] as const);
    const path = oneOf(orDefault(o.epochPath, 'sparse'), 'epochPath', ['sparse', 'dense'] as const);
    this.#state = checkHeldChainState(state);
    // the caller still holds the object it passed and may write anything into it: checked before every block, as a
    // state read through chain.state (a copy would ignore the caller's later edits without a word)
    this.#exposed = !own;
    const e = o.engine as Partial<EpochEngineLike> | undefined;
    if (e !== undefined && (typeof e !== 'object' || e === null || typeof guard('engine', () => e.epoch) !== 'function')) {
      throw new YumaError('E_ARG', 'engine must have an epoch() method (createEngine(), createEngineSync() or createReferenceEngine())');
    }
    this.engine = (e as EpochEngineLike | undefined) ?? createEngineSync();
    this.#undoable = residentHostOf(this.engine) === null;
    if (o.epochBonds !== undefined && typeof o.epochBonds !== 'boolean') throw new YumaError('E_ARG', `epochBonds must be a boolean, got ${show(o.epochBonds)}`);
    this.settings = Object.freeze(o.epochBonds === false ? { mode, path, bonds: false } : { mode, path });
    this.epochMode = mode;
  }

  /** The epochs' arithmetic and code path (`ChainOptions.epochMode`, `epochPath`). */
  get epochSettings(): EpochSettings {
    return this.settings;
  }

  /** Loads a state from its JSON form (the golden scenarios' `initialState` format). */
  static fromJSON(json: unknown, opts?: ChainOptions): Chain {
    return ownStateChain(chainStateFromJSON(json), opts);
  }

  /**
   * The state it steps (mutated in place by `step`, `addStake`, `removeStake`, …). Once read here it is checked
   * before every block (as `new Chain` checks it), so a value written into it that the block cannot take refuses
   * the block with a YumaError before anything moves.
   */
  get state(): ChainState {
    this.#exposed = true;
    return this.#state;
  }

  /**
   * The state's JSON form (`chainStateToJSON`): u64/u128 as decimal strings, fixed point as `{ bits, f64 }`. A state
   * its caller holds is checked first, as before a block, with the error the block would give.
   */
  toJSON(): Record<string, unknown> {
    return yumaOnly(() => {
      // a value the caller wrote into the state would otherwise be saved as given, and refused only by fromJSON
      if (!this.#owned && this.#exposed) checkHeldChainState(this.#state);
      return chainStateToJSON(this.#state);
    });
  }

  /** The current block. */
  get block(): bigint {
    return this.#state.block;
  }

  /**
   * Advances one block (`block += 1`, then `block_step`) and reports what moved where. All or nothing: a state the
   * caller damaged through `chain.state` is refused before the block; on an engine of the caller's (not a Wasm
   * engine of this library) the block is undone if anything in it throws, the engine's error as a YumaError
   * (`E_STATE`, or `E_ARG` for what its epoch threw, the original as `cause`).
   */
  step(): BlockReport {
    if (this.#owned) return this.#step(false);
    try {
      if (this.#exposed) checkHeldChainState(this.#state);
      return this.#step(this.#undoable);
    } catch (e) {
      throw onlyYuma(e);
    }
  }

  #step(undoable: boolean): BlockReport {
    const state = this.#state;
    // the state holds u64 block numbers: a block past u64::MAX could not be stored, or read back by fromJSON
    if (state.block >= U64_MAX) throw new YumaError('E_RANGE', `block ${state.block} is u64::MAX: no later block exists`);
    // on the library's engine an epoch fails only where the block has not begun: a closed engine, a damaged row,
    // memory the host refuses (E_LIMIT); those are asked of every epoch the block may run before it starts
    const host = residentHostOf(this.engine);
    if (host !== null) {
      host.checkOpen();
      // a table the caller damaged through chain.state may throw a TypeError there: E_ARG, as the checks above
      if (!this.#owned) guard('state', () => prepareEpochs(state, host, this.settings, state.block + 1n));
    }
    // a JSON copy costs about as much as the block on a small state and far more on a large one: only blocks that
    // run an engine of the caller's keep one
    const before = undoable ? chainStateToJSON(state) : null;
    state.block += 1n;
    try {
      return blockStep(state, this.engine, this.settings);
    } catch (e) {
      if (before === null) throw e;
      replaceState(state, chainStateFromJSON(before));
      throw stoppedOn(e, 'block', ' and was undone');
    }
  }

  static {
    ownChain = (chain) => {
      chain.#owned = true;
    };
    chainRequests = (chain) => chain.#requests;
    ownStateChain = (state, opts) => {
      Chain.#ownState = true;
      try {
        return new Chain(state, opts);
      } finally {
        Chain.#ownState = false;
      }
    };
  }

  /**
   * A request on a state the caller holds is checked first, as a block is: a value damaged through `chain.state` is
   * refused before the request writes anything, where it could otherwise stop the request midway (E_STATE after
   * some of its writes) or be carried into the state the next block's check then refuses.
   */
  #request<T>(f: () => T): T {
    return yumaOnly(() => {
      if (!this.#owned && this.#exposed) checkHeldChainState(this.#state);
      const out = f();
      this.#requests++;
      return out;
    });
  }

  /** `add_stake` (or `add_stake_limit` with `limitPrice`): buys alpha for a coldkey on a hotkey; all or nothing. */
  addStake(req: AddStakeRequest): AddStakeResult {
    return this.#request(() => addStake(this.#state, req));
  }

  /** `remove_stake` (or `remove_stake_limit`): sells a coldkey's alpha for TAO; all or nothing. */
  removeStake(req: RemoveStakeRequest): RemoveStakeResult {
    return this.#request(() => removeStake(this.#state, req));
  }

  /**
   * Burned registration (`register`, or `register_limit` with `limitPrice`): the coldkey's burn buys alpha that is
   * destroyed, the hotkey gets the next UID or replaces the prune candidate. The subnet must model registration.
   */
  registerNeuron(req: RegisterRequest): RegisterResult {
    return this.#request(() => registerNeuron(this.#state, req));
  }

  /** `set_weights` / `set_mechanism_weights` from a registered hotkey (a permit needed beyond a self-weight). */
  setWeights(req: SetWeightsRequest): void {
    this.#request(() => setWeights(this.#state, req));
  }

  /**
   * `claim_root(subnets)`: the coldkey claims its root dividends owed on up to 5 subnets, kept as alpha or swapped
   * for root stake by its claim type (default `Swap`); all or nothing.
   */
  claimRoot(req: ClaimRootRequest): RootClaimPayout[] {
    return this.#request(() => claimRoot(this.#state, req));
  }

  /** `set_root_claim_type`: `'Swap'`, `'Keep'` or `{ keepSubnets: [netuids] }` for the coldkey's future claims. */
  setRootClaimType(req: { coldkey: string; type: RootClaimType }): void {
    this.#request(() => setRootClaimType(this.#state, req));
  }

  /** `sudo_set_root_claim_threshold`: claims below `threshold` alpha rao (≤ 10 000 000) wait on the subnet. */
  setRootClaimThreshold(req: { netuid: number; threshold: bigint }): void {
    this.#request(() => setRootClaimThreshold(this.#state, req));
  }

  /** Steps `blocks` blocks (a whole number in [0, MAX_RUN_BLOCKS]) and returns their reports. */
  run(blocks: number): BlockReport[] {
    blocks = toInt(blocks, 'blocks', 0, Number.MAX_SAFE_INTEGER);
    if (blocks > MAX_RUN_BLOCKS) throw new YumaError('E_LIMIT', `run keeps a report per block: at most ${MAX_RUN_BLOCKS} blocks a call (got ${blocks}); call it again, or step()`);
    const out: BlockReport[] = [];
    for (let i = 0; i < blocks; i++) out.push(this.step());
    return out;
  }
}

/** Puts `fresh`'s fields into `state` (the same object stays the chain's, its members are fresh's). */
export { chainStateFromJSON, chainStateToJSON, newChainState, newSubnet, initialLastEpochBlock, defaultEpochParams, defaultRegistration } from './state.js';
export { registerNeuron, setWeights, updateRegistrationPrices, decayFactorQ32, type RegisterRequest, type RegisterResult, type SetWeightsRequest } from './registration.js';
export { ChainRefused, type ChainErrorName, StakingRefused, DEFAULT_MIN_STAKE, type AddStakeRequest, type AddStakeResult, type RemoveStakeRequest, type RemoveStakeResult } from './staking.js';
export type { ChainState, ChainSubnet, Neuron, MechanismState, StakePool, HotkeyInfo, EpochParams, ChildLink, SubnetRegistration, SubnetFields } from './state.js';
export type { BlockReport, EpochReport, SubnetBlockReport, SubnetBlockTerms, StakeChange, EpochSettings, EpochEngineLike } from './block.js';
export { inplacePowNormalize, MAX_POW_NORMALIZE_VALUES } from './flow-normalize.js';
export { rootOwed, blockHashToIndices, DEFAULT_ROOT_CLAIM_THRESHOLD, MAX_SUBNET_CLAIMS, MAX_ROOT_CLAIM_THRESHOLD, type ClaimRootRequest, type RootClaimPayout } from './root-claims.js';
export type { RootClaimType } from './state.js';
export { ERAS, SHARE_RULES, eraRules, type ChainRules, type Era, type ShareRule } from './eras.js';
