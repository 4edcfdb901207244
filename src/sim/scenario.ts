import { YumaError } from '../errors.js';
import { HYPER_KEYS } from '../epoch/prepare.js';
import { show } from '../validation/describe.js';
import { readOptions } from '../validation/read.js';
import { toInt, toNumberIn } from '../validation/values.js';
import { BLOCKS_PER_DAY, DEFAULT_OPTIONS, type NetworkOptions, resolveOptions } from './config.js';

/** A scenario file (`scenarios/*.json`): a named set of Network options and a run length. */
export interface Scenario {
  /** Its name (a built-in one is found by it: `scenario(name)`, `simulate --scenario NAME`). */
  name: string;
  /** What it shows, in a sentence or two. */
  description: string;
  /** Run length; `days` is 7200 blocks a day. Command-line flags override both. */
  blocks?: number;
  /** The network options it sets (the rest default). */
  network: Partial<NetworkOptions>;
}

const TOP_KEYS = ['name', 'description', 'blocks', 'days', 'network'] as const;

/**
 * Checks a parsed scenario file and turns its JSON spellings into option values: `issuanceStart` and
 * `hyper.stakeThreshold` may be decimal strings of rao (JSON has no bigint). Throws `YumaError` naming the field.
 */
export function scenarioFromJson(json: unknown): Scenario {
  const raw = readOptions(json, 'scenario', TOP_KEYS, true);
  const name = raw.name ?? 'scenario';
  const description = raw.description ?? '';
  if (typeof name !== 'string') throw new YumaError('E_ARG', 'scenario name must be a string');
  if (typeof description !== 'string') throw new YumaError('E_ARG', 'scenario description must be a string');
  if (raw.blocks !== undefined && raw.days !== undefined) throw new YumaError('E_ARG', 'give a scenario either blocks or days, not both');
  let blocks: number | undefined;
  if (raw.blocks !== undefined) blocks = toInt(raw.blocks, 'scenario blocks', 1, 10_000_000);
  if (raw.days !== undefined) blocks = Math.max(1, Math.round(toNumberIn(raw.days, 'scenario days', 1 / BLOCKS_PER_DAY, 1000) * BLOCKS_PER_DAY));
  const network = { ...readOptions(raw.network, 'scenario network', NETWORK_KEYS) } as Record<string, unknown>;
  if (typeof network.issuanceStart === 'string' || typeof network.issuanceStart === 'number') {
    network.issuanceStart = toBigInt(network.issuanceStart, 'network.issuanceStart');
  }
  if (network.hyper !== undefined && network.hyper !== null) {
    const h = { ...readOptions(network.hyper, 'network.hyper', HYPER_KEYS) } as Record<string, unknown>;
    if (typeof h.stakeThreshold === 'string' || typeof h.stakeThreshold === 'number') h.stakeThreshold = toBigInt(h.stakeThreshold, 'network.hyper.stakeThreshold');
    network.hyper = h;
  }
  // Validate now, so a bad file is reported before any run starts.
  resolveOptions(network as Partial<NetworkOptions>);
  return { name, description, ...(blocks !== undefined ? { blocks } : {}), network: network as Partial<NetworkOptions> };
}

/** The Network options a scenario may set (everything but the engine). */
const NETWORK_KEYS = Object.keys(DEFAULT_OPTIONS) as Array<keyof NetworkOptions>;

function toBigInt(v: string | number, field: string): bigint {
  if (typeof v === 'number' ? !Number.isSafeInteger(v) || v < 0 : !/^[0-9]{1,30}$/.test(v)) {
    throw new YumaError('E_ARG', `${field} must be a whole number of rao (a decimal string); got ${show(v)}`);
  }
  return BigInt(v);
}
