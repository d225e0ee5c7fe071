// Schema history. Append only: a shipped migration is never edited, a new one is added.
// Version n is migrations[n - 1]: SQLite counts them in user_version, PostgreSQL in its
// schema_version table. Each entry carries its SQL per database, the same schema in each
// one's words (BIGINT for the epoch ms SQLite's INTEGER holds, BYTEA for BLOB, triggers
// through a PL/pgSQL function).
// Instants are stored as UTC epoch milliseconds so range reads are integer index scans.
/** One schema version's SQL, per database. */
export interface Migration {
  sqlite: string
  postgres: string
}

export const migrations: Migration[] = [
  {
    sqlite: `
  CREATE TABLE schedules (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    source TEXT NOT NULL CHECK (source IN ('xml', 'json', 'xmltv', 'auto-fill')),
    created TEXT NOT NULL,
    -- Events never change after their schedule is stored, so the list's figures are kept here.
    event_count INTEGER NOT NULL DEFAULT 0,
    first_start_ms INTEGER,
    last_end_ms INTEGER,
    metadata TEXT NOT NULL DEFAULT '{}',
    warnings TEXT NOT NULL DEFAULT '{}'
  );
  CREATE INDEX schedules_by_created ON schedules (created);
  CREATE TABLE events (
    id TEXT PRIMARY KEY,
    schedule_id TEXT NOT NULL REFERENCES schedules(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    title TEXT NOT NULL,
    start_ms INTEGER NOT NULL,
    end_ms INTEGER NOT NULL,
    video_url TEXT,
    video_key TEXT NOT NULL,
    category TEXT,
    description TEXT,
    tags TEXT NOT NULL DEFAULT '[]',
    channel TEXT
  );
  CREATE INDEX events_by_schedule_start ON events (schedule_id, start_ms);
  CREATE INDEX events_by_video_start ON events (video_key, start_ms);
  -- Auto-fill reads every play near its window, across schedules.
  CREATE INDEX events_by_start ON events (start_ms);
  CREATE TABLE playlists (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    created TEXT NOT NULL,
    item_count INTEGER NOT NULL DEFAULT 0,
    -- attributes of the #EXTM3U line (url-tvg, …), kept for the export
    attributes TEXT NOT NULL DEFAULT '{}'
  );
  CREATE TABLE playlist_items (
    playlist_id TEXT NOT NULL REFERENCES playlists(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    title TEXT NOT NULL,
    url TEXT NOT NULL,
    duration REAL,
    group_title TEXT,
    tvg TEXT NOT NULL DEFAULT '{}',
    directives TEXT NOT NULL DEFAULT '[]',
    PRIMARY KEY (playlist_id, position)
  );
  `,
    postgres: `
  CREATE TABLE schedules (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    source TEXT NOT NULL CHECK (source IN ('xml', 'json', 'xmltv', 'auto-fill')),
    created TEXT NOT NULL,
    event_count INTEGER NOT NULL DEFAULT 0,
    first_start_ms BIGINT,
    last_end_ms BIGINT,
    metadata TEXT NOT NULL DEFAULT '{}',
    warnings TEXT NOT NULL DEFAULT '{}'
  );
  CREATE INDEX schedules_by_created ON schedules (created);
  CREATE TABLE events (
    id TEXT PRIMARY KEY,
    schedule_id TEXT NOT NULL REFERENCES schedules(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    title TEXT NOT NULL,
    start_ms BIGINT NOT NULL,
    end_ms BIGINT NOT NULL,
    video_url TEXT,
    video_key TEXT NOT NULL,
    category TEXT,
    description TEXT,
    tags TEXT NOT NULL DEFAULT '[]',
    channel TEXT
  );
  CREATE INDEX events_by_schedule_start ON events (schedule_id, start_ms);
  CREATE INDEX events_by_video_start ON events (video_key, start_ms);
  CREATE INDEX events_by_start ON events (start_ms);
  CREATE TABLE playlists (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    created TEXT NOT NULL,
    item_count INTEGER NOT NULL DEFAULT 0,
    attributes TEXT NOT NULL DEFAULT '{}'
  );
  CREATE TABLE playlist_items (
    playlist_id TEXT NOT NULL REFERENCES playlists(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    title TEXT NOT NULL,
    url TEXT NOT NULL,
    duration DOUBLE PRECISION,
    group_title TEXT,
    tvg TEXT NOT NULL DEFAULT '{}',
    directives TEXT NOT NULL DEFAULT '[]',
    PRIMARY KEY (playlist_id, position)
  );
  `
  },
  // 2: idempotency keys (issue 8 item 13). A write's answer is kept under the caller's key id
  // and its Idempotency-Key, in the write's own transaction, so a retry after a lost answer
  // replays it instead of writing twice. Kept 24 h, pruned by the writes themselves.
  {
    sqlite: `
  CREATE TABLE idempotency_keys (
    owner TEXT NOT NULL,
    key TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    command TEXT NOT NULL,
    -- the answer as deflated JSON: an auto-fill answer lists every event
    answer BLOB NOT NULL,
    created_ms INTEGER NOT NULL,
    PRIMARY KEY (owner, key)
  );
  CREATE INDEX idempotency_keys_by_created ON idempotency_keys (created_ms);
  `,
    postgres: `
  CREATE TABLE idempotency_keys (
    owner TEXT NOT NULL,
    key TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    command TEXT NOT NULL,
    answer BYTEA NOT NULL,
    created_ms BIGINT NOT NULL,
    PRIMARY KEY (owner, key)
  );
  CREATE INDEX idempotency_keys_by_created ON idempotency_keys (created_ms);
  `
  },
  // 3: change counters (issue 10 item 3), what the API's ETags are made of. One row per scope:
  // 'schedules' and 'playlists' (raised by every write to any of them: lists, export of all)
  // and 'schedule:<id>' / 'playlist:<id>' (raised by every write to that one; gone with it).
  // Kept by triggers, so every write path (the API's workers, the CLI by hand, a future
  // command) raises them in its own transaction without knowing about them. The two global
  // counters start at a random number: a database made afresh (a wiped data dir) never hands
  // out an ETag that an earlier one did. Events have no trigger: they never change once their
  // schedule is stored; an edit of events (SPEC §12) updates its schedule's row with them.
  {
    sqlite: `
  CREATE TABLE revisions (
    scope TEXT PRIMARY KEY,
    revision INTEGER NOT NULL
  ) WITHOUT ROWID;
  INSERT INTO revisions (scope, revision) VALUES
    ('schedules', abs(random() % 1000000000000)),
    ('playlists', abs(random() % 1000000000000));
  INSERT INTO revisions (scope, revision) SELECT 'schedule:' || id, 1 FROM schedules;
  INSERT INTO revisions (scope, revision) SELECT 'playlist:' || id, 1 FROM playlists;

  CREATE TRIGGER schedules_revision_insert AFTER INSERT ON schedules BEGIN
    INSERT INTO revisions (scope, revision) VALUES ('schedule:' || NEW.id, 1);
    UPDATE revisions SET revision = revision + 1 WHERE scope = 'schedules';
  END;
  CREATE TRIGGER schedules_revision_update AFTER UPDATE ON schedules BEGIN
    UPDATE revisions SET revision = revision + 1 WHERE scope IN ('schedule:' || NEW.id, 'schedules');
  END;
  CREATE TRIGGER schedules_revision_delete AFTER DELETE ON schedules BEGIN
    DELETE FROM revisions WHERE scope = 'schedule:' || OLD.id;
    UPDATE revisions SET revision = revision + 1 WHERE scope = 'schedules';
  END;
  CREATE TRIGGER playlists_revision_insert AFTER INSERT ON playlists BEGIN
    INSERT INTO revisions (scope, revision) VALUES ('playlist:' || NEW.id, 1);
    UPDATE revisions SET revision = revision + 1 WHERE scope = 'playlists';
  END;
  CREATE TRIGGER playlists_revision_update AFTER UPDATE ON playlists BEGIN
    UPDATE revisions SET revision = revision + 1 WHERE scope IN ('playlist:' || NEW.id, 'playlists');
  END;
  CREATE TRIGGER playlists_revision_delete AFTER DELETE ON playlists BEGIN
    DELETE FROM revisions WHERE scope = 'playlist:' || OLD.id;
    UPDATE revisions SET revision = revision + 1 WHERE scope = 'playlists';
  END;
  `,
    // One function for both tables: TG_ARGV names the row's scope prefix and the table's scope.
    postgres: `
  CREATE TABLE revisions (
    scope TEXT PRIMARY KEY,
    revision BIGINT NOT NULL
  );
  INSERT INTO revisions (scope, revision) VALUES
    ('schedules', floor(random() * 1000000000000)::bigint),
    ('playlists', floor(random() * 1000000000000)::bigint);
  INSERT INTO revisions (scope, revision) SELECT 'schedule:' || id, 1 FROM schedules;
  INSERT INTO revisions (scope, revision) SELECT 'playlist:' || id, 1 FROM playlists;

  CREATE FUNCTION raise_revisions() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    IF TG_OP = 'INSERT' THEN
      INSERT INTO revisions (scope, revision) VALUES (TG_ARGV[0] || ':' || NEW.id, 1);
    ELSIF TG_OP = 'UPDATE' THEN
      UPDATE revisions SET revision = revision + 1 WHERE scope = TG_ARGV[0] || ':' || NEW.id;
    ELSE
      DELETE FROM revisions WHERE scope = TG_ARGV[0] || ':' || OLD.id;
    END IF;
    UPDATE revisions SET revision = revision + 1 WHERE scope = TG_ARGV[1];
    RETURN NULL;
  END
  $$;
  CREATE TRIGGER schedules_revision AFTER INSERT OR UPDATE OR DELETE ON schedules
    FOR EACH ROW EXECUTE FUNCTION raise_revisions('schedule', 'schedules');
  CREATE TRIGGER playlists_revision AFTER INSERT OR UPDATE OR DELETE ON playlists
    FOR EACH ROW EXECUTE FUNCTION raise_revisions('playlist', 'playlists');
  `
  },
  // 4: one stable channel id per schedule (issue 11 item 2), the M3U export's tvg-id and the
  // XMLTV export's channel id for its events that carry no channel of their own. Set once
  // when the schedule is stored (`<slug of its name>.scheduleflow`, made unique), so renaming
  // it never breaks a guide client's link. Schedules stored before get `<id>.scheduleflow`:
  // their M3U tvg-id was their id, so a client linked by it keeps finding them.
  {
    sqlite: `
  ALTER TABLE schedules ADD COLUMN channel_id TEXT;
  UPDATE schedules SET channel_id = id || '.scheduleflow';
  CREATE UNIQUE INDEX schedules_by_channel_id ON schedules (channel_id);
  `,
    postgres: `
  ALTER TABLE schedules ADD COLUMN channel_id TEXT;
  UPDATE schedules SET channel_id = id || '.scheduleflow';
  CREATE UNIQUE INDEX schedules_by_channel_id ON schedules (channel_id);
  `
  },
  // 5: an auto-fill's whole decision log (issue 11 item 8); the answer carries at most 500,
  // the rest are paged from here. Written with the schedule, in its transaction; never changed.
  // Chunk n holds decisions [500n, 500n + count) as a JSON list of text.
  {
    sqlite: `
  CREATE TABLE fill_decisions (
    schedule_id TEXT NOT NULL REFERENCES schedules(id) ON DELETE CASCADE,
    chunk INTEGER NOT NULL,
    count INTEGER NOT NULL,
    decisions TEXT NOT NULL,
    PRIMARY KEY (schedule_id, chunk)
  ) WITHOUT ROWID;
  `,
    postgres: `
  CREATE TABLE fill_decisions (
    schedule_id TEXT NOT NULL REFERENCES schedules(id) ON DELETE CASCADE,
    chunk INTEGER NOT NULL,
    count INTEGER NOT NULL,
    decisions TEXT NOT NULL,
    PRIMARY KEY (schedule_id, chunk)
  );
  `
  },
  // 6: overlaps and cooldown replays are worked out from the stored events when a schedule is
  // read (issue 11 item 12), across the schedules stored then; a copy kept at import went stale
  // when the schedule it compared against was deleted. The warnings column keeps only what the
  // events cannot tell again: the duplicates left out and the reader's notes. Events of a named
  // channel are compared with the same channel's events in other schedules: the two indexes
  // find them by channel and start, and bound how far before a window such an event can start.
  {
    sqlite: `
  UPDATE schedules SET warnings = json_remove(warnings, '$.conflicts', '$.conflicts_total', '$.cooldown', '$.cooldown_total')
    WHERE json_valid(warnings) AND json_type(warnings) = 'object';
  CREATE INDEX events_by_channel_start ON events (channel, start_ms) WHERE channel IS NOT NULL;
  CREATE INDEX events_by_channel_length ON events (channel, end_ms - start_ms) WHERE channel IS NOT NULL;
  `,
    // No PostgreSQL database held the copies (this store came after migration 6 was written),
    // so only the indexes; they read "(end_ms - start_ms)" as SQLite's does.
    postgres: `
  CREATE INDEX events_by_channel_start ON events (channel, start_ms) WHERE channel IS NOT NULL;
  CREATE INDEX events_by_channel_length ON events (channel, (end_ms - start_ms)) WHERE channel IS NOT NULL;
  `
  },
  // 7: channels and their programming (issue 13, SPEC §11). A channel keeps its weekly template
  // as one JSON column (always read and written whole), its dated overrides in a table (read by
  // date range) and its builds in a small audit table. Everything that airs stays in the one
  // events table: a built event has no schedule (schedule_id NULL) and names its channel; a
  // schedule placed on a channel keeps its events, which name the channel too. So the cooldown
  // reads of plays, and issue 14's edits, see built and imported plays alike. An event has an
  // owner: a schedule, a channel, or both (the CHECK). Built events also record where they came
  // from (origin_*), why (reason), whether an editor pinned them, their build and guide entry.
  // SQLite cannot drop NOT NULL from schedule_id with ALTER: events is made again, with the same
  // ids and the same indexes (nothing references events, so it is safe with foreign keys on).
  // Change counters: 'channels' and 'channel:<id>' as migration 3's, by triggers; a schedule put
  // on, taken off or deleted from a channel raises that channel's revision (what it airs changed).
  {
    sqlite: `
  CREATE TABLE channels (
    id TEXT PRIMARY KEY,
    number TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    timezone TEXT NOT NULL,
    -- set once at create (default C{number}.{digit sum}.scheduleflow): a guide client's link
    xmltv_id TEXT NOT NULL UNIQUE,
    logo TEXT,
    group_title TEXT,
    -- what the channel-list M3U points players at
    stream_url TEXT,
    -- a playlist id; no foreign key: a playlist deleted later is a build warning, not a failed delete
    default_filler TEXT,
    template TEXT NOT NULL DEFAULT '{"cooldown_hours":48,"blocks":[]}',
    revision INTEGER NOT NULL DEFAULT 1,
    created TEXT NOT NULL,
    updated TEXT NOT NULL
  );
  CREATE TABLE channel_overrides (
    id TEXT PRIMARY KEY,
    channel_id TEXT NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
    -- max(seq) + 1 under the write lock: the later override wins
    seq INTEGER NOT NULL,
    name TEXT NOT NULL,
    -- local dates YYYY-MM-DD, both included
    from_date TEXT NOT NULL,
    to_date TEXT NOT NULL,
    days TEXT,
    blocks TEXT NOT NULL DEFAULT '[]',
    -- fixed one-off events, their instants as UTC epoch ms
    events TEXT NOT NULL DEFAULT '[]',
    created TEXT NOT NULL,
    CHECK (from_date <= to_date)
  );
  CREATE UNIQUE INDEX channel_overrides_by_seq ON channel_overrides (channel_id, seq);
  CREATE INDEX channel_overrides_by_dates ON channel_overrides (channel_id, to_date, from_date);
  CREATE TABLE channel_builds (
    id TEXT PRIMARY KEY,
    channel_id TEXT NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
    created TEXT NOT NULL,
    from_date TEXT NOT NULL,
    to_date TEXT NOT NULL,
    seed TEXT NOT NULL,
    freeze_hours REAL NOT NULL,
    stats TEXT NOT NULL,
    warnings TEXT NOT NULL
  );
  CREATE INDEX channel_builds_by_channel ON channel_builds (channel_id, created);
  ALTER TABLE schedules ADD COLUMN channel_ref TEXT REFERENCES channels(id) ON DELETE SET NULL;
  CREATE INDEX schedules_by_channel_ref ON schedules (channel_ref) WHERE channel_ref IS NOT NULL;

  CREATE TABLE events_v7 (
    id TEXT PRIMARY KEY,
    schedule_id TEXT REFERENCES schedules(id) ON DELETE CASCADE,
    channel_id TEXT REFERENCES channels(id) ON DELETE SET NULL,
    position INTEGER NOT NULL,
    title TEXT NOT NULL,
    start_ms INTEGER NOT NULL,
    end_ms INTEGER NOT NULL,
    video_url TEXT,
    video_key TEXT NOT NULL,
    category TEXT,
    description TEXT,
    tags TEXT NOT NULL DEFAULT '[]',
    channel TEXT,
    origin_kind TEXT CHECK (origin_kind IN ('item', 'filler', 'break', 'fixed', 'default')),
    origin_block TEXT,
    origin_override TEXT,
    -- playlist:<id>[#group] or item:<video key>
    origin_source TEXT,
    -- the index in the source's order (an episode's number - 1)
    origin_position INTEGER,
    reason TEXT,
    pinned INTEGER NOT NULL DEFAULT 0,
    build_id TEXT,
    guide_id TEXT,
    -- the guide entry's title when it is not the event's (a block's title)
    guide_title TEXT,
    -- where in the media this event starts: a part of an item split by a break
    in_ms INTEGER NOT NULL DEFAULT 0,
    episode_num TEXT,
    icon TEXT,
    CHECK (schedule_id IS NOT NULL OR channel_id IS NOT NULL)
  );
  INSERT INTO events_v7 (id, schedule_id, position, title, start_ms, end_ms, video_url, video_key, category, description, tags, channel)
    SELECT id, schedule_id, position, title, start_ms, end_ms, video_url, video_key, category, description, tags, channel FROM events;
  DROP TABLE events;
  ALTER TABLE events_v7 RENAME TO events;
  -- migration 1's and 6's indexes again, by the same names
  CREATE INDEX events_by_schedule_start ON events (schedule_id, start_ms);
  CREATE INDEX events_by_video_start ON events (video_key, start_ms);
  CREATE INDEX events_by_start ON events (start_ms);
  CREATE INDEX events_by_channel_start ON events (channel, start_ms) WHERE channel IS NOT NULL;
  CREATE INDEX events_by_channel_length ON events (channel, end_ms - start_ms) WHERE channel IS NOT NULL;
  CREATE INDEX events_by_channel_id_start ON events (channel_id, start_ms) WHERE channel_id IS NOT NULL;
  CREATE INDEX events_by_channel_id_length ON events (channel_id, end_ms - start_ms) WHERE channel_id IS NOT NULL;
  -- a block's last aired item before a build: where its sequential order goes on
  CREATE INDEX events_by_channel_block ON events (channel_id, origin_block, start_ms) WHERE origin_block IS NOT NULL;

  INSERT INTO revisions (scope, revision) VALUES ('channels', abs(random() % 1000000000000));
  CREATE TRIGGER channels_revision_insert AFTER INSERT ON channels BEGIN
    INSERT INTO revisions (scope, revision) VALUES ('channel:' || NEW.id, 1);
    UPDATE revisions SET revision = revision + 1 WHERE scope = 'channels';
  END;
  CREATE TRIGGER channels_revision_update AFTER UPDATE ON channels BEGIN
    UPDATE revisions SET revision = revision + 1 WHERE scope IN ('channel:' || NEW.id, 'channels');
  END;
  CREATE TRIGGER channels_revision_delete AFTER DELETE ON channels BEGIN
    DELETE FROM revisions WHERE scope = 'channel:' || OLD.id;
    UPDATE revisions SET revision = revision + 1 WHERE scope = 'channels';
  END;
  CREATE TRIGGER schedules_channel_insert AFTER INSERT ON schedules WHEN NEW.channel_ref IS NOT NULL BEGIN
    UPDATE channels SET revision = revision + 1 WHERE id = NEW.channel_ref;
  END;
  CREATE TRIGGER schedules_channel_update AFTER UPDATE OF channel_ref ON schedules
    WHEN NEW.channel_ref IS NOT OLD.channel_ref BEGIN
    UPDATE channels SET revision = revision + 1 WHERE id IN (OLD.channel_ref, NEW.channel_ref);
  END;
  CREATE TRIGGER schedules_channel_delete AFTER DELETE ON schedules WHEN OLD.channel_ref IS NOT NULL BEGIN
    UPDATE channels SET revision = revision + 1 WHERE id = OLD.channel_ref;
  END;
  `,
    // The same schema; NOT NULL is dropped in place. raise_revisions() is migration 3's.
    postgres: `
  CREATE TABLE channels (
    id TEXT PRIMARY KEY,
    number TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    timezone TEXT NOT NULL,
    xmltv_id TEXT NOT NULL UNIQUE,
    logo TEXT,
    group_title TEXT,
    stream_url TEXT,
    default_filler TEXT,
    template TEXT NOT NULL DEFAULT '{"cooldown_hours":48,"blocks":[]}',
    revision BIGINT NOT NULL DEFAULT 1,
    created TEXT NOT NULL,
    updated TEXT NOT NULL
  );
  CREATE TABLE channel_overrides (
    id TEXT PRIMARY KEY,
    channel_id TEXT NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    name TEXT NOT NULL,
    from_date TEXT NOT NULL,
    to_date TEXT NOT NULL,
    days TEXT,
    blocks TEXT NOT NULL DEFAULT '[]',
    events TEXT NOT NULL DEFAULT '[]',
    created TEXT NOT NULL,
    CHECK (from_date <= to_date)
  );
  CREATE UNIQUE INDEX channel_overrides_by_seq ON channel_overrides (channel_id, seq);
  CREATE INDEX channel_overrides_by_dates ON channel_overrides (channel_id, to_date, from_date);
  CREATE TABLE channel_builds (
    id TEXT PRIMARY KEY,
    channel_id TEXT NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
    created TEXT NOT NULL,
    from_date TEXT NOT NULL,
    to_date TEXT NOT NULL,
    seed TEXT NOT NULL,
    freeze_hours DOUBLE PRECISION NOT NULL,
    stats TEXT NOT NULL,
    warnings TEXT NOT NULL
  );
  CREATE INDEX channel_builds_by_channel ON channel_builds (channel_id, created);
  ALTER TABLE schedules ADD COLUMN channel_ref TEXT REFERENCES channels(id) ON DELETE SET NULL;
  CREATE INDEX schedules_by_channel_ref ON schedules (channel_ref) WHERE channel_ref IS NOT NULL;

  ALTER TABLE events ALTER COLUMN schedule_id DROP NOT NULL,
    ADD COLUMN channel_id TEXT REFERENCES channels(id) ON DELETE SET NULL,
    ADD COLUMN origin_kind TEXT CHECK (origin_kind IN ('item', 'filler', 'break', 'fixed', 'default')),
    ADD COLUMN origin_block TEXT,
    ADD COLUMN origin_override TEXT,
    ADD COLUMN origin_source TEXT,
    ADD COLUMN origin_position INTEGER,
    ADD COLUMN reason TEXT,
    ADD COLUMN pinned SMALLINT NOT NULL DEFAULT 0,
    ADD COLUMN build_id TEXT,
    ADD COLUMN guide_id TEXT,
    ADD COLUMN guide_title TEXT,
    ADD COLUMN in_ms BIGINT NOT NULL DEFAULT 0,
    ADD COLUMN episode_num TEXT,
    ADD COLUMN icon TEXT,
    ADD CONSTRAINT events_owner CHECK (schedule_id IS NOT NULL OR channel_id IS NOT NULL);
  CREATE INDEX events_by_channel_id_start ON events (channel_id, start_ms) WHERE channel_id IS NOT NULL;
  CREATE INDEX events_by_channel_id_length ON events (channel_id, (end_ms - start_ms)) WHERE channel_id IS NOT NULL;
  CREATE INDEX events_by_channel_block ON events (channel_id, origin_block, start_ms) WHERE origin_block IS NOT NULL;

  INSERT INTO revisions (scope, revision) VALUES ('channels', floor(random() * 1000000000000)::bigint);
  CREATE TRIGGER channels_revision AFTER INSERT OR UPDATE OR DELETE ON channels
    FOR EACH ROW EXECUTE FUNCTION raise_revisions('channel', 'channels');
  CREATE FUNCTION raise_channel_of_schedule() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    -- one branch per operation: OLD is not read on INSERT, nor NEW on DELETE
    IF TG_OP = 'INSERT' THEN
      UPDATE channels SET revision = revision + 1 WHERE id = NEW.channel_ref;
    ELSIF TG_OP = 'DELETE' THEN
      UPDATE channels SET revision = revision + 1 WHERE id = OLD.channel_ref;
    ELSIF NEW.channel_ref IS DISTINCT FROM OLD.channel_ref THEN
      UPDATE channels SET revision = revision + 1 WHERE id IN (OLD.channel_ref, NEW.channel_ref);
    END IF;
    RETURN NULL;
  END
  $$;
  CREATE TRIGGER schedules_channel AFTER INSERT OR DELETE OR UPDATE OF channel_ref ON schedules
    FOR EACH ROW EXECUTE FUNCTION raise_channel_of_schedule();
  `
  },
  // 8: editing by hand (SPEC §12). Schedules get the integer revision channels have (raised by
  // each write, what If-Match names); edit_history keeps what each edit, undo and revert
  // changed: whole event rows before and after, so an undo restores them exactly. Rows of a
  // schedule or channel go with it (a trigger: one table serves both kinds of target).
  {
    sqlite: `
  ALTER TABLE schedules ADD COLUMN revision INTEGER NOT NULL DEFAULT 1;
  CREATE TABLE edit_history (
    -- 'schedule:<id>' or 'channel:<id>'
    target TEXT NOT NULL,
    -- the revision this write made
    revision INTEGER NOT NULL,
    at_ms INTEGER NOT NULL,
    by_name TEXT NOT NULL,
    by_role TEXT NOT NULL,
    request_id TEXT NOT NULL,
    summary TEXT NOT NULL,
    -- JSON {added, removed, changed: [{before, after}]} of whole events rows
    changes TEXT NOT NULL,
    -- an undo: the revision it reverted
    undoes INTEGER,
    PRIMARY KEY (target, revision)
  );
  CREATE INDEX edit_history_by_time ON edit_history (at_ms);
  CREATE TRIGGER schedules_history_delete AFTER DELETE ON schedules BEGIN
    DELETE FROM edit_history WHERE target = 'schedule:' || OLD.id;
  END;
  CREATE TRIGGER channels_history_delete AFTER DELETE ON channels BEGIN
    DELETE FROM edit_history WHERE target = 'channel:' || OLD.id;
  END;
  `,
    postgres: `
  ALTER TABLE schedules ADD COLUMN revision BIGINT NOT NULL DEFAULT 1;
  CREATE TABLE edit_history (
    target TEXT NOT NULL,
    revision BIGINT NOT NULL,
    at_ms BIGINT NOT NULL,
    by_name TEXT NOT NULL,
    by_role TEXT NOT NULL,
    request_id TEXT NOT NULL,
    summary TEXT NOT NULL,
    changes TEXT NOT NULL,
    undoes BIGINT,
    PRIMARY KEY (target, revision)
  );
  CREATE INDEX edit_history_by_time ON edit_history (at_ms);
  CREATE FUNCTION drop_edit_history() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    DELETE FROM edit_history WHERE target = TG_ARGV[0] || ':' || OLD.id;
    RETURN NULL;
  END
  $$;
  CREATE TRIGGER schedules_history_delete AFTER DELETE ON schedules
    FOR EACH ROW EXECUTE FUNCTION drop_edit_history('schedule');
  CREATE TRIGGER channels_history_delete AFTER DELETE ON channels
    FOR EACH ROW EXECUTE FUNCTION drop_edit_history('channel');
  `
  },
  // 9: an edit's warnings by indexed reads (issue 21 item 2, SPEC §12): each touched event's
  // nearest airings of the same video before and after it, on its schedule or its channel, are
  // one seek of (owner, video_key, start_ms) however often the video airs elsewhere; a schedule's
  // longest event (how far before a span an overlapping one can start) is one seek of its
  // length index, as a channel's already is.
  {
    sqlite: `
  CREATE INDEX events_by_schedule_video_start ON events (schedule_id, video_key, start_ms);
  CREATE INDEX events_by_channel_id_video_start ON events (channel_id, video_key, start_ms) WHERE channel_id IS NOT NULL;
  CREATE INDEX events_by_schedule_length ON events (schedule_id, end_ms - start_ms);
  `,
    postgres: `
  CREATE INDEX events_by_schedule_video_start ON events (schedule_id, video_key, start_ms);
  CREATE INDEX events_by_channel_id_video_start ON events (channel_id, video_key, start_ms) WHERE channel_id IS NOT NULL;
  CREATE INDEX events_by_schedule_length ON events (schedule_id, (end_ms - start_ms));
  `
  },
  // 10: a build records the channel revision it made (issue 21 item 10). Builds are not in the
  // edit history, so a revert that finds no edit after revision N tells from this column
  // whether a build changed the events since N (and says so) or none did. Older rows: NULL.
  {
    sqlite: `
  ALTER TABLE channel_builds ADD COLUMN revision INTEGER;
  `,
    postgres: `
  ALTER TABLE channel_builds ADD COLUMN revision BIGINT;
  `
  }
]
