/**
 * Keeps long dumps' memory flat. The row loop creates short-lived garbage, some of which V8
 * promotes to the old generation and only collects when that has grown to several times the live
 * size; a full collection every so many output bytes bounds the heap, at a cost of a few
 * milliseconds per collection.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

const COLLECT_EVERY_BYTES = 24 << 20;

let collect: (() => void) | undefined;

function collector(): () => void {
  if (!collect) {
    // --expose-gc set at run time only affects contexts created afterwards; take `gc` from one.
    setFlagsFromString('--expose-gc');
    collect = runInNewContext('gc') as () => void;
  }
  return collect;
}

/** Returns a function to call with the running byte count; it collects every `every` bytes. */
export function heapKeeper(every: number = COLLECT_EVERY_BYTES): (bytes: number) => void {
  let next = every;
  return (bytes) => {
    if (bytes < next) return;
    next = bytes + every;
    collector()();
  };
}
