// Shared by the benchmarks: median ops/s over rounds, and number formatting.
const quick = process.argv.includes('--quick');
export const ROUNDS = quick ? 3 : 7;
export const ROUND_MS = quick ? 100 : 250;

/** Median ops/s of `fn` (sync or async) over ROUNDS rounds of ROUND_MS, after a warm-up. */
export async function measure(fn, batch = 16) {
  for (let i = 0; i < 200; i++) await fn();
  const rates = [];
  for (let r = 0; r < ROUNDS; r++) {
    let n = 0;
    const start = process.hrtime.bigint();
    const end = start + BigInt(ROUND_MS * 1e6);
    let now = start;
    while (now < end) {
      for (let i = 0; i < batch; i++) await fn();
      n += batch;
      now = process.hrtime.bigint();
    }
    rates.push(n / (Number(now - start) / 1e9));
  }
  rates.sort((a, b) => a - b);
  return rates[rates.length >> 1];
}

/** The same for a synchronous `fn`, without awaiting (awaiting would dominate small calls). */
export function measureSync(fn, batch = 16) {
  for (let i = 0; i < 200; i++) fn();
  const rates = [];
  for (let r = 0; r < ROUNDS; r++) {
    let n = 0;
    const start = process.hrtime.bigint();
    const end = start + BigInt(ROUND_MS * 1e6);
    let now = start;
    while (now < end) {
      for (let i = 0; i < batch; i++) fn();
      n += batch;
      now = process.hrtime.bigint();
    }
    rates.push(n / (Number(now - start) / 1e9));
  }
  rates.sort((a, b) => a - b);
  return rates[rates.length >> 1];
}

export const fmt = (x) => (x >= 1e6 ? (x / 1e6).toFixed(2) + 'M' : x >= 1e3 ? (x / 1e3).toFixed(1) + 'k' : x.toFixed(0));
