export { Subnet, type SubnetOptions, type SubnetEpochOptions, type MechanismOption } from './subnet.js';
export { vecU16MaxUpscaleToU16 } from './max-upscale.js';
export { combinedEmission } from '../epoch/combined-emission.js';
