#!/usr/bin/env node
/** Entry point of the `sqlite-snapshot` command. */
import { isMainThread } from 'node:worker_threads';
import { main } from './main.ts';
import { processIo } from './output.ts';

// The bundle is also loaded by the dump's worker threads, which take their role from workerData.
if (isMainThread) process.exitCode = await main(process.argv.slice(2), processIo());
