// The attribution matrix on a node-http service (matrix-cases.ts): stored and paired mode.
import { attributionSuite } from './matrix-cases.ts';

attributionSuite('node-http');
