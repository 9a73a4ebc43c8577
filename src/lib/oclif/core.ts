// The @oclif/core that runs this process (lib/oclif/bundle.cts: the build's bundle, else node_modules), for every
// codika module: its values come from here, its types from '@oclif/core' itself (types cost nothing at run time).
import type * as OclifCore from '@oclif/core'

import {loadOclif} from './bundle.cjs'

const core = loadOclif()

export const {Args, Command, Config, Errors, Flags, toConfiguredId} = core
export type Command = OclifCore.Command
export type Config = OclifCore.Config
/** The spinner and other terminal helpers: taken only where they are drawn. */
export const ux = (): typeof OclifCore.ux => core.ux
