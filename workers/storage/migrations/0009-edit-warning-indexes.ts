import { sql } from 'kysely'
import type { SchemaStep } from './step.js'

// 9: an edit's warnings by indexed reads (issue 21 item 2, SPEC §12): each touched event's
// nearest airings of the same video before and after it, on its schedule or its channel, are
// one seek of (owner, video_key, start_ms) however often the video airs elsewhere; a schedule's
// longest event (how far before a span an overlapping one can start) is one seek of its
// length index, as a channel's already is.
const migration: SchemaStep = {
  async up (db) {
    await db.schema.createIndex('events_by_schedule_video_start').on('events').columns(['schedule_id', 'video_key', 'start_ms']).execute()
    await db.schema.createIndex('events_by_channel_id_video_start').on('events').columns(['channel_id', 'video_key', 'start_ms'])
      .where(sql.ref('channel_id'), 'is not', null).execute()
    await db.schema.createIndex('events_by_schedule_length').on('events').expression(sql`schedule_id, (end_ms - start_ms)`).execute()
  }
}
export default migration
