import { runCli } from '../src/cli.js'

// npm run docs:scopes: the CLI run from the sources, so that it reads the example's TypeScript registry.
process.exitCode = await runCli(process.argv.slice(2), {
  cwd: process.cwd(),
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text)
})
