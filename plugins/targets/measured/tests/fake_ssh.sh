#!/bin/sh
# A local stand-in for `ssh HOST COMMAND...`: drops the host and runs the command here, so the
# prefix path of the client is tested without a device. FAKE_SSH_LOG, when set, records each call.
host="$1"
shift
if [ -n "$FAKE_SSH_LOG" ]; then echo "$host $*" >> "$FAKE_SSH_LOG"; fi
exec "$@"
