import { vi } from 'vitest';
import { simulatorSuite } from './simulator-suite.js';

// The bottom of the supported peer range (package.json `peerDependencies.axios`): every import
// of 'axios' in this file's module graph, attachQuivo's own included, gets axios 1.6.0.
vi.mock('axios', async () => await vi.importActual<typeof import('axios')>('axios-oldest'));

simulatorSuite('1.6.0');
