// The Logger port now lives with the other ports in src/usecases/ports.ts; this re-export keeps existing
// imports working until the layout move rewrites them.
export { silentLogger, type Logger } from '../usecases/ports.ts';
