import Testing

/// The end-to-end suites that run a tmux server or a live writer. They compete for the CPU and for
/// terminal servers, so they run one at a time; the other suites, and every other target, stay parallel.
@Suite(.serialized) enum LiveProcessTests {}
