// The entry of verify/action.yml, the verify action: the code is in index.js.
import { runAction } from './index.js';

await runAction(process.env, 'verify');
