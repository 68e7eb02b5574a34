#!/usr/bin/env node
// The sqlite-snapshot command's entry (package.json bin): the code is in index.js.
import { processIo, runCli } from './index.js';

process.exitCode = await runCli(process.argv.slice(2), processIo());
