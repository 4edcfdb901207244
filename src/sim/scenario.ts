import { YumaError } from '../errors.js';
import { BLOCKS_PER_DAY, type NetworkOptions, resolveOptions } from './config.js';

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

const TOP_KEYS = new Set(['name', 'description', 'blocks', 'days', 'network']);

/**
 * Checks a parsed scenario file and turns its JSON spellings into option values: `issuanceStart` and
 * `hyper.stakeThreshold` may be decimal strings of rao (JSON has no bigint). Throws `YumaError` naming the field.
 */
export function scenarioFromJson(json: unknown): Scenario {
  if (json == null || typeof json !== 'object' || Array.isArray(json)) throw new YumaError('E_ARG', 'a scenario must be a JSON object');
  const raw = json as Record<string, unknown>;
  for (const k of Object.keys(raw)) if (!TOP_KEYS.has(k)) throw new YumaError('E_ARG', `unknown scenario field '${k}' (known: ${[...TOP_KEYS].join(', ')})`);
  const name = raw.name ?? 'scenario';
  const description = raw.description ?? '';
  if (typeof name !== 'string') throw new YumaError('E_ARG', 'scenario name must be a string');
  if (typeof description !== 'string') throw new YumaError('E_ARG', 'scenario description must be a string');
  if (raw.blocks !== undefined && raw.days !== undefined) throw new YumaError('E_ARG', 'give a scenario either blocks or days, not both');
  let blocks: number | undefined;
  if (raw.blocks !== undefined) blocks = raw.blocks as number;
  if (raw.days !== undefined) blocks = Math.round((raw.days as number) * BLOCKS_PER_DAY);
  if (blocks !== undefined && (typeof blocks !== 'number' || !Number.isInteger(blocks) || blocks < 1)) {
    throw new YumaError('E_RANGE', `scenario blocks/days must give a positive whole number of blocks (got ${String(raw.blocks ?? raw.days)})`);
  }
  const net = raw.network ?? {};
  if (typeof net !== 'object' || net === null || Array.isArray(net)) throw new YumaError('E_ARG', 'scenario network must be an object');
  const network = { ...(net as Record<string, unknown>) };
  if (typeof network.issuanceStart === 'string' || typeof network.issuanceStart === 'number') {
    network.issuanceStart = toBigInt(network.issuanceStart, 'network.issuanceStart');
  }
  if (network.hyper && typeof network.hyper === 'object') {
    const h = { ...(network.hyper as Record<string, unknown>) };
    if (typeof h.stakeThreshold === 'string' || typeof h.stakeThreshold === 'number') h.stakeThreshold = toBigInt(h.stakeThreshold, 'network.hyper.stakeThreshold');
    network.hyper = h;
  }
  if ('engine' in network) throw new YumaError('E_ARG', 'a scenario cannot name an engine');
  // Validate now, so a bad file is reported before any run starts.
  resolveOptions(network as Partial<NetworkOptions>);
  return { name, description, ...(blocks !== undefined ? { blocks } : {}), network: network as Partial<NetworkOptions> };
}

function toBigInt(v: string | number, field: string): bigint {
  if (typeof v === 'number' ? !Number.isSafeInteger(v) : !/^[0-9]+$/.test(v)) {
    throw new YumaError('E_ARG', `${field} must be a whole number of rao (a decimal string); got ${JSON.stringify(v)}`);
  }
  return BigInt(v);
}
