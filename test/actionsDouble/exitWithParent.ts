// Preloaded into the Azurite child: its IPC channel to the test process closes when that process ends, even when it
// is killed, so the child ends too instead of lingering as an orphan holding memory and a port.
process.once('disconnect', () => process.exit(0));
