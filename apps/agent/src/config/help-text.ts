export const HELP_TEXT = `Usage: tandem-agent [options]

Tandem host agent: supervises one qemu-storage-daemon (QSD) on this host and serves the
agent API (volumes, snapshots, LUs exported over NBD, ALUA active/standby with a peer
agent). A flag wins over its environment variable; an empty variable counts as unset.

  --name NAME           host name: 1-63 of a-z 0-9 . _ - starting with a letter or
                        digit, no '..' (required)                  env TANDEM_AGENT_NAME
  --listen HOST:PORT    API address, IPv6 as [ADDR]:PORT; port 0 picks a free port
                        (default 127.0.0.1:7101)                   env TANDEM_AGENT_LISTEN
  --token-file FILE     file holding the API bearer token: 16 or more printable
                        characters, no spaces; surrounding whitespace is ignored
                                          env TANDEM_AGENT_TOKEN (the token itself)
  --data-dir DIR        QMP socket, QSD log and pid file, state file, agent lock
                        (required)                                 env TANDEM_AGENT_DATA_DIR
  --nbd-host HOST       address of QSD's NBD server (default 127.0.0.1)
                                                                   env TANDEM_AGENT_NBD_HOST
  --nbd-port PORT       port of QSD's NBD server, 1-65535 (default 10809)
                                                                   env TANDEM_AGENT_NBD_PORT
  --pool NAME=DIR       storage pool; repeat for several; directories are created
                        (default default=DATA_DIR/pools/default)
  --overcommit-ratio R  thin provisioning limit: the volumes of a pool may add up to
                        R × the pool's capacity, 0.1-100 (default 2.0)
                                                           env TANDEM_AGENT_OVERCOMMIT_RATIO
  -h, --help            show this help and exit
  -V, --version         print the agent version and exit

A token is required. There is no --token flag on purpose: command lines are visible to
every user of the host.

On start the agent stops a QSD left by an earlier run on the same data directory, refuses
to run if another agent holds that directory, and prints one line on stdout:
"tandem-agent listening on http://HOST:PORT". Logs go to stderr, QSD's output to
DATA_DIR/qsd.log. If QSD dies it is restarted, after 0.5 s doubling up to 15 s.
DATA_DIR/state.json (mode 0600) records volumes, snapshots, LUs and the ALUA settings,
including the peer's token. After every QSD start the agent reopens every volume and
exports every Active LU from it; an LU caught in a transition ends in Standby.
While a mirror's target does not answer, the agent asks its ALUA peer for its epochs: when
the peer has moved on to a newer epoch (a failover without this host), the volume is held
here at once. When nothing at the target's address answers for two link checks, the agent
aborts its connections to the target's NBD server (ss -K from iproute2; needs root and a
kernel with SOCK_DESTROY), so that sync-mode client writes go on instead of waiting for TCP.
SIGTERM or SIGINT stops QSD (QMP quit, SIGKILL after 3 s) and exits 0. Bad configuration
exits 2; a failed start (port in use, data directory locked, unreadable state file)
exits 1.
`;
