// The attribution matrix on a esbuild service (matrix-cases.ts): stored and paired mode.
import { attributionSuite } from './matrix-cases.ts';

attributionSuite('esbuild');
