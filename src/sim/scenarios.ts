import cabal from '../../scenarios/cabal.json';
import twoMechanisms from '../../scenarios/two-mechanisms.json';
import weightCopying from '../../scenarios/weight-copying.json';
import yuma3First from '../../scenarios/yuma3-big-validator-moves-first.json';
import yuma3Last from '../../scenarios/yuma3-big-validator-moves-last.json';
import yuma3Second from '../../scenarios/yuma3-big-validator-moves-second.json';
import { YumaError } from '../errors.js';
import { show } from '../validation/describe.js';
import { scenarioFromJson, type Scenario } from './scenario.js';

/**
 * The scenario files shipped in `scenarios/`, bundled into the package so they work by name wherever it is
 * installed (`yuma-wasm simulate --scenario cabal`, `scenario('cabal')`). Values are the files' parsed JSON.
 */
export const SCENARIOS: Readonly<Record<string, unknown>> = Object.freeze({
  cabal,
  'weight-copying': weightCopying,
  'yuma3-big-validator-moves-first': yuma3First,
  'yuma3-big-validator-moves-second': yuma3Second,
  'yuma3-big-validator-moves-last': yuma3Last,
  'two-mechanisms': twoMechanisms,
});

/** A built-in scenario by name (see `SCENARIOS`), checked and ready for `new Network({ ...s.network, engine })`. */
export function scenario(name: string): Scenario {
  if (typeof name !== 'string' || !Object.prototype.hasOwnProperty.call(SCENARIOS, name)) {
    throw new YumaError('E_ARG', `no built-in scenario ${typeof name === 'string' && name.length <= 60 ? `'${name}'` : show(name)} (built in: ${Object.keys(SCENARIOS).join(', ')})`);
  }
  return scenarioFromJson(SCENARIOS[name]);
}
