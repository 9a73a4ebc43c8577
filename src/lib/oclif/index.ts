// The door of the oclif corner: what commands, hooks and plugins take from @oclif/core. Only modules under
// src/lib/oclif/ import oclif itself (eslint.config.js enforces it), so an oclif upgrade touches this folder alone.
export {Args, Flags} from './core.js'
export type {Hook, Interfaces} from '@oclif/core'
export {example} from './examples.js'
