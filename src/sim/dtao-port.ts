/**
 * The one seam between the simulator and the dTAO module: everything the simulator needs from pool economics
 * comes through here, so a change of names in `src/dtao` touches this file only.
 */
export { Pool, blockEmission, emissionShares, MovingPriceTracker } from '../dtao/index.js';
