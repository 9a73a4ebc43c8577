#!/usr/bin/env node
// Entry point of the installed CLI: runs the compiled commands from dist/.
import {execute} from '@oclif/core'

await execute({dir: import.meta.url})
