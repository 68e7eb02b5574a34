/**
 * The end-to-end suite of the bundled Action (actionProcessSuite.ts), on the per-verb actions
 * (build/, verify/, restore/), with each input named as that action names it.
 */
import { actionProcessSuite } from './actionProcessSuite.ts';

actionProcessSuite('verbs');
