// Entry of the bundled Action (action/dist/index.js): the only place that touches process.env and the
// exit code.
import { runAction } from './main.ts';

process.exitCode = await runAction(process.env);
