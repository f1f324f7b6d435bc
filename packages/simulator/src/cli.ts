import { CliUsageError, parseCliArgs, USAGE } from './cli-args.js';
import { startQuivoSimulator } from './server.js';

async function main(argv: readonly string[]): Promise<void> {
  const command = parseCliArgs(argv);
  if (command.kind === 'help') {
    console.log(USAGE);
    return;
  }
  const simulator = await startQuivoSimulator(command.options);
  console.log(`Quivo simulator listening on ${simulator.url}`);
  const stop = (): void => {
    simulator.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  // Bad flags and bad option values are usage errors (exit 2); anything else, e.g. a port in use, is 1.
  const usage = error instanceof CliUsageError || error instanceof TypeError || error instanceof RangeError;
  console.error(`quivo-simulator: ${error instanceof Error ? error.message : String(error)}`);
  if (usage) console.error("Run 'quivo-simulator --help' for the options.");
  process.exit(usage ? 2 : 1);
});
