/** Name of the simulator's key on each demo feed (the simulator posts like any outside system). */
export const SIMULATOR_TOKEN_NAME = 'demo-simulator';
