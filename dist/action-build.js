// The entry of build/action.yml, the build action: the code is in index.js.
import { runAction } from './index.js';

await runAction(process.env, 'build');
