/**
 * `Chain`: the chain's block, to the rao (subtensor 14bc6f9f). Holds a `ChainState` and steps it one block at a
 * time in `block_step` order, running every due epoch through the Wasm engine in fixed (bit-exact) mode.
 */
import { createEngineSync, type Engine } from '../engine.js';
import { YumaError } from '../errors.js';
import { type BlockReport, blockStep } from './block.js';
import { type AddStakeRequest, type AddStakeResult, type RemoveStakeRequest, type RemoveStakeResult, addStake, removeStake } from './staking.js';
import { type ChainState, chainStateFromJSON, chainStateToJSON } from './state.js';

export interface ChainOptions {
  /** Engine for the epochs (default: a new Wasm engine). */
  engine?: Engine;
}

export class Chain {
  readonly state: ChainState;
  private readonly engine: Engine;

  constructor(state: ChainState, opts: ChainOptions = {}) {
    this.state = state;
    this.engine = opts.engine ?? createEngineSync();
  }

  /** Loads a state from its JSON form (the golden scenarios' `initialState` format). */
  static fromJSON(json: unknown, opts?: ChainOptions): Chain {
    return new Chain(chainStateFromJSON(json), opts);
  }

  toJSON(): Record<string, unknown> {
    return chainStateToJSON(this.state);
  }

  get block(): bigint {
    return this.state.block;
  }

  /** Advances one block (`block += 1`, then `block_step`) and reports what moved where. */
  step(): BlockReport {
    this.state.block += 1n;
    return blockStep(this.state, this.engine);
  }

  /** `add_stake` (or `add_stake_limit` with `limitPrice`): buys alpha for a coldkey on a hotkey; all or nothing. */
  addStake(req: AddStakeRequest): AddStakeResult {
    return addStake(this.state, req);
  }

  /** `remove_stake` (or `remove_stake_limit`): sells a coldkey's alpha for TAO; all or nothing. */
  removeStake(req: RemoveStakeRequest): RemoveStakeResult {
    return removeStake(this.state, req);
  }

  /** Steps `blocks` blocks (a whole number ≥ 0) and returns their reports. */
  run(blocks: number): BlockReport[] {
    if (!Number.isSafeInteger(blocks) || blocks < 0) throw new YumaError('E_ARG', `blocks must be a whole number ≥ 0, got ${String(blocks)}`);
    const out: BlockReport[] = [];
    for (let i = 0; i < blocks; i++) out.push(this.step());
    return out;
  }
}

export { chainStateFromJSON, chainStateToJSON, newChainState, newSubnet, defaultEpochParams } from './state.js';
export { StakingRefused, DEFAULT_MIN_STAKE, type AddStakeRequest, type AddStakeResult, type RemoveStakeRequest, type RemoveStakeResult } from './staking.js';
export type { ChainState, ChainSubnet, Neuron, StakePool, HotkeyInfo, EpochParams, ChildLink } from './state.js';
export type { BlockReport, EpochReport, SubnetBlockReport, SubnetBlockTerms, StakeChange } from './block.js';
