// codika's help class (package.json's oclif.helpClass): oclif's own help pages, with one start-up cost less.
// CommonJS (.cts), like the bundle loader: oclif require()s it, so a help page still imports no ES module.
import type {Interfaces} from '@oclif/core'

import {oclifEntries} from './bundle.cjs'

// The help module only: a help page needs nothing else of oclif's.
const {CommandHelp, Help} = oclifEntries().help()

/**
 * oclif renders every string of a help page as an ejs template, and ejs compiles each one into a function first
 * (~5 ms a page). A string holding no ejs delimiter renders as itself, so only the others are given to ejs.
 */
export function renderTemplatesOnly(render: (input: string) => string): (input: string) => string {
  return (input) =>
    typeof input === 'string' && !input.includes('<%') && !input.includes('%>') ? input : render(input)
}

class CodikaCommandHelp extends CommandHelp {
  constructor(...args: ConstructorParameters<typeof CommandHelp>) {
    super(...args)
    this.render = renderTemplatesOnly(this.render)
  }
}

export default class CodikaHelp extends Help {
  protected override CommandHelpClass = CodikaCommandHelp

  constructor(config: Interfaces.Config, options?: Partial<Interfaces.HelpOptions>) {
    super(config, options)
    this.render = renderTemplatesOnly(this.render)
  }
}
