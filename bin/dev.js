#!/usr/bin/env node
// Development entry point: runs the TypeScript sources directly.
// tsx is registered here rather than through a shebang flag, so that
// `node bin/dev.js` works the same as `./bin/dev.js`.
import {register} from 'tsx/esm/api'
import {execute} from '@oclif/core'

register()
await execute({development: true, dir: import.meta.url})
