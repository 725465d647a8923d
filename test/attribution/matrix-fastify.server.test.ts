// The attribution matrix on a fastify service (matrix-cases.ts): stored and paired mode.
import { attributionSuite } from './matrix-cases.ts';

attributionSuite('fastify');
