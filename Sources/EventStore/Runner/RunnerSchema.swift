/// The two tables the projection runner owns, beside the waku tables of the store it serves
/// (SPEC §4). The runner creates them when missing; readers treat their absence as "no eventscope
/// runner has ever served this store" and fall back to inferring status from checkpoints and leases.
///
/// Both sides of the package agree on these names and columns: the runner writes them, the
/// read-only adapters read them, and the explorer's one narrowly scoped connection inserts into
/// the commands table and nothing else.
public enum RunnerSchema {
    /// One row per projection a runner has served: its state, holder, heartbeat and throughput.
    public static let status = "es_projection_status"
    /// Operator requests (`rebuild`), their state and their outcome: the audit trail.
    public static let commands = "es_projection_commands"

    /// `es_projection_status` columns:
    /// - `projection_name` TEXT primary key
    /// - `state` TEXT: `running | stopped | failed | rebuilding`
    /// - `holder_id` TEXT: the runner instance that last wrote the row
    /// - `heartbeat_at` TEXT (ISO-8601 UTC): written every cycle, idle or not
    /// - `checkpoint` INTEGER: the checkpoint as of the heartbeat
    /// - `event_types` TEXT: a JSON array of the types the projection takes; NULL = every type
    /// - `events_per_second` REAL: recent throughput
    /// - `last_error` TEXT, `last_error_position` INTEGER: the last failure and the global position of the event that caused it
    /// - `skipped_batches` INTEGER: batches skipped under policy `skip`
    /// - `rebuild_target` INTEGER: while rebuilding, the head as it was when the rebuild began (progress = checkpoint / target)
    /// - `rebuild_started_at` TEXT
    /// - `updated_at` TEXT
    public static let sqliteStatusDDL = """
        CREATE TABLE IF NOT EXISTS es_projection_status (
          projection_name TEXT PRIMARY KEY, state TEXT NOT NULL, holder_id TEXT, heartbeat_at TEXT,
          checkpoint INTEGER, event_types TEXT, events_per_second REAL, last_error TEXT,
          last_error_position INTEGER, skipped_batches INTEGER NOT NULL DEFAULT 0,
          rebuild_target INTEGER, rebuild_started_at TEXT, updated_at TEXT)
        """

    /// `es_projection_commands` columns: `id` (ascending with insertion), `projection_name`,
    /// `command` (`rebuild`), `requested_by`, `requested_at`, `status`
    /// (`pending | running | done | failed | rejected`), `started_at`, `finished_at`, `detail`.
    public static let sqliteCommandsDDL = """
        CREATE TABLE IF NOT EXISTS es_projection_commands (
          id INTEGER PRIMARY KEY AUTOINCREMENT, projection_name TEXT NOT NULL, command TEXT NOT NULL,
          requested_by TEXT NOT NULL, requested_at TEXT NOT NULL, status TEXT NOT NULL DEFAULT 'pending',
          started_at TEXT, finished_at TEXT, detail TEXT)
        """
    public static let sqliteCommandsIndexDDL =
        "CREATE INDEX IF NOT EXISTS ix_es_projection_commands_status ON es_projection_commands (status, projection_name)"

    public static let postgresStatusDDL = """
        CREATE TABLE IF NOT EXISTS es_projection_status (
          projection_name TEXT PRIMARY KEY, state TEXT NOT NULL, holder_id TEXT, heartbeat_at TIMESTAMPTZ,
          checkpoint BIGINT, event_types JSONB, events_per_second DOUBLE PRECISION, last_error TEXT,
          last_error_position BIGINT, skipped_batches BIGINT NOT NULL DEFAULT 0,
          rebuild_target BIGINT, rebuild_started_at TIMESTAMPTZ, updated_at TIMESTAMPTZ DEFAULT now())
        """
    public static let postgresCommandsDDL = """
        CREATE TABLE IF NOT EXISTS es_projection_commands (
          id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, projection_name TEXT NOT NULL, command TEXT NOT NULL,
          requested_by TEXT NOT NULL, requested_at TIMESTAMPTZ NOT NULL DEFAULT now(),
          status TEXT NOT NULL DEFAULT 'pending', started_at TIMESTAMPTZ, finished_at TIMESTAMPTZ, detail TEXT)
        """
    public static let postgresCommandsIndexDDL =
        "CREATE INDEX IF NOT EXISTS ix_es_projection_commands_status ON es_projection_commands (status, projection_name)"

    /// The only command this version knows.
    public static let rebuild = "rebuild"
}
