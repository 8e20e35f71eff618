// The WAL checkpointer's thread (walCheckpointer.ts starts it): its own connection to the store's file copies
// WAL frames into the database file, so that copy and the database file's fsync never block the event loop.
// Plain JavaScript, so it runs the same under node, tsx and vitest.
import fs from 'node:fs';
import os from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

/** @type {{ file: string, thresholdFrames: number, pollMs: number, finalFrames: number, maxRounds: number }} */
const { file, thresholdFrames, pollMs, finalFrames, maxRounds } = workerData;

const db = new Database(file, { timeout: 1000 });
// The checkpoint syncs with this connection's setting: below NORMAL it would not fsync the database file
// before SQLite reuses the WAL, and a power cut could then lose acknowledged commits.
db.pragma('synchronous = FULL');
const checkpoint = db.prepare('PRAGMA wal_checkpoint(PASSIVE)');

// mxFrame, the WAL's last valid frame, is a native-endian u32 at byte 16 of the WAL-index header in the -shm
// file (https://www.sqlite.org/walformat.html#the_wal_index_file_format). One pread per poll tells whether a
// checkpoint is due without taking any SQLite lock; a stale or torn value only moves one checkpoint.
const shm = fs.openSync(`${file}-shm`, 'r');
const header = Buffer.alloc(4);
function walFrames() {
  fs.readSync(shm, header, 0, 4, 16);
  return os.endianness() === 'LE' ? header.readUInt32LE(0) : header.readUInt32BE(0);
}

/** Frames a checkpoint that returned `done` has left: 0 when the WAL restarted since (its last frame fell below the log it saw). */
function remaining(done) {
  const frames = walFrames();
  return frames < done.log ? 0 : frames - done.checkpointed;
}

/** PASSIVE: copies what no reader still needs, never waits for the writer. */
function passive() {
  const r = checkpoint.get();
  return { busy: r.busy, log: r.log, checkpointed: r.checkpointed };
}

let running = false;
let resumeFinal = null;

/**
 * One cycle. SQLite restarts the WAL from its start only when every frame is backfilled and no commit came
 * after; the main thread keeps committing meanwhile, so rounds catch up while it writes, and the last few
 * frames are copied while it holds its busy writes (a 'pause' it answers with 'paused').
 */
async function cycle() {
  running = true;
  try {
    let rounds = 0;
    let done = passive();
    rounds++;
    while (remaining(done) > finalFrames && rounds < maxRounds) { done = passive(); rounds++; }
    if (remaining(done) === 0) { parentPort.postMessage({ type: 'cycle', rounds, paused: false, restartable: true, ...done }); return; }
    await new Promise(resolve => { resumeFinal = resolve; parentPort.postMessage({ type: 'pause' }); });
    let final;
    let restartable = false;
    try {
      final = passive();
      // Read before the commits go on: every frame in the database file, so SQLite's next commit restarts the WAL.
      restartable = remaining(final) === 0;
    } finally {
      parentPort.postMessage({ type: 'resume' });
    }
    parentPort.postMessage({ type: 'cycle', rounds: rounds + 1, paused: true, restartable, ...final });
  } finally {
    running = false;
  }
}

const timer = setInterval(() => {
  if (!running && walFrames() >= thresholdFrames) cycle().catch(e => parentPort.postMessage({ type: 'error', message: String(e?.stack ?? e) }));
}, pollMs);

parentPort.on('message', m => {
  if (m.type === 'paused') { const r = resumeFinal; resumeFinal = null; r?.(); }
  if (m.type === 'close') {
    clearInterval(timer);
    fs.closeSync(shm);
    db.close();
    parentPort.close();
  }
});
