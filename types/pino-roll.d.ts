declare module 'pino-roll' {
  import type { DestinationStream } from 'pino'
  interface PinoRollOptions {
    file: string | (() => string)
    size?: string | number
    frequency?: 'daily' | 'hourly' | number
    extension?: string
    symlink?: boolean
    mkdir?: boolean
    limit?: { count?: number, removeOtherLogFiles?: boolean }
    dateFormat?: string
    /** passed to sonic-boom: the mode new log files are created with */
    mode?: number
  }
  export default function build (options: PinoRollOptions): Promise<DestinationStream & { flushSync(): void, end(): void }>
}
