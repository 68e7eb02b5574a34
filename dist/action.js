// The GitHub Action's entry (action.yml runs it): the code is in index.js.
import { runAction } from './index.js';

await runAction();
