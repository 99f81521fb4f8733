#!/usr/bin/env node
// `npx fastify-scopes docs <module>`: see src/cli.ts.
import { runCli } from '../dist/cli.js'

process.exitCode = await runCli(process.argv.slice(2), {
  cwd: process.cwd(),
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text)
})
