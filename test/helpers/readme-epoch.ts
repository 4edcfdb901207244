/**
 * The README's 4-UID epoch in its JSON spellings (dense rows, rao as decimal strings): the README example tests
 * run it in-process, the packaging test compiles it into a consumer program against the installed tarball.
 */
export const README_DENSE_INPUT = {
  n: 4,
  currentBlock: 1000,
  tempo: 360,
  lastStepBlock: 0,
  stake: ['1000000000000', '500000000000', '0', '0'],
  weights: [[0, 0, 65535, 32768], [0, 0, 65535, 0], [0, 0, 0, 0], [0, 0, 0, 0]],
  bonds: [[0, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0]],
  lastUpdate: [999, 999, 999, 999],
  blockAtRegistration: [1, 1, 1, 1],
  validatorPermit: [true, true, false, false],
  raoEmission: '1000000000',
};
