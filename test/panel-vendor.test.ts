import t from 'tap'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { vendorFolder } from '../plugins/static.js'

// The two packages the panel loads from node_modules (plugins/static.ts) are found when the
// service starts, or the start fails naming the package: a deploy that left one out must not
// come up with a panel whose channel views break in the browser.

t.test('the calendar and Preact + htm resolve to the folders served', async (t) => {
  const calendar = vendorFolder('@event-calendar/build', 'event-calendar.min.css')
  t.ok(existsSync(join(calendar, 'event-calendar.min.js')), 'the calendar\'s script is beside its style')
  const preact = vendorFolder('htm/preact', 'standalone.module.js')
  t.match(preact, /htm[\\/]preact$/)
})

t.test('a package not installed, or without the file, stops the start with its name', async (t) => {
  t.throws(() => vendorFolder('@event-calendar/not-installed', 'event-calendar.min.css'), /needs the npm package "@event-calendar\/not-installed", which is not installed/)
  t.throws(() => vendorFolder('htm/preact', 'no-such-file.js'), /needs no-such-file\.js from the npm package "htm\/preact"/)
})
