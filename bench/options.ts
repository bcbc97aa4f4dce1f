/** What `npm run bench -- …` was asked to do. */
export interface BenchOptions {
  /** Audience sizes to measure, in order; `--supporters N` is one size. */
  sizes: number[];
  orgs: number;
  /** Delivery processes sharing the work queue (and raw baseline processes, so both sides use as many cores). */
  workers: number;
  runs: number;
  /** Bound on one run's delivery wait; default grows with the audience. */
  timeoutS?: number;
}

export const USAGE = `usage: npm run bench -- [--supporters 100000] [--orgs 20] [--workers 1] [--runs 3] [--sizes 10000,50000,100000] [--timeout-s S]
  --supporters N   supporters to seed (about 70% email, 50% push, 20% both; en/fr/sw)
  --orgs M         organisations they are spread over, each relaying the alert automatically
  --workers W      delivery processes sharing the work queue (the raw baseline uses as many processes)
  --runs R         runs per size; the summary is the median of each figure
  --sizes a,b,c    measure several audience sizes in turn (instead of --supporters)
  --timeout-s S    give up on a run after S seconds of delivery (default 60 + N / 200)
Environment: SMTP_POOL_SIZE, SEND_CONCURRENCY, BATCH_CONCURRENCY are passed to delivery and used by the raw baseline.`;

export class UsageError extends Error {}

function count(flag: string, raw: string | undefined, min: number): number {
  const value = Number(raw?.replace(/_/g, ''));
  if (raw === undefined || !Number.isInteger(value) || value < min) throw new UsageError(`${flag} must be a whole number ≥ ${min}, got ${raw ?? 'nothing'}`);
  return value;
}

export function parseOptions(argv: string[]): BenchOptions | 'help' {
  const options: BenchOptions = { sizes: [100_000], orgs: 20, workers: 1, runs: 3 };
  let supporters: number | undefined;
  let sizes: number[] | undefined;
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split('=', 2) as [string, string | undefined];
    const value = () => inline ?? argv[++i];
    switch (flag) {
      case '--help':
      case '-h':
        return 'help';
      case '--supporters':
        supporters = count(flag, value(), 1);
        break;
      case '--orgs':
        options.orgs = count(flag, value(), 1);
        break;
      case '--workers':
        options.workers = count(flag, value(), 1);
        break;
      case '--runs':
        options.runs = count(flag, value(), 1);
        break;
      case '--sizes': {
        const raw = value();
        sizes = (raw ?? '').split(',').map((part) => count(flag, part.trim(), 1));
        break;
      }
      case '--timeout-s':
        options.timeoutS = count(flag, value(), 1);
        break;
      default:
        throw new UsageError(`unknown argument ${argv[i]}`);
    }
  }
  if (supporters !== undefined && sizes !== undefined) throw new UsageError('give --supporters or --sizes, not both');
  options.sizes = sizes ?? [supporters ?? 100_000];
  const smallest = Math.min(...options.sizes);
  if (smallest < options.orgs) throw new UsageError(`every size needs at least one supporter per organisation (${smallest} < ${options.orgs} orgs)`);
  return options;
}

/** How long a run may wait for delivery: a minute, plus 5 ms per supporter (100,000 → about 9 minutes). */
export function deliveryTimeoutMs(options: BenchOptions, supporters: number): number {
  return (options.timeoutS ?? 60 + supporters / 200) * 1000;
}
