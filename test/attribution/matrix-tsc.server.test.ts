// The attribution matrix on a tsc service (matrix-cases.ts): stored and paired mode.
import { attributionSuite } from './matrix-cases.ts';

attributionSuite('tsc');
