#!/usr/bin/env bash
# bt-session-client.sh INBOX seed|leech TORRENT DIR PORT [DONE] - bt-compare's seeder or leecher command for
# PSPEER_CLIENT=session: hands the command to the open PowerShell session (bt-session.ps1) watching INBOX and exits
# with its exit code once it ends. SIGTERM asks the session to stop that command, as killing a process would.
set -uo pipefail
inbox=$1; shift
id=$$-$RANDOM
printf '%s\n' "$1" "$2" "$3" "$4" "${5:-}" >"$inbox/$id.cmd.tmp"
mv "$inbox/$id.cmd.tmp" "$inbox/$id.cmd"
trap ': >"$inbox/$id.stop"' TERM INT
# Wait with bash's own read timeout on a pipe nobody writes to: a `sleep` process every few ms would cost the
# transfer being measured CPU time. A leecher's end is timed, so it is looked for every 5 ms (1-2 % of a core); a
# seeder's end is not (it ends when told to), so every half second, which leaves that CPU to the leecher it serves.
exec {never}<> <(:)
poll=0.005; [[ $1 == seed ]] && poll=0.5
while [[ ! -e $inbox/$id.rc ]]; do read -r -t "$poll" -u "$never" _ || true; done
rc=$(<"$inbox/$id.rc")
rm -f "$inbox/$id.rc" "$inbox/$id.stop"
exit "$rc"
