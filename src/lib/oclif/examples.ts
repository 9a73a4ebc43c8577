// The examples of a help page. Nearly every one runs the command it documents, so its line is written here once:
// oclif fills in the bin and the command id (its templates) when it draws the page.

/** An example that runs this command: `codika <command id> ARGS`, under the description. */
export function example(description: string, args = ''): {command: string; description: string} {
  return {
    description,
    command: args ? `<%= config.bin %> <%= command.id %> ${args}` : '<%= config.bin %> <%= command.id %>',
  }
}
