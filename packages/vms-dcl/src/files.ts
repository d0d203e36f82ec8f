import type { Status } from '@vms/contracts'
import { parameter, present, qualifierValue } from './builtins'
import type { DiskFile } from './disk'
import type { Dcl } from './interpreter'
import { CLI, CLI_NORMAL, DclError, hostError, messageText, RMS, STS_M_INHIB_MSG } from './messages'
import type { VerbDefinition } from './types'

/**
 * A file command's failure as DCL shows it: `%TYPE-W-SEARCHFAIL, error searching for
 * X.TXT` then the RMS reason, with the status marked shown.
 */
function fileFailure(
  dcl: Dcl,
  facility: string,
  what: string,
  spec: string,
  error: unknown,
): Status {
  if (!(error instanceof DclError)) {
    // A host file-system error (a file where a directory should be, no access).
    const host = hostError(error)
    if (host === undefined) throw error
    dcl.host.output(`%${facility}-E-${what}, error on ${spec.toUpperCase()}`)
    dcl.host.output(`-${messageText(host.status).slice(1)}`)
    return (host.status | STS_M_INHIB_MSG) >>> 0
  }
  dcl.host.output(
    `%${facility}-W-${what}, error ${what === 'SEARCHFAIL' ? 'searching for' : 'opening'} ${spec.toUpperCase()}`,
  )
  dcl.host.output(`-${messageText(error.status).slice(1)}`)
  return (error.status | STS_M_INHIB_MSG) >>> 0
}

/** Files a command names, or a failure status already shown. */
function matching(dcl: Dcl, facility: string, specs: readonly string[]): DiskFile[] | Status {
  const files: DiskFile[] = []
  for (const spec of specs) {
    try {
      const found = dcl.disk.search(spec)
      if (found.length === 0) throw new DclError(RMS.FNF, spec)
      files.push(...found)
    } catch (error) {
      return fileFailure(dcl, facility, 'SEARCHFAIL', spec, error)
    }
  }
  return files
}

/**
 * The file commands of the default disk (DCL Dictionary): DIRECTORY, TYPE, COPY,
 * DELETE (and DELETE/SYMBOL), PURGE, RENAME, CREATE (and CREATE/DIRECTORY).
 */
export function fileVerbs(dcl: Dcl): VerbDefinition[] {
  const say = (line: string) => dcl.host.output(line)
  return [
    {
      name: 'DIRECTORY',
      help: 'DIRECTORY [filespec[,...]]: lists files',
      parameters: [{ label: 'File', list: true, type: 'file' }],
      qualifiers: [
        { name: 'SIZE', help: "show each file's size in blocks" },
        {
          name: 'VERSIONS',
          value: 'required',
          type: 'number',
          negatable: false,
          help: 'at most n versions of each file',
        },
      ],
      handler: (command) => {
        const specs = command.parameters[0] ?? ['*.*;*']
        const files: DiskFile[] = []
        for (const spec of specs) {
          try {
            const withVersions = spec.includes(';') ? spec : `${spec};*`
            files.push(...dcl.disk.search(withVersions))
          } catch (error) {
            return fileFailure(dcl, 'DIRECT', 'SEARCHFAIL', spec, error)
          }
        }
        const limit = Number(qualifierValue(command, 'VERSIONS') ?? 32767)
        if (files.length === 0) {
          say('%DIRECT-W-NOFILES, no files found')
          return (RMS.FNF | STS_M_INHIB_MSG) >>> 0
        }
        let shown = 0
        let directory = ''
        const seen = new Map<string, number>()
        for (const file of files) {
          const dir = file.spec.slice(0, file.spec.indexOf(']') + 1)
          if (dir !== directory) {
            if (directory !== '') say('')
            say('')
            say(`Directory ${dir}`)
            say('')
            directory = dir
          }
          const key = `${dir}${file.name}.${file.type}`
          const n = (seen.get(key) ?? 0) + 1
          seen.set(key, n)
          if (n > limit) continue
          const name = `${file.name}.${file.type};${file.version}`
          if (present(command, 'SIZE') === true) {
            let blocks = 0
            try {
              blocks = Math.ceil(dcl.disk.read(file).length / 512)
            } catch {
              blocks = 0
            }
            say(`${name.padEnd(19)} ${String(blocks).padStart(6)}`)
          } else say(name)
          shown++
        }
        say('')
        say(`Total of ${shown} file${shown === 1 ? '' : 's'}.`)
        return CLI_NORMAL
      },
    },
    {
      name: 'TYPE',
      help: 'TYPE filespec[,...]: shows files',
      parameters: [{ label: 'File', required: true, list: true, type: 'file' }],
      handler: (command) => {
        const files = matching(dcl, 'TYPE', command.parameters[0] ?? [])
        if (!Array.isArray(files)) return files
        for (const file of files) {
          let text: string
          try {
            text = dcl.disk.read(file).replace(/\r\n/g, '\n').replace(/\n$/, '')
          } catch (error) {
            return fileFailure(dcl, 'TYPE', 'OPENIN', file.spec, error)
          }
          if (text !== '') for (const line of text.split('\n')) say(line)
        }
        return CLI_NORMAL
      },
    },
    {
      name: 'COPY',
      help: 'COPY from to: copies a file (a new version of the output)',
      parameters: [
        { label: 'From', required: true, list: true, type: 'file' },
        { label: 'To', required: true, type: 'file' },
      ],
      qualifiers: [{ name: 'LOG', help: 'say what was copied' }],
      handler: (command) => {
        const files = matching(dcl, 'COPY', command.parameters[0] ?? [])
        if (!Array.isArray(files)) return files
        const to = parameter(command, 1) ?? ''
        for (const file of files) {
          try {
            const target = dcl.disk.resolve(to, { name: file.name, type: file.type })
            const spec = `[${target.directory.join('.') || '000000'}]${target.name === '*' ? file.name : target.name}.${target.type === '*' ? file.type : target.type}`
            const written = dcl.disk.write(spec, dcl.disk.read(file))
            if (present(command, 'LOG') === true)
              say(`%COPY-S-COPIED, ${file.spec} copied to ${written.spec}`)
          } catch (error) {
            return fileFailure(dcl, 'COPY', 'OPENOUT', to, error)
          }
        }
        return CLI_NORMAL
      },
    },
    {
      name: 'RENAME',
      help: 'RENAME from to: gives a file another name',
      parameters: [
        { label: 'From', required: true, type: 'file' },
        { label: 'To', required: true, type: 'file' },
      ],
      qualifiers: [{ name: 'LOG', help: 'say what was renamed' }],
      handler: (command) => {
        const files = matching(dcl, 'RENAME', command.parameters[0] ?? [])
        if (!Array.isArray(files)) return files
        const to = parameter(command, 1) ?? ''
        for (const file of files) {
          try {
            const renamed = dcl.disk.rename(file, to)
            if (present(command, 'LOG') === true)
              say(`%RENAME-I-RENAMED, ${file.spec} renamed to ${renamed.spec}`)
          } catch (error) {
            return fileFailure(dcl, 'RENAME', 'OPENOUT', to, error)
          }
        }
        return CLI_NORMAL
      },
    },
    {
      name: 'DELETE',
      help: 'DELETE filespec;version[,...], or DELETE/SYMBOL name',
      parameters: [{ label: 'File', required: true, list: true, type: 'file' }],
      qualifiers: [
        { name: 'SYMBOL', help: 'delete a symbol' },
        { name: 'GLOBAL', help: 'the global symbol table' },
        { name: 'LOCAL', help: 'the local symbol table' },
        { name: 'LOG', help: 'say what was deleted' },
      ],
      handler: (command) => {
        const specs = command.parameters[0] ?? []
        if (present(command, 'SYMBOL') === true) {
          for (const name of specs) {
            const deleted =
              present(command, 'GLOBAL') === true
                ? dcl.globals.delete(name)
                : dcl.deleteLocalSymbol(name)
            if (!deleted) throw new DclError(CLI.UNDSYM, name)
          }
          return CLI_NORMAL
        }
        for (const spec of specs)
          if (!spec.includes(';') && !/\.[^.]*\./.test(spec)) {
            say('%DELETE-E-DELVER, explicit version number or wild card required')
            return (RMS.FNF | STS_M_INHIB_MSG) >>> 0
          }
        const files = matching(dcl, 'DELETE', specs)
        if (!Array.isArray(files)) return files
        for (const file of files) {
          dcl.disk.remove(file)
          if (present(command, 'LOG') === true) say(`%DELETE-I-FILDEL, ${file.spec} deleted`)
        }
        return CLI_NORMAL
      },
    },
    {
      name: 'PURGE',
      help: 'PURGE [filespec]: deletes all but the highest versions',
      parameters: [{ label: 'File', list: true, type: 'file' }],
      qualifiers: [
        {
          name: 'KEEP',
          value: 'required',
          type: 'number',
          negatable: false,
          help: 'versions to keep',
        },
      ],
      handler: (command) => {
        const keep = Math.max(1, Number(qualifierValue(command, 'KEEP') ?? 1))
        for (const spec of command.parameters[0] ?? ['*.*']) {
          let files: DiskFile[]
          try {
            files = dcl.disk.search(`${spec.replace(/;.*$/, '')};*`)
          } catch (error) {
            return fileFailure(dcl, 'PURGE', 'SEARCHFAIL', spec, error)
          }
          const seen = new Map<string, number>()
          for (const file of files) {
            const key = `${file.directory.join('.')}]${file.name}.${file.type}`
            const n = (seen.get(key) ?? 0) + 1
            seen.set(key, n)
            if (n > keep && file.type !== 'DIR') dcl.disk.remove(file)
          }
        }
        return CLI_NORMAL
      },
    },
    {
      name: 'CREATE',
      help: 'CREATE filespec: a file of the data lines that follow; CREATE/DIRECTORY [dir]',
      parameters: [{ label: 'File', required: true, list: true, type: 'file' }],
      qualifiers: [{ name: 'DIRECTORY', help: 'create a directory' }],
      handler: (command, context) => {
        for (const spec of command.parameters[0] ?? []) {
          try {
            if (present(command, 'DIRECTORY') === true) {
              dcl.disk.createDirectory(spec)
              continue
            }
            const lines: string[] = []
            for (let line = context.readData(); line !== undefined; line = context.readData())
              lines.push(line)
            dcl.disk.write(spec, lines.map((l) => `${l}\n`).join(''))
          } catch (error) {
            return fileFailure(dcl, 'CREATE', 'OPENOUT', spec, error)
          }
        }
        return CLI_NORMAL
      },
    },
  ]
}
