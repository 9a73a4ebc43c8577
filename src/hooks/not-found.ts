// The command_not_found hook (package.json): lib/oclif/not-found.ts says what it does.
export {default} from '../lib/oclif/not-found.js'
