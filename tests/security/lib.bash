# tests/security/lib.bash: what the CVE tests share, sourced after
# tests/lib/common.sh.
#
#   sec_helper NAME          HELPER = path of the helper kura-NAME built
#                            from tests/security/NAME.c
#   defer CMD...             run CMD when the test body ends, even when it
#                            fails (last deferred first)
#   start_racer A B SECONDS  exchange A and B (renameat2 RENAME_EXCHANGE) in
#                            the background; the racer carries the test's
#                            tag, so the leak check finds it; stopped when
#                            the test body ends
#   stop_racer               stop it, check it ran; SWAPS = exchanges made
#   start_console_recv SOCK OUT [INPUT]
#                            the receiving end of --console-socket (see
#                            console-recv.c); RECV = its pid
#   wait_console_recv        wait for it to end; fails after 30 s
#   file_sum PATH            checksum of a file (or "missing")
#   own_mounts_under DIR     the host's mount points under DIR

sec_helper()
{
	HELPER=${KURA_BUILD_DIR:-$KURA_SOURCE_DIR/build}/tests/kura-$1
	[ -x "$HELPER" ] || fail "helper $HELPER is not built (cmake --build)"
}

RACER=
SWAPS=
RECV=
_sec_deferred=()

_sec_on_exit()
{
	local i
	[ -z "$RACER" ] || kill -TERM "$RACER" 2>/dev/null
	[ -z "$RECV" ] || kill -TERM "$RECV" 2>/dev/null
	wait 2>/dev/null
	for ((i = ${#_sec_deferred[@]} - 1; i >= 0; i--)); do
		eval "${_sec_deferred[i]}"
	done
}

defer()
{
	_sec_deferred+=("$(printf '%q ' "$@")")
	trap _sec_on_exit EXIT
}

start_racer()
{
	sec_helper swap-race
	[ -z "$RACER" ] || fail "a racer runs already"
	KURA_TEST_TAG=$TEST_TAG "$HELPER" "$1" "$2" "$3" >"$TEST_TMP/.racer.out" 2>&1 &
	RACER=$!
	trap _sec_on_exit EXIT
}

stop_racer()
{
	local rc
	[ -n "$RACER" ] || fail "no racer runs"
	kill -TERM "$RACER" 2>/dev/null
	wait "$RACER"
	rc=$?
	RACER=
	SWAPS=$(cat "$TEST_TMP/.racer.out")
	[ "$rc" = 0 ] || fail "the racer failed (exit $rc): $SWAPS"
	[ "${SWAPS:-0}" -gt 0 ] 2>/dev/null || fail "the racer made no exchange: $SWAPS"
	diag "racer: $SWAPS exchanges"
}

start_console_recv()
{
	sec_helper console-recv
	rm -f "$1" "$2" "$2.meta"
	KURA_TEST_TAG=$TEST_TAG "$HELPER" "$@" 2>"$2.err" &
	RECV=$!
	trap _sec_on_exit EXIT
	wait_file "$1"
}

wait_console_recv()
{
	local rc
	wait_until 30 eval '! kill -0 '"$RECV"' 2>/dev/null' ||
		fail "the console receiver $RECV did not end"
	wait "$RECV"
	rc=$?
	RECV=
	return $rc
}

file_sum()
{
	if [ -e "$1" ]; then
		sha256sum <"$1" | cut -d' ' -f1
	else
		echo missing
	fi
}

own_mounts_under()
{
	awk -v d="$1/" 'index($5 "/", d) == 1 {print $5}' /proc/self/mountinfo
}
