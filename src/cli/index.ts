#!/usr/bin/env node
/** Entry point of the `sqlite-snapshot` command. */
import { main } from './main.ts';
import { processIo } from './output.ts';

process.exitCode = await main(process.argv.slice(2), processIo());
