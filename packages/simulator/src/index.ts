export { startQuivoSimulator } from './server.js';
export type { QuivoSimulator, SimulatorFaultQueue } from './server.js';
export { SIMULATOR_DEFAULTS } from './options.js';
export type {
  QuotaOptions,
  RandomFaultOptions,
  SimulatorOptions,
  SimulatorSleep,
  SimulatorUser,
  ThrottleOptions,
} from './options.js';
export { FAULT_KINDS } from './faults.js';
export type { FaultKind, FaultMatch, FaultRateKey, FaultRates, ScriptedFault } from './faults.js';
export { createManualClock } from './clock.js';
export type { ManualClock, SimulatorClock } from './clock.js';
export type { SimulatorStats } from './stats.js';
export type { StockItem } from './routes/stock.js';
