import t from 'tap'
import { probeOf } from '../../workers/media/probe.js'

// probeOf reads ffprobe's JSON; what it makes of the streams decides whether a file can air
// (SPEC §16: a library file with a problem is skipped by builds).

const video = (width: number, height: number) => ({ codec_type: 'video', codec_name: 'h263', width, height })
const audio = { codec_type: 'audio', codec_name: 'aac' }

t.test('a video stream of size 0 is no picture: a problem unless there is sound', async (t) => {
  // What ffprobe answered for 64 KiB of random bytes, 3 times in 300.
  t.match(probeOf({ format: { format_name: 'h263' }, streams: [video(0, 0)] }), { problem: /^no picture/, durationMs: null })
  t.match(probeOf({ format: { format_name: 'h263' }, streams: [video(352, 0)] }), { problem: /^no picture/ })
  t.match(probeOf({ format: { format_name: 'mov,mp4', duration: '3.000' }, streams: [video(0, 0), audio] }), { problem: null, durationMs: 3000 }, 'sound airs')
  t.match(probeOf({ format: { format_name: 'matroska,webm', duration: '2.000' }, streams: [video(64, 36)] }), { problem: null, video: 'h263 64x36' }, 'a picture airs')
  t.match(probeOf({ format: { format_name: 'data' }, streams: [] }), { problem: 'no video or audio stream' })
})
