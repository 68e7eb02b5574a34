/** The end-to-end suite of the bundled Action (actionProcessSuite.ts), on the root action with `mode`. */
import { actionProcessSuite } from './actionProcessSuite.ts';

actionProcessSuite('root');
