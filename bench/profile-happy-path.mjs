// Where the happy path's time goes: N requests through one alternative under --cpu-prof, in a
// child process against a simulator in another, then the top self-time functions.
//   node bench/profile-happy-path.mjs [alternative] [requests] [concurrency] [top]
//   node bench/profile-happy-path.mjs createQuivoFetch 20000 1
//   node bench/profile-happy-path.mjs "axios + attachQuivo" 20000 50
//   node bench/profile-happy-path.mjs policy.execute 200000     (the pipeline alone, no network)
import { formatProfile, profileAlternative } from './lib/cpu-profile.mjs';
import { startSimulatorProcess } from './lib/simulator-process.mjs';

const [name = 'createQuivoFetch', total = '20000', concurrency = '1', top = '25'] = process.argv.slice(2);
const sim = name === 'policy.execute' ? undefined : await startSimulatorProcess({});
try {
  const summary = await profileAlternative({ name, url: sim?.url, total: Number(total), concurrency: Number(concurrency), top: Number(top) });
  console.log(formatProfile(summary, Number(top)));
} finally {
  await sim?.close();
}
