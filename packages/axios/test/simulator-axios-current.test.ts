import { createRequire } from 'node:module';
import { simulatorSuite } from './simulator-suite.js';

// The top of the supported range: the axios this package is developed against.
const { version } = createRequire(import.meta.url)('axios/package.json') as { version: string };

simulatorSuite(version);
