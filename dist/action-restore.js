// The entry of restore/action.yml, the restore action: the code is in index.js.
import { runAction } from './index.js';

await runAction(process.env, 'restore');
